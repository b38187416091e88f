import type { RandomBytes } from './key-format';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * `acc_…`, `key_…`, `conn_…`: hex of the injected random source (a CSPRNG outside tests);
 * opaque, not secret.
 */
export const newId = (prefix: string, random: RandomBytes, bytes = 8): string => `${prefix}_${hex(random(bytes))}`;
