import { brotliDecompressSync } from 'node:zlib';

/**
 * Unpacks a table written by scripts/packed-data.ts: brotli-compressed UTF-8, written as text.
 *
 * The public suffix list and the phone metadata are shipped this way rather than as the array
 * and object literals their libraries use, because every Lambda that parses a phone number or a
 * website pays for those literals at cold start: packed, they are about a quarter of the bundle
 * bytes and cost a couple of milliseconds to unpack, on first use (see `npm run bench`).
 *
 * The text encoding is denser than base64 (13 bits in every 2 characters, 6.5 bits a byte of
 * bundle instead of 6): `<byte length>|` then pairs of characters from ALPHABET, low digit first.
 */
export const ALPHABET = (() => {
  let chars = '';
  // Printable ASCII except the quote and backslash, so the string needs no escapes in a bundle.
  for (let c = 0x20; c <= 0x7e; c++) if (c !== 0x27 && c !== 0x5c) chars += String.fromCharCode(c);
  return chars;
})();
const BASE = ALPHABET.length; // 93: 93 * 93 = 8649 >= 2^13

export function encodeText(bytes: Uint8Array): string {
  let out = `${bytes.length}|`;
  let acc = 0;
  let bits = 0;
  const emit = (v: number) => {
    out += ALPHABET[v % BASE]! + ALPHABET[Math.floor(v / BASE)]!;
  };
  for (const byte of bytes) {
    acc |= byte << bits;
    bits += 8;
    if (bits >= 13) {
      emit(acc & 0x1fff);
      acc >>>= 13;
      bits -= 13;
    }
  }
  if (bits > 0) emit(acc);
  return out;
}

export function decodeText(text: string): Uint8Array {
  const bar = text.indexOf('|');
  const length = Number(text.slice(0, bar));
  const out = new Uint8Array(length);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = bar + 1; i + 1 < text.length && n < length; i += 2) {
    const v =
      text.charCodeAt(i) -
      offset(text.charCodeAt(i)) +
      (text.charCodeAt(i + 1) - offset(text.charCodeAt(i + 1))) * BASE;
    acc |= v << bits;
    bits += 13;
    while (bits >= 8 && n < length) {
      out[n++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (n !== length) throw new Error('Packed table is truncated');
  return out;
}

/** Index in ALPHABET of a character code: the code less 0x20, less one for each gap below it. */
const offset = (code: number) => 0x20 + (code > 0x27 ? 1 : 0) + (code > 0x5c ? 1 : 0);

export const unpack = (packed: string): string => brotliDecompressSync(decodeText(packed)).toString('utf8');
