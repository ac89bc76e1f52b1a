const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh Idempotency-Key (24 letters and digits) for one tap on a write that
 * must not happen twice (book, cancel, reschedule). A retry after a network
 * failure sends the same key, so the API answers with the first result instead
 * of booking again. Not a secret: Math.random is enough where crypto is missing
 * (the mini-program).
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(24);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
