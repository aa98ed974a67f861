import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('normaliseEmail', () => {
  it.each([
    ['John.Doe+Refund@Example.COM', 'john.doe+refund@example.com'],
    ['  help@paypa1-secure.com  ', 'help@paypa1-secure.com'],
    ['mailto:Help@PayPa1.com', 'help@paypa1.com'],
    ['mailto:help@paypa1.com?subject=Refund', 'help@paypa1.com'],
    ['PayPal Support <Help@PayPa1-Secure.com>', 'help@paypa1-secure.com'],
    ['agent@irs-gov.co.uk', 'agent@irs-gov.co.uk'],
    ['support@refunds.scam.github.io', 'support@refunds.scam.github.io'],
    ['x@bücher.de', 'x@xn--bcher-kva.de'],
    ['ｈｅｌｐ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'help@example.com'],
    ["o'brien_1@mail.example.org", "o'brien_1@mail.example.org"],
  ])('normalises %j to %s', (raw, value) => {
    const email = accepted(normaliseEmail(raw));
    expect(email).toEqual({ type: 'email', value, display: value });
  });

  it('keeps dots and +tags, since only the provider knows whether they matter', () => {
    const dotted = accepted(normaliseEmail('j.doe@gmail.com')).value;
    const plain = accepted(normaliseEmail('jdoe@gmail.com')).value;
    const tagged = accepted(normaliseEmail('jdoe+x@gmail.com')).value;
    expect(new Set([dotted, plain, tagged]).size).toBe(3);
  });

  it.each([
    ['empty', '', /Enter an email/],
    ['no @', 'help.example.com', /@ sign/],
    ['two @', 'a@b@example.com', /only one @/],
    ['space', 'john doe@example.com', /no spaces/],
    ['nothing before @', '@example.com', /missing/],
    ['nothing after @', 'john@', /missing/],
    ['no public suffix', 'john@localhost', /not a valid domain/],
    ['unknown ending', 'john@example.invalidtld', /known ending/],
    ['public suffix only', 'john@co.uk', /missing the name/],
    ['leading dot', '.john@example.com', /before the @/],
    ['double dot', 'john..doe@example.com', /before the @/],
    ['IP literal', 'john@[203.0.113.7]', /not a valid domain/],
    ['local part over 64', `${'a'.repeat(65)}@example.com`, /before the @/],
  ])('rejects %s', (_label, raw, reason) => {
    expect(rejected(normaliseEmail(raw))).toMatch(reason);
  });

  it('rejects addresses longer than 254 characters', () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(rejected(normaliseEmail(long))).toMatch(/too long/);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const email = fc
    .tuple(
      fc.stringMatching(/^[a-z0-9_+-]{1,10}(\.[a-z0-9_+-]{1,10}){0,2}$/),
      label,
      fc.constantFrom('com', 'org', 'co.uk', 'com.au', 'de', 'io', 'github.io'),
    )
    // `scam` prefix: a bare name could itself be a public suffix (`cn.com`, `ltd.co.uk`).
    .map(([local, name, suffix]) => `${local}@scam${name}.${suffix}`);

  it('gives one value whatever the letter case and surrounding space', () => {
    const upper = fc.array(fc.boolean(), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(email, upper, fc.constantFrom('', ' ', '\t', 'mailto:'), (plain, flags, pad) => {
        const value = accepted(normaliseEmail(plain)).value;
        expect(value).toBe(plain.toLowerCase());
        const cased = [...plain].map((c, i) => (flags[i % flags.length] ? c.toUpperCase() : c)).join('');
        expect(accepted(normaliseEmail(`${pad}${cased} `)).value).toBe(value);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(email, (raw) => {
        const value = accepted(normaliseEmail(raw)).value;
        expect(accepted(normaliseEmail(value)).value).toBe(value);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (raw) =>
        expectWellFormed(normaliseEmail(raw)),
      ),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z.@<>: -]{0,30}$/), (raw) => expectWellFormed(normaliseEmail(raw))),
    );
  });
});
