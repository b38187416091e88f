// How an idempotent request's answer is kept: sealed (AES-256-GCM) under a key derived from the
// Idempotency-Key and the caller, neither of which the platform stores. A key's creation replayed
// holds its secret, which must not be readable at rest.
import { createCipheriv, createDecipheriv, createHmac, hash, randomFillSync } from 'node:crypto';

/** What a sealed answer's key is derived for, apart from every other use of the same secrets. */
const PURPOSE = 'keyhold idempotent answer';

/**
 * The One-Step Key Derivation of NIST SP 800-56C Rev. 2 (section 4.1) with SHA-256, one 32-byte
 * block: SHA-256(counter 1 ‖ Z ‖ FixedInfo), Z the Idempotency-Key, FixedInfo the purpose and the
 * caller. The key holds no NUL, so the first NUL ends it. One digest: the two HMACs of HKDF cost a
 * create about 5 µs in the objects they make.
 */
export function sealingKey(idempotencyKey: string, caller: string): Buffer {
  return hash('sha256', `\0\0\0\x01${idempotencyKey}\0${PURPOSE}\0${caller}`, 'buffer');
}

/** HKDF-SHA256 (RFC 5869) of the key salted with the caller: what answers were sealed under until 2026-12. */
function hkdfSealingKey(idempotencyKey: string, caller: string): Buffer {
  const pseudorandomKey = createHmac('sha256', caller).update(idempotencyKey).digest();
  return createHmac('sha256', pseudorandomKey).update(`${PURPOSE}\x01`).digest();
}

// Nonces are drawn from the system's random source a page at a time and each used once: a call
// for every 12 bytes cost a create about 1.5 µs.
const NONCE = 12;
const nonces = Buffer.alloc(NONCE * 341);
let nonceAt = nonces.length;
function nonce(): Buffer {
  if (nonceAt === nonces.length) {
    randomFillSync(nonces);
    nonceAt = 0;
  }
  nonceAt += NONCE;
  return nonces.subarray(nonceAt - NONCE, nonceAt);
}

/** nonce ‖ tag ‖ ciphertext of the answer's JSON text. */
export function seal(key: Buffer, json: string): Buffer {
  const iv = nonce();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const text = cipher.update(json, 'utf8');
  cipher.final(); // GCM writes nothing more; final() makes the tag
  return Buffer.concat([iv, cipher.getAuthTag(), text]);
}

function openWith(key: Buffer, box: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, NONCE));
  decipher.setAuthTag(box.subarray(NONCE, NONCE + 16));
  return Buffer.concat([decipher.update(box.subarray(NONCE + 16)), decipher.final()]).toString('utf8');
}

/**
 * The answer's JSON text in a box sealed under `key`, or under the HKDF key an earlier version used
 * (a row lives a day, so a retry across an upgrade still gets its answer).
 */
export function open(key: Buffer, box: Buffer, idempotencyKey: string, caller: string): string {
  try {
    return openWith(key, box);
  } catch {
    return openWith(hkdfSealingKey(idempotencyKey, caller), box);
  }
}
