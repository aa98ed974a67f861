import { brotliDecompressSync } from 'node:zlib';

/**
 * Unpacks a table written by scripts/packed-data.ts: base64 of brotli-compressed UTF-8.
 *
 * The public suffix list and the phone metadata are shipped this way rather than as the array
 * and object literals their libraries use, because every Lambda that parses a phone number or a
 * website pays for those literals at cold start: as compressed strings they are about a quarter
 * of the bundle bytes and cost well under a millisecond to unpack (see `npm run bench`).
 */
export const unpack = (packed: string): string =>
  brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8');
