/** A PostgreSQL connection string with its password hidden (user:password@ or ?password=), for messages. */
export const redactUrl = (url: string): string =>
  url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
