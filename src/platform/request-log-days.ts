// How long the request log keeps requests unless told otherwise: apart from the request log's
// schemas, so the CLI's help prints it without loading zod.
export const DEFAULT_REQUEST_LOG_DAYS = 90;
