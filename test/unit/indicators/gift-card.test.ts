import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { giftCardBrand, keyedHash, normaliseGiftCard } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, otherKey, rejected, testKey } from './support.ts';

describe('giftCardBrand', () => {
  it.each([
    ['Google Play', 'google-play'],
    ['google-play', 'google-play'],
    ['GooglePlay', 'google-play'],
    ['Google Play gift card', 'google-play'],
    ['Apple', 'apple'],
    ['iTunes', 'apple'],
    ['App Store & iTunes', 'apple'],
    ['Apple eGift Card', 'apple'],
    ['Target', 'target'],
    ['Target gift card', 'target'],
    ['Walmart', 'walmart'],
    ['Amazon.com', 'amazon'],
    ['Steam Wallet', 'steam'],
    ['Vanilla Visa', 'vanilla'],
    ['eBay', 'ebay'],
    ['Visa', 'visa-prepaid'],
    ['Visa gift card', 'visa-prepaid'],
    ['Mastercard', 'mastercard-prepaid'],
    ['Razer Gold', 'razer-gold'],
    ['Best Buy', 'best-buy'],
    ["Joe's Store", 'joesstore'],
    ['JoesStore gift card', 'joesstore'],
    ['', 'unknown'],
    ['other', 'unknown'],
    [undefined, 'unknown'],
  ])('maps %j to %s', (brand, slug) => {
    expect(giftCardBrand(brand)).toBe(slug);
    expect(giftCardBrand(slug)).toBe(slug);
  });
});

describe('normaliseGiftCard', () => {
  it('hashes the card number under the brand and shows only the last four', () => {
    const card = accepted(normaliseGiftCard('Google Play', '1234 5678 9012 3456', testKey));
    expect(card).toEqual({
      type: 'gift-card',
      value: `giftcard:google-play:${keyedHash(testKey, 'giftcard|google-play|1234567890123456')}`,
      display: 'Google Play card ••••3456',
    });
    expect(card.value).not.toContain('12345678');
  });

  it('gives one value for spellings of the brand and of the number', () => {
    const value = accepted(normaliseGiftCard('App Store & iTunes', 'X8B7-C6D5-E4F3-G2H1', testKey)).value;
    expect(accepted(normaliseGiftCard('apple', 'x8b7c6d5e4f3g2h1', testKey)).value).toBe(value);
    expect(accepted(normaliseGiftCard('iTunes', ' X8B7 C6D5 E4F3 G2H1 ', testKey)).value).toBe(value);
  });

  it('keeps brands and keys apart', () => {
    const google = accepted(normaliseGiftCard('Google Play', '1234567890123456', testKey)).value;
    expect(accepted(normaliseGiftCard('Target', '1234567890123456', testKey)).value).not.toBe(google);
    expect(accepted(normaliseGiftCard('Google Play', '1234567890123456', otherKey)).value).not.toBe(google);
    expect(accepted(normaliseGiftCard(undefined, '1234567890123456', testKey))).toMatchObject({
      value: expect.stringMatching(/^giftcard:unknown:[0-9a-f]{64}$/),
      display: 'Gift card ••••3456',
    });
  });

  it.each([
    ['empty', '', /Enter the card number/],
    ['too short', '1234', /back of the card/],
    ['symbols', '1234*5678*9012', /back of the card/],
  ])('rejects %s', (_label, number, reason) => {
    expect(rejected(normaliseGiftCard('Target', number, testKey))).toMatch(reason);
  });

  it('never shows or stores the number, and never throws', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{10,20}$/), fc.string({ maxLength: 20 }), (number, brand) => {
        const { value, display } = accepted(normaliseGiftCard(brand, number, testKey));
        expect(value).not.toContain(number);
        expect(display).not.toContain(number);
        expect(display.endsWith(`••••${number.slice(-4)}`)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (b, n) => {
          expectWellFormed(normaliseGiftCard(b, n, testKey));
        },
      ),
    );
  });
});
