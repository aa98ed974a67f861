import { keyedHash } from './secret-hash.ts';
import { lookupSlug, slugTable } from './slugs.ts';
import { cleanInput, fail, masked, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

const BRANDS = slugTable([
  { slug: 'google-play', label: 'Google Play', aliases: ['Google Play Store', 'Google', 'Play Store'] },
  {
    slug: 'apple',
    label: 'Apple',
    aliases: [
      'iTunes',
      'App Store',
      'App Store & iTunes',
      'App Store and iTunes',
      'iTunes & App Store',
      'Apple iTunes',
      'Apple Store',
    ],
  },
  { slug: 'amazon', label: 'Amazon', aliases: ['Amazon.com', 'Amazon Pay'] },
  { slug: 'target', label: 'Target', aliases: [] },
  { slug: 'walmart', label: 'Walmart', aliases: ['Wal-Mart'] },
  { slug: 'steam', label: 'Steam', aliases: ['Steam Wallet', 'Valve'] },
  {
    slug: 'vanilla',
    label: 'Vanilla',
    aliases: ['OneVanilla', 'Vanilla Visa', 'Vanilla Mastercard', 'Vanilla Reload'],
  },
  { slug: 'ebay', label: 'eBay', aliases: [] },
  { slug: 'visa-prepaid', label: 'Visa prepaid', aliases: ['Visa', 'Visa gift'] },
  { slug: 'mastercard-prepaid', label: 'Mastercard prepaid', aliases: ['Mastercard', 'Mastercard gift'] },
  { slug: 'amex-prepaid', label: 'American Express prepaid', aliases: ['Amex', 'American Express'] },
  { slug: 'razer-gold', label: 'Razer Gold', aliases: ['Razer'] },
  { slug: 'best-buy', label: 'Best Buy', aliases: [] },
  { slug: 'home-depot', label: 'Home Depot', aliases: ['The Home Depot'] },
  { slug: 'sephora', label: 'Sephora', aliases: [] },
  { slug: 'nordstrom', label: 'Nordstrom', aliases: [] },
  { slug: 'cvs', label: 'CVS', aliases: ['CVS Pharmacy'] },
  { slug: 'walgreens', label: 'Walgreens', aliases: [] },
  { slug: 'playstation', label: 'PlayStation', aliases: ['PSN', 'PlayStation Network', 'PlayStation Store'] },
  { slug: 'xbox', label: 'Xbox', aliases: ['Microsoft', 'Xbox Live'] },
  { slug: 'nintendo', label: 'Nintendo', aliases: ['Nintendo eShop', 'eShop'] },
  { slug: 'green-dot', label: 'Green Dot', aliases: ['MoneyPak', 'Green Dot MoneyPak'] },
  { slug: 'paysafecard', label: 'Paysafecard', aliases: ['Paysafe'] },
  { slug: 'neosurf', label: 'Neosurf', aliases: [] },
]);

/** "Target gift card", "Apple eGift card", "Steam cards": the trailing words name no brand. */
const TRAILING = /[\s-]*\b(?:e-?gift[\s-]*cards?|gift[\s-]*cards?|cards?|gifts?|vouchers?)\s*$/i;

/** Canonical gift-card brand slug: `Google Play`, `google-play`, `GooglePlay` all give `google-play`. */
export const giftCardBrand = (brand: string | undefined): string => lookupSlug(BRANDS, brand, TRAILING).slug;

/**
 * A gift card as `giftcard:<brand>:<HMAC of the number>`. Gift-card numbers are bearer value (whoever
 * has the number can spend it), so they are hashed like bank accounts and only the last four shown.
 */
export const normaliseGiftCard = (
  brand: string | undefined,
  cardNumber: string,
  key: Uint8Array,
): NormaliseResult => {
  const number = (cleanInput(cardNumber, 128) ?? '').replace(/[\s\-.]/g, '').toUpperCase();
  if (number === '') return fail('Enter the card number from the back of the card or the receipt.');
  if (!/^[A-Z0-9]{8,40}$/.test(number)) {
    return fail(
      'A gift card number is the long number or code on the back of the card (often under a scratch-off strip). Check it again.',
    );
  }
  const { slug, known } = lookupSlug(BRANDS, brand, TRAILING);
  const value = `giftcard:${slug}:${keyedHash(key, `giftcard|${slug}|${number}`)}`;
  const label = known ? `${known.label} card` : 'Gift card';
  return ok('gift-card', value, `${label} ${masked(number.slice(-4))}`);
};
