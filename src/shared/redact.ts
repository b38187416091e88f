// Last line of defence: whatever text leaves a process boundary (logs, error messages) passes
// through here, so a full key that slipped into an exception message is never shown.
import { BASE62_SOURCE, PARTIAL_KEY_SOURCE } from './key-format';

// `sk-<8 hex>.<secret>`; the public part stays readable, the secret is replaced.
const FULL_KEY = new RegExp(`\\b(${PARTIAL_KEY_SOURCE})\\.${BASE62_SOURCE}+`, 'g');
const BEARER = /(bearer\s+)\S+/gi;

/** Percent-encoded text decoded, so `sk-…%2E…` or `%73k-…` is seen as the key it is. */
function decoded(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

export function redactSecrets(text: string): string {
  return decoded(text).replace(FULL_KEY, '$1.[redacted]').replace(BEARER, '$1[redacted]');
}
