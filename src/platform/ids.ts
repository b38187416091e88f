import type { RandomBytes } from '../shared/key-format';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** `acc_…` / `key_…` / `agt_…`: 16 hex characters of CSPRNG output; opaque, not secret. */
export const newId = (prefix: 'acc' | 'key' | 'agt', random: RandomBytes): string => `${prefix}_${hex(random(8))}`;
