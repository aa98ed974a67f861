import { createHash, createHmac } from 'node:crypto';

// SHA-256 and HMAC-SHA256 from node:crypto, which every function has loaded anyway (the AWS SDK
// signs with it). Keccak-256, which node:crypto does not offer, stays with @noble/hashes in
// wallet.ts. Nothing in shared/domain that the website imports uses these.

export const sha256 = (bytes: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(bytes).digest());

/** SHA-256 of UTF-8 text, lower-case hex. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** HMAC-SHA256 of UTF-8 text, lower-case hex. */
export const hmacSha256Hex = (key: Uint8Array, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('hex');
