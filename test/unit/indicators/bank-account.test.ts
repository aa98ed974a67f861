import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeBankAccount,
  ibanChecksumOk,
  isValidRoutingNumber,
  keyedHash,
  last4,
  normaliseBankAccount,
  normaliseIban,
  normaliseRoutingNumber,
} from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, otherKey, rejected, testKey } from './support.ts';

const HMAC_VALUE = /^(us|iban|swift|acct):[0-9a-f]{64}$/;

describe('routing numbers', () => {
  it.each(['011000015', '021000021', '026009593', '121000358', '322271627'])('accepts %s', (routing) => {
    expect(isValidRoutingNumber(routing)).toBe(true);
    expect(normaliseRoutingNumber(` ${routing.slice(0, 4)}-${routing.slice(4)} `)).toEqual({
      ok: true,
      routingNumber: routing,
    });
  });

  it.each([
    ['a wrong check digit', '011000016'],
    ['a checksum that fails', '123456789'],
    ['all zeros', '000000000'],
    ['a valid checksum but an unused prefix', '500000005'],
    ['8 digits', '01100001'],
    ['letters', '01100001A'],
  ])('rejects %s', (_label, routing) => {
    expect(isValidRoutingNumber(routing)).toBe(false);
    expect(normaliseRoutingNumber(routing).ok).toBe(false);
  });
});

describe('IBANs', () => {
  it.each([
    ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['de89-3704-0044-0532-0130-00', 'DE89370400440532013000'],
    ['IBAN: FR14 2004 1010 0505 0001 3M02 606', 'FR1420041010050500013M02606'],
    ['NL91ABNA0417164300', 'NL91ABNA0417164300'],
    ['BE68 5390 0754 7034', 'BE68539007547034'],
    ['CH93 0076 2011 6238 5295 7', 'CH9300762011623852957'],
    ['NO93 8601 1117 947', 'NO9386011117947'],
  ])('accepts %s', (raw, iban) => {
    expect(normaliseIban(raw)).toEqual({ ok: true, iban });
    expect(ibanChecksumOk(iban)).toBe(true);
  });

  it('rejects a wrong check digit, a wrong country length and a malformed start', () => {
    expect(rejected(normaliseIban('GB83 WEST 1234 5698 7654 32'))).toMatch(/does not pass its check/);
    expect(rejected(normaliseIban('GB82 WEST 1234 5698 7654 3'))).toMatch(/GB has 22 characters.*21/);
    expect(rejected(normaliseIban('1234 5678 9012 3456'))).toMatch(/two letters/);
  });
});

describe('normaliseBankAccount', () => {
  it('hashes a US routing and account number and shows only the last four', () => {
    const account = accepted(
      normaliseBankAccount({ routingNumber: '011000015', accountNumber: '123456789' }, testKey),
    );
    expect(account.type).toBe('bank-account');
    expect(account.value).toMatch(/^us:[0-9a-f]{64}$/);
    expect(account.value).toBe(`us:${keyedHash(testKey, 'us|011000015|123456789')}`);
    expect(account.display).toBe('Bank acct ••••6789');
    expect(`${account.value} ${account.display}`).not.toContain('12345');
  });

  it('gives one value for every spelling of the same US account', () => {
    const expected = accepted(
      normaliseBankAccount({ routingNumber: '011000015', accountNumber: '123456789' }, testKey),
    );
    for (const [routingNumber, accountNumber] of [
      [' 011000015 ', '1234-5678-9'],
      ['0110-0001-5', '1234 56789'],
      ['011 000 015', '123.456.789'],
    ] as const) {
      expect(accepted(normaliseBankAccount({ routingNumber, accountNumber }, testKey)).value).toBe(
        expected.value,
      );
    }
  });

  it('hashes IBANs, also when typed into the account number field', () => {
    const iban = accepted(normaliseBankAccount({ iban: 'GB82 WEST 1234 5698 7654 32' }, testKey));
    expect(iban.value).toBe(`iban:${keyedHash(testKey, 'iban|GB82WEST12345698765432')}`);
    expect(iban.display).toBe('GB IBAN ••••5432');
    expect(accepted(normaliseBankAccount({ iban: 'gb82west12345698765432' }, testKey)).value).toBe(
      iban.value,
    );
    expect(
      accepted(normaliseBankAccount({ accountNumber: 'GB82 WEST 1234 5698 7654 32' }, testKey)).value,
    ).toBe(iban.value);
    const de = accepted(
      normaliseBankAccount({ iban: 'DE89 3704 0044 0532 0130 00', swift: 'COBADEFFXXX' }, testKey),
    );
    expect(de.display).toBe('DE IBAN ••••3000');
    expect(de.value).not.toBe(iban.value);
  });

  it('hashes a SWIFT code and account, ignoring the branch part of an 11-character BIC', () => {
    const eight = accepted(normaliseBankAccount({ swift: 'DEUTDEFF', accountNumber: '0123456789' }, testKey));
    const eleven = accepted(
      normaliseBankAccount({ swift: 'deut de ff 500', accountNumber: '0123-456789' }, testKey),
    );
    expect(eight.value).toMatch(/^swift:[0-9a-f]{64}$/);
    expect(eleven.value).toBe(eight.value);
    expect(describeBankAccount({ swift: 'DEUTDEFF500', accountNumber: '0123456789' })).toBe(
      'Bank acct ••••6789, SWIFT DEUTDEFF500',
    );
  });

  it('hashes an account number on its own under a separate prefix', () => {
    const alone = accepted(normaliseBankAccount({ accountNumber: '1234 5678 9' }, testKey));
    expect(alone.value).toBe(`acct:${keyedHash(testKey, 'acct|123456789')}`);
    const withRouting = accepted(
      normaliseBankAccount({ routingNumber: '011000015', accountNumber: '123456789' }, testKey),
    );
    expect(alone.value).not.toBe(withRouting.value);
  });

  it('shows the routing number in the fuller staff label only', () => {
    expect(describeBankAccount({ routingNumber: '011000015', accountNumber: '123456789' })).toBe(
      'Bank acct ••••6789, routing 011000015',
    );
    expect(describeBankAccount({ routingNumber: '011000016', accountNumber: '123456789' })).toBeUndefined();
  });

  it.each([
    ['a routing number without an account', { routingNumber: '011000015' }, /Add the account number/],
    ['a bad routing number', { routingNumber: '011000016', accountNumber: '123456789' }, /banks’ check/],
    ['a short account', { routingNumber: '011000015', accountNumber: '123' }, /4 and 17/],
    ['an 18-digit US account', { routingNumber: '011000015', accountNumber: '1'.repeat(18) }, /4 and 17/],
    ['letters in a US account', { routingNumber: '011000015', accountNumber: '12AB5678' }, /only digits/],
    ['a bad IBAN', { iban: 'GB00 WEST 1234 5698 7654 32' }, /does not pass/],
    ['a bad SWIFT code', { swift: 'DEU1', accountNumber: '123456789' }, /SWIFT/],
    ['a SWIFT code alone', { swift: 'DEUTDEFF' }, /Add the account number/],
    ['nothing', {}, /Enter the account number/],
    ['blank fields', { accountNumber: '  ', routingNumber: '' }, /Enter the account number/],
  ])('rejects %s', (_label, input, reason) => {
    expect(rejected(normaliseBankAccount(input, testKey))).toMatch(reason);
  });

  it('refuses to hash with a missing or short key', () => {
    expect(() => normaliseBankAccount({ accountNumber: '123456789' }, new Uint8Array(8))).toThrow(TypeError);
    expect(() => keyedHash(undefined as unknown as Uint8Array, 'x')).toThrow(TypeError);
  });

  it('last4 takes the last four letters or digits', () => {
    expect(last4('1234-5678-9')).toBe('6789');
    expect(last4('GB82 WEST 1234 5698 7654 32')).toBe('5432');
    expect(last4('x1')).toBe('X1');
  });
});

describe('normaliseBankAccount properties', () => {
  /** A valid routing number: 8 digits with a Federal Reserve prefix, then the ABA check digit. */
  const routing = fc
    .tuple(
      fc.constantFrom('01', '02', '07', '11', '21', '26', '32', '61', '72'),
      fc.stringMatching(/^\d{6}$/),
    )
    .map(([prefix, rest]) => {
      const first8 = `${prefix}${rest}`;
      const weights = [3, 7, 1, 3, 7, 1, 3, 7];
      const sum = [...first8].reduce((total, d, i) => total + Number(d) * (weights[i] ?? 0), 0);
      return `${first8}${(10 - (sum % 10)) % 10}`;
    });
  const account = fc.stringMatching(/^\d{8,17}$/);
  const spaced = (digits: string, seps: readonly string[]) =>
    [...digits].map((d, i) => (i > 0 && seps[i % seps.length] ? `${seps[i % seps.length]}${d}` : d)).join('');
  const separators = fc.array(fc.constantFrom('', '', ' ', '-'), { minLength: 1, maxLength: 6 });

  it('never puts the account number in the value or the display', () => {
    fc.assert(
      fc.property(routing, account, (r, a) => {
        expect(isValidRoutingNumber(r)).toBe(true);
        const { value, display } = accepted(
          normaliseBankAccount({ routingNumber: r, accountNumber: a }, testKey),
        );
        expect(value).toMatch(HMAC_VALUE);
        expect(value).not.toContain(a);
        expect(display).not.toContain(a);
        expect(display).toBe(`Bank acct ••••${a.slice(-4)}`);
      }),
    );
  });

  it('gives one value however the numbers are spaced, and a different value if any account digit changes', () => {
    fc.assert(
      fc.property(
        routing,
        account,
        separators,
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (r, a, seps, at, delta) => {
          const value = accepted(normaliseBankAccount({ routingNumber: r, accountNumber: a }, testKey)).value;
          const respaced = { routingNumber: spaced(r, seps), accountNumber: spaced(a, seps) };
          expect(accepted(normaliseBankAccount(respaced, testKey)).value).toBe(value);

          const index = at % a.length;
          const changed = a.slice(0, index) + ((Number(a.charAt(index)) + delta) % 10) + a.slice(index + 1);
          expect(
            accepted(normaliseBankAccount({ routingNumber: r, accountNumber: changed }, testKey)).value,
          ).not.toBe(value);
        },
      ),
    );
  });

  it('rejects a routing number with any one digit changed (the ABA check catches single typos)', () => {
    fc.assert(
      fc.property(routing, fc.nat(8), fc.integer({ min: 1, max: 9 }), (r, index, delta) => {
        const changed = r.slice(0, index) + ((Number(r.charAt(index)) + delta) % 10) + r.slice(index + 1);
        expect(isValidRoutingNumber(changed)).toBe(false);
      }),
    );
  });

  it('gives different values under different keys', () => {
    fc.assert(
      fc.property(routing, account, fc.uint8Array({ minLength: 16, maxLength: 64 }), (r, a, key) => {
        const input = { routingNumber: r, accountNumber: a };
        const first = accepted(normaliseBankAccount(input, testKey)).value;
        expect(accepted(normaliseBankAccount(input, otherKey)).value).not.toBe(first);
        const random = accepted(normaliseBankAccount(input, key)).value;
        expect(random === first).toBe(key.length === testKey.length && key.every((b, i) => b === testKey[i]));
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    const field = fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ routingNumber: field, accountNumber: field, iban: field, swift: field }),
        (input) => {
          expectWellFormed(normaliseBankAccount(input, testKey));
        },
      ),
    );
  });
});
