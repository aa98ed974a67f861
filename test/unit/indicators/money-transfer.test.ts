import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moneyTransferProvider, normaliseMoneyTransfer } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('normaliseMoneyTransfer', () => {
  it.each([
    ['Western Union', 'western-union'],
    ['WU', 'western-union'],
    ['western-union', 'western-union'],
    ['MoneyGram', 'moneygram'],
    ['Money Gram', 'moneygram'],
    ['Ria Money Transfer', 'ria'],
    ['Remitly', 'remitly'],
    ['Sendwave', 'sendwave'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('maps the provider %j to %s', (provider, slug) => {
    expect(moneyTransferProvider(provider)).toBe(slug);
    expect(moneyTransferProvider(slug)).toBe(slug);
  });

  it('reads a Western Union MTCN in any spacing', () => {
    for (const mtcn of ['1234567890', '123-456-7890', '123 456 7890', ' 12345 67890 ']) {
      expect(accepted(normaliseMoneyTransfer('Western Union', mtcn))).toEqual({
        type: 'money-transfer',
        value: 'mtcn:western-union:1234567890',
        display: 'Western Union MTCN 123-456-7890',
      });
    }
  });

  it('reads MoneyGram, Ria and other references', () => {
    expect(accepted(normaliseMoneyTransfer('MoneyGram', '1234 5678')).value).toBe('mtcn:moneygram:12345678');
    expect(accepted(normaliseMoneyTransfer('Ria', 'ab-123-456-78')).value).toBe('mtcn:ria:AB12345678');
    expect(accepted(normaliseMoneyTransfer('Remitly', 'rm-9f8e7d')).value).toBe('mtcn:remitly:RM9F8E7D');
    expect(accepted(normaliseMoneyTransfer(undefined, '1234567890'))).toEqual({
      type: 'money-transfer',
      value: 'mtcn:unknown:1234567890',
      display: 'Transfer 1234567890',
    });
  });

  it.each([
    ['Western Union', '123456789', /10 digits/],
    ['Western Union', '12345678901', /10 digits/],
    ['WU', 'ABCDEFGHIJ', /10 digits/],
    ['MoneyGram', '1234567', /8 digits/],
    ['Ria', '12345', /6 to 20/],
    [undefined, '12', /receipt/],
    [undefined, '', /Enter the transfer number/],
  ])('rejects %s %j', (provider, mtcn, reason) => {
    expect(rejected(normaliseMoneyTransfer(provider, mtcn))).toMatch(reason);
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('WU', 'MoneyGram', 'Ria', 'Xoom', undefined),
        fc.stringMatching(/^\d{10}$/),
        (p, n) => {
          const mtcn = p === 'MoneyGram' ? n.slice(0, 8) : n;
          const { value } = accepted(normaliseMoneyTransfer(p, mtcn));
          const [, provider = '', number = ''] = value.split(':');
          expect(accepted(normaliseMoneyTransfer(provider, number)).value).toBe(value);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (p, n) => {
          expectWellFormed(normaliseMoneyTransfer(p, n));
        },
      ),
    );
  });
});
