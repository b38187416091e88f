// Reading the bearer token the way RFC 6750 section 2.1 puts it: `Authorization: Bearer <token>`,
// the scheme name case-insensitive, one or more spaces, a b64token, nothing else.
import type { IncomingHttpHeaders } from 'node:http';
import { PARTIAL_KEY_SOURCE } from '../shared/key-format';

export type BearerRead =
  | { kind: 'token'; token: string }
  | { kind: 'missing' }
  /** The header is there but is not a single well-formed bearer credential. */
  | { kind: 'malformed' }
  /** More than one Authorization header: RFC 6750 says to refuse the request. */
  | { kind: 'repeated' };

const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function readBearer(headers: IncomingHttpHeaders, rawHeaders: string[]): BearerRead {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    // The length first: no lowercased copy of every other header's name on every request.
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  if (count > 1) return { kind: 'repeated' };
  const value = headers.authorization;
  if (value === undefined) return { kind: 'missing' };
  const match = BEARER.exec(value);
  return match ? { kind: 'token', token: match[1] as string } : { kind: 'malformed' };
}

const KEY_START = new RegExp(`${PARTIAL_KEY_SOURCE}\\.`);
const looksLikeKey = (value: unknown) => typeof value === 'string' && KEY_START.test(value);

/** A key presented anywhere but the Authorization header (RFC 6750 forbids query and body for us). */
export function keyOutsideHeader(query: unknown, body: unknown, allowedBodyField?: string): string | null {
  if (query && typeof query === 'object') {
    for (const [name, value] of Object.entries(query)) {
      if (name === 'access_token' || looksLikeKey(value) || (Array.isArray(value) && value.some(looksLikeKey))) {
        return 'query string';
      }
    }
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) {
      if (name === allowedBodyField) continue;
      if (name === 'access_token' || looksLikeKey(value)) return 'request body';
    }
  }
  return null;
}
