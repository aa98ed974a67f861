import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type IndicatorType,
  indicatorTypes,
  isIndicatorType,
  type NormaliseResult,
  normaliseBankAccount,
  normaliseDomain,
  normaliseEmail,
  normaliseGiftCard,
  normaliseIndicator,
  normaliseMoneyTransfer,
  normalisePaymentApp,
  normalisePhone,
  normaliseSocialHandle,
  normaliseWallet,
} from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected, testKey } from './support.ts';

/** Report-side normalisation and the lookup spellings an agency might type for the same identifier. */
const cases: readonly { type: IndicatorType; report: () => NormaliseResult; lookups: readonly string[] }[] = [
  {
    type: 'phone',
    report: () => normalisePhone('(202) 555-0143'),
    lookups: ['202.555.0143', '+1 202 555 0143', '1-202-555-0143', '+12025550143'],
  },
  {
    type: 'email',
    report: () => normaliseEmail('Refunds@PayPa1-Secure.com'),
    lookups: ['refunds@paypa1-secure.com', ' REFUNDS@PAYPA1-SECURE.COM ', 'mailto:refunds@paypa1-secure.com'],
  },
  {
    type: 'domain',
    report: () => normaliseDomain('https://www.login.evil.co.uk/path?x'),
    lookups: ['evil.co.uk', 'EVIL.CO.UK.', 'http://secure.evil.co.uk:8080/', 'hxxps://evil[.]co[.]uk'],
  },
  {
    type: 'crypto-wallet',
    report: () => normaliseWallet('USDT-TRC20', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
    lookups: [
      'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      'tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      'USDT:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    ],
  },
  {
    type: 'crypto-wallet',
    report: () => normaliseWallet('ETH', '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'),
    lookups: [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED',
      'ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed@1',
    ],
  },
  {
    type: 'crypto-wallet',
    report: () => normaliseWallet('Bitcoin', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'),
    lookups: [
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4?amount=1',
    ],
  },
  {
    type: 'bank-account',
    report: () => normaliseBankAccount({ routingNumber: '011000015', accountNumber: '1234-5678-9' }, testKey),
    lookups: [
      '011000015:123456789',
      '011000015 123456789',
      '011000015/1234 5678 9',
      '0110-0001-5 : 1234-5678-9',
    ],
  },
  {
    type: 'bank-account',
    report: () => normaliseBankAccount({ iban: 'GB82 WEST 1234 5698 7654 32', swift: 'NWBKGB2L' }, testKey),
    lookups: ['GB82 WEST 1234 5698 7654 32', 'gb82west12345698765432', 'IBAN GB82WEST12345698765432'],
  },
  {
    type: 'bank-account',
    report: () => normaliseBankAccount({ swift: 'DEUTDEFF500', accountNumber: '0123456789' }, testKey),
    lookups: ['DEUTDEFF:0123456789', 'deutdeff 0123-456789'],
  },
  {
    type: 'bank-account',
    report: () => normaliseBankAccount({ accountNumber: '9876 5432 10' }, testKey),
    lookups: ['9876543210', '9876-5432-10'],
  },
  {
    type: 'payment-app',
    report: () => normalisePaymentApp('Cash App', '$JohnDoe'),
    lookups: ['cash-app:johndoe', 'Cash App:$JohnDoe', '$johndoe', 'https://cash.app/$JohnDoe'],
  },
  {
    type: 'payment-app',
    report: () => normalisePaymentApp('Zelle', '(202) 555-0143'),
    lookups: ['zelle:+12025550143', 'Zelle:202-555-0143'],
  },
  {
    type: 'payment-app',
    report: () => normalisePaymentApp('Revolut', '@scammer'),
    lookups: ['other:scammer', 'scammer', '@Scammer'],
  },
  {
    type: 'gift-card',
    report: () => normaliseGiftCard('Google Play', '1234 5678 9012 3456', testKey),
    lookups: [
      'Google Play:1234567890123456',
      'google-play:1234-5678-9012-3456',
      'GooglePlay gift card: 1234 5678 9012 3456',
    ],
  },
  {
    type: 'money-transfer',
    report: () => normaliseMoneyTransfer('Western Union', '123-456-7890'),
    lookups: ['western-union:1234567890', 'WU:123 456 7890', 'mtcn:western-union:1234567890'],
  },
  {
    type: 'money-transfer',
    report: () => normaliseMoneyTransfer(undefined, '123-456-7890'),
    lookups: ['1234567890', '123 456 7890'],
  },
  {
    type: 'social-handle',
    report: () => normaliseSocialHandle('https://www.instagram.com/Invest.With.Anna/'),
    lookups: ['instagram:invest.with.anna', 'instagram.com/invest.with.anna', 'IG: @Invest.With.Anna'],
  },
];

describe('normaliseIndicator', () => {
  it.each(cases.map((c, i) => [c.type, i, c] as const))(
    '%s #%i: every lookup spelling gives the report value',
    (_t, _i, c) => {
      const report = accepted(c.report());
      expect(report.type).toBe(c.type);
      for (const lookup of c.lookups) {
        expect(accepted(normaliseIndicator(c.type, lookup, testKey)).value, lookup).toBe(report.value);
      }
    },
  );

  it.each(cases.map((c, i) => [c.type, i, c] as const))(
    '%s #%i: a stored value looks up as itself',
    (_t, _i, c) => {
      const { value } = accepted(c.report());
      expect(accepted(normaliseIndicator(c.type, value, testKey)).value).toBe(value);
    },
  );

  it('returns WhatsApp links given as social handles as phone indicators', () => {
    const phone = accepted(normaliseIndicator('social-handle', 'https://wa.me/12025550143', testKey));
    expect(phone).toMatchObject({ type: 'phone', value: accepted(normalisePhone('202-555-0143')).value });
  });

  it('does not link different identifiers', () => {
    const bank = (raw: string) => accepted(normaliseIndicator('bank-account', raw, testKey)).value;
    expect(bank('011000015:123456789')).not.toBe(bank('011000015:123456780'));
    expect(bank('011000015:123456789')).not.toBe(bank('021000021:123456789'));
    expect(bank('123456789')).not.toBe(bank('011000015:123456789'));
    const gift = (raw: string) => accepted(normaliseIndicator('gift-card', raw, testKey)).value;
    expect(gift('target:1234567890123456')).not.toBe(gift('walmart:1234567890123456'));
  });

  it.each([
    ['phone', 'not a phone'],
    ['email', 'nobody'],
    ['domain', 'co.uk'],
    ['crypto-wallet', 'btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'],
    ['bank-account', '011000016:123456789'],
    ['bank-account', ''],
    ['payment-app', 'zelle:johnny'],
    ['gift-card', 'target:12'],
    ['money-transfer', 'western-union:123'],
    ['social-handle', 'John Smith'],
  ] as const)('rejects an invalid %s (%j) with a reason', (type, raw) => {
    rejected(normaliseIndicator(type, raw, testKey));
  });

  it('rejects a type it does not know', () => {
    rejected(normaliseIndicator('fax' as IndicatorType, '123', testKey));
    expect(isIndicatorType('fax')).toBe(false);
    expect(indicatorTypes.every(isIndicatorType)).toBe(true);
  });

  it('never throws on arbitrary text, for every type', () => {
    const type = fc.constantFrom(...indicatorTypes);
    fc.assert(
      fc.property(type, fc.string({ unit: 'binary', maxLength: 100 }), (t, raw) => {
        expectWellFormed(normaliseIndicator(t, raw, testKey));
      }),
    );
    // Prefixed shapes reach the per-type parsers' branches.
    const prefixed = fc
      .tuple(
        fc.constantFrom(
          'btc:',
          'usdt:',
          'zelle:',
          'cash-app:',
          'mtcn:',
          'google play:',
          'iban ',
          'x:',
          'wa:',
          '011000015:',
          '',
        ),
        fc.string({ maxLength: 40 }),
      )
      .map(([p, s]) => p + s);
    fc.assert(
      fc.property(type, prefixed, (t, raw) => {
        expectWellFormed(normaliseIndicator(t, raw, testKey));
      }),
    );
  });

  it('is idempotent on whatever it accepts', () => {
    const type = fc.constantFrom(...indicatorTypes);
    const plausible = fc.oneof(
      fc.stringMatching(/^\+?1?[2-9]\d{2}[2-9]\d{6}$/),
      fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.(com|org|co\.uk)$/),
      fc.stringMatching(/^(https?:\/\/)?(www\.)?[a-z]{1,10}\.(com|io|github\.io)(\/[a-z]*)?$/),
      fc.stringMatching(/^[$@]?[a-z][a-z0-9]{2,10}$/),
      fc.stringMatching(/^\d{8,12}$/),
    );
    fc.assert(
      fc.property(type, plausible, (t, raw) => {
        const first = normaliseIndicator(t, raw, testKey);
        if (!first.ok) return;
        const again = accepted(normaliseIndicator(first.indicator.type, first.indicator.value, testKey));
        expect(again.value).toBe(first.indicator.value);
      }),
    );
  });
});
