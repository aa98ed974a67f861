import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, sha256, sha256Hex } from '#shared/domain/hashes.ts';
import { keyedHash } from '#shared/domain/indicators/index.ts';

// Tokens already stored (bank accounts, gift cards, access-code hashes) must keep matching, so the
// hashes are pinned to the published test vectors, not just to themselves.

describe('hashes', () => {
  it('SHA-256 matches FIPS 180-2 ("abc")', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('HMAC-SHA256 matches RFC 4231 test case 1, and keyedHash is that HMAC', () => {
    // Test case 1: key 0x0b x 20, "Hi There".
    const key = new Uint8Array(20).fill(0x0b);
    const expected = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7';
    expect(hmacSha256Hex(key, 'Hi There')).toBe(expected);
    expect(keyedHash(key, 'Hi There')).toBe(expected);
  });

  it('keyedHash refuses a short key', () => {
    expect(() => keyedHash(new Uint8Array(8), 'x')).toThrow(/at least 16 bytes/);
  });
});
