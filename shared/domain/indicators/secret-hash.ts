import { hmacSha256Hex } from '../hashes.ts';

/** HMAC-SHA256 keys shorter than this are too easy to brute-force offline. */
export const MIN_INDEX_KEY_BYTES = 16;

/**
 * Keyed hash (HMAC-SHA256, lower-case hex) for identifiers that must be matched without being
 * stored: bank account and gift-card numbers. Account numbers are short and guessable, so a plain
 * hash could be reversed by trying every number; without the key it cannot.
 *
 * The key itself never leaves the server.
 * Throws on a missing or short key: that is a deployment mistake, not bad user input.
 */
export const keyedHash = (key: Uint8Array, message: string): string => {
  if (!(key instanceof Uint8Array) || key.length < MIN_INDEX_KEY_BYTES) {
    throw new TypeError(
      `The indicator index key must be a Uint8Array of at least ${MIN_INDEX_KEY_BYTES} bytes`,
    );
  }
  return hmacSha256Hex(key, message);
};
