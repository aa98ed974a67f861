import fc from 'fast-check';
import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import { ALPHABET, decodeText, encodeText, unpack } from '#shared/domain/indicators/packed.ts';
import { PACKED_PHONE_METADATA } from '#shared/domain/indicators/phone-metadata-data.ts';
import { PACKED_PUBLIC_SUFFIXES } from '#shared/domain/indicators/public-suffix-data.ts';
import { publicSuffixOf, registrableDomainOf } from '#shared/domain/indicators/public-suffixes.ts';
import { phoneMetadataText, publicSuffixRules, publicSuffixText } from '../../../scripts/packed-data.ts';

// Restore ships its own compact copy of the public suffix list (see packed.ts). tldts, the library
// it replaced at run time, stays as the reference: these tests fail if the two ever disagree, or
// if the packed tables fall behind the installed libraries (run `npm run generate:data`).

const rules = publicSuffixRules();

/** What tldts says, in the shape Restore's lookup gives (IP literals never reach the lookup). */
function reference(hostname: string) {
  const p = parse(hostname, { allowPrivateDomains: true, extractHostname: false, detectIp: false });
  return {
    suffix: p.publicSuffix,
    isIcann: p.isIcann === true,
    isPrivate: p.isPrivate === true,
    domain: p.domain ?? undefined,
  };
}

function ours(hostname: string) {
  const s = publicSuffixOf(hostname);
  return { ...s, domain: registrableDomainOf(hostname, s.suffix) };
}

describe('packed tables', () => {
  it('write bytes as quote-free printable text and read them back exactly', () => {
    expect(ALPHABET).toHaveLength(93);
    expect(ALPHABET).not.toMatch(/['\\]/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeText(bytes);
        expect(text).toMatch(/^\d+\|[ -~]*$/);
        expect(decodeText(text)).toEqual(bytes);
        // 13 bits in every two characters.
        expect(text.length - text.indexOf('|') - 1).toBe(2 * Math.ceil((bytes.length * 8) / 13));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuse a truncated table rather than return part of it', () => {
    const text = encodeText(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(() => decodeText(text.slice(0, -2))).toThrow(/truncated/);
  });

  it('hold exactly the rules of the installed tldts', () => {
    expect(unpack(PACKED_PUBLIC_SUFFIXES)).toBe(publicSuffixText());
  });

  it('hold exactly the min metadata of the installed libphonenumber-js', () => {
    expect(unpack(PACKED_PHONE_METADATA)).toBe(phoneMetadataText());
  });

  it('cover both sections of the list, with wildcards and exceptions', () => {
    const flags = new Set(rules.map(([flag]) => flag));
    expect(flags).toEqual(new Set([1, 2]));
    expect(rules.length).toBeGreaterThan(9000);
    expect(rules.some(([, r]) => r.startsWith('*.'))).toBe(true);
    expect(rules.some(([, r]) => r.startsWith('!'))).toBe(true);
  });
});

describe('publicSuffixOf', () => {
  it.each([
    ['evil.co.uk', 'co.uk', 'evil.co.uk', true, false],
    ['www.login.evil.co.uk', 'co.uk', 'evil.co.uk', true, false],
    ['scam.github.io', 'github.io', 'scam.github.io', false, true],
    ['github.io', 'github.io', undefined, false, true],
    ['a.b.kawasaki.jp', 'b.kawasaki.jp', 'a.b.kawasaki.jp', true, false],
    ['www.city.kawasaki.jp', 'kawasaki.jp', 'city.kawasaki.jp', true, false],
    ['evil.com', 'com', 'evil.com', true, false],
    ['evil.notatld', 'notatld', 'evil.notatld', false, false],
    ['xn--bcher-kva.de', 'de', 'xn--bcher-kva.de', true, false],
  ])('%s has suffix %s and site %s', (host, suffix, domain, isIcann, isPrivate) => {
    expect(ours(host)).toEqual({ suffix, domain, isIcann, isPrivate });
  });

  it('agrees with tldts on every rule, one and two labels below it, and the rule itself', () => {
    const disagreements: string[] = [];
    for (const [, rule] of rules) {
      const base = rule.replace(/^!/, '').replace(/\*/g, 'w1ld');
      for (const host of [base, `x.${base}`, `y.x.${base}`]) {
        const a = ours(host);
        const b = reference(host);
        if (JSON.stringify(a) !== JSON.stringify(b))
          disagreements.push(`${host}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('agrees with tldts on hostnames built from the list’s own labels', () => {
    const labels = [...new Set(rules.flatMap(([, r]) => r.replace(/^!/, '').split('.')))].filter(
      (l) => l !== '*',
    );
    const label = fc.oneof(
      fc.constantFrom(...labels),
      fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/),
    );
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), (parts) => {
        const host = parts.join('.');
        expect(ours(host)).toEqual(reference(host));
      }),
      { numRuns: 20_000 },
    );
  });
});
