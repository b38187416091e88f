// Cursors and sync tokens as clients see them: base64url JSON, opaque to them, read back here.

export const encodeOpaque = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What `encodeOpaque` wrote; undefined for any text it did not (the caller says which field is wrong). */
export function decodeOpaque(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
