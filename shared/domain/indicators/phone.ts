import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/min';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

// `min` metadata checks length and leading digits per country (enough to reject +1 123…,
// +1 555…); `max` adds per-type patterns for ~70 KB more bundle, which linking does not need.

const TOO_SHORT = 'This does not look like a complete phone number. Include the area code.';
const TOO_LONG = 'This phone number has too many digits. Check it against the call log or message.';
const INVALID =
  'This is not a valid phone number. Check the digits, and for a number from another country start with + and the country code.';
const LETTERS =
  'A phone number should have digits only. If it was given with letters (like 1-800-FLOWERS), type the matching digits from a phone keypad.';

/** A trailing extension ("ext. 12", "x12", "#12") is dropped: the line itself is the identifier. */
const EXTENSION = /\s*(?:[,;]+|#|ext\.?|extension|x)\s*\d{1,7}$/i;
const ALLOWED = /^\+?[\d\s\-()./]+$/;

/**
 * A phone number in E.164 (`+12025550143`), displayed in international format (`+1 202 555 0143`).
 * Numbers without a country code are read as numbers of `defaultRegion`; a leading `00` or
 * (from the US) `011` is the international dialling prefix.
 */
export const normalisePhone = (raw: string, defaultRegion = 'US'): NormaliseResult => {
  const cleaned = cleanInput(raw, 64);
  if (cleaned === undefined) return fail('This is too long to be a phone number.');
  // RFC 3966 links (`tel:+1-202-555-0143;ext=5`): parameters after `;` are not part of the number.
  const unlinked = /^tel:/i.test(cleaned) ? cleaned.slice(4).replace(/;.*$/, '') : cleaned;
  let text = unlinked.trim().replace(EXTENSION, '');
  if (text === '') return fail('Enter a phone number, including the area code.');
  if (/\p{L}/u.test(text)) return fail(LETTERS);
  if (!ALLOWED.test(text)) {
    return fail('A phone number should have only digits, spaces, dashes, brackets and a leading +.');
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length < 7) return fail(TOO_SHORT);
  // 15 digits (E.164) plus room for an international dialling prefix such as 011.
  if (digits.length > 18) return fail(TOO_LONG);
  if (!text.startsWith('+') && digits.startsWith('00')) text = `+${digits.slice(2)}`;

  const region = defaultRegion.toUpperCase();
  const country = isSupportedCountry(region as CountryCode) ? (region as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: country });
  if (parsed?.isValid() && /^\+[1-9]\d{6,14}$/.test(parsed.number)) {
    return ok('phone', parsed.number, parsed.formatInternational());
  }
  if (!text.startsWith('+') && country === undefined) {
    return fail('Start the number with + and the country code, for example +44 for the United Kingdom.');
  }
  switch (validatePhoneNumberLength(text, { defaultCountry: country })) {
    case 'TOO_SHORT':
      return fail(TOO_SHORT);
    case 'TOO_LONG':
      return fail(TOO_LONG);
    default:
      return fail(INVALID);
  }
};
