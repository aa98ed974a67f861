import { isValidRoutingNumber, isValidUsAccountNumber } from './routing-number.ts';
import { keyedHash } from './secret-hash.ts';
import { cleanInput, fail, masked, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

export { isValidRoutingNumber };

export interface BankAccountInput {
  routingNumber?: string;
  accountNumber?: string;
  iban?: string;
  swift?: string;
}

/** The last four letters or digits of a number, for display next to `••••`. */
export const last4 = (value: string): string =>
  value
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(-4)
    .toUpperCase();

/** Spaces, dashes and dots people type inside long numbers. */
const stripSeparators = (text: string): string => text.replace(/[\s\-.]/g, '');

export type RoutingNumberResult = { ok: true; routingNumber: string } | { ok: false; reason: string };

/**
 * A US routing number (ABA), checked. Routing numbers identify the bank, not the person, so
 * unlike account numbers they are safe to store and show in clear.
 */
export const normaliseRoutingNumber = (raw: string): RoutingNumberResult => {
  const routing = stripSeparators(cleanInput(raw, 64) ?? '');
  if (!/^\d{9}$/.test(routing)) {
    return {
      ok: false,
      reason: 'A US routing number has 9 digits. It is printed first along the bottom of a check.',
    };
  }
  if (!isValidRoutingNumber(routing)) {
    return {
      ok: false,
      reason:
        'This routing number does not pass the banks’ check, so a digit is probably wrong. Check it again.',
    };
  }
  return { ok: true, routingNumber: routing };
};

// Registered IBAN lengths (SWIFT IBAN registry). Countries not listed are checked by mod-97 only.
const IBAN_LENGTHS = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 ' +
    'DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 ' +
    'IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 ' +
    'MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 ' +
    'SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

/** ISO 13616 / ISO 7064 mod 97-10: move the first four characters to the end, letters A=10…Z=35. */
export const ibanChecksumOk = (iban: string): boolean => {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digit = Number.parseInt(char, 36);
    remainder = (digit < 10 ? remainder * 10 + digit : remainder * 100 + digit) % 97;
  }
  return remainder === 1;
};

export type IbanResult = { ok: true; iban: string } | { ok: false; reason: string };

/** An IBAN without spaces, upper-case, with its check digits and its country's length verified. */
export const normaliseIban = (raw: string): IbanResult => {
  const iban = stripSeparators(cleanInput(raw, 128) ?? '')
    .toUpperCase()
    .replace(/^IBAN:?/, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) {
    return {
      ok: false,
      reason:
        'An IBAN starts with two letters for the country and two digits, then the account, for example GB82 WEST 1234 5698 7654 32.',
    };
  }
  const expected = IBAN_LENGTHS.get(iban.slice(0, 2));
  if (expected !== undefined && iban.length !== expected) {
    return {
      ok: false,
      reason: `An IBAN from ${iban.slice(0, 2)} has ${expected} characters, but this one has ${iban.length}. Check for a missing or extra character.`,
    };
  }
  if (!ibanChecksumOk(iban)) {
    return {
      ok: false,
      reason: 'This IBAN does not pass its check, so a character is probably wrong. Check it again.',
    };
  }
  return { ok: true, iban };
};

/** A SWIFT/BIC code: bank (4 letters), country (2), location (2), optional branch (3). */
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

/** A SWIFT/BIC code without spaces, upper-case, or undefined if it is not one. */
export const normaliseBic = (raw: string): string | undefined => {
  const bic = stripSeparators(cleanInput(raw, 64) ?? '').toUpperCase();
  return BIC.test(bic) ? bic : undefined;
};

const digitsOnly = (account: string): string | undefined =>
  isValidUsAccountNumber(account) ? stripSeparators(account) : undefined;

/** A US account number as the bank needs it (digits only), or undefined if it is not one. */
export const usAccountDigits = (raw: string): string | undefined => digitsOnly(cleanInput(raw, 128) ?? '');

const alphanumeric = (account: string): string | undefined => {
  const text = stripSeparators(account).toUpperCase();
  return /^[A-Z0-9]{4,34}$/.test(text) && /\d/.test(text) ? text : undefined;
};

const US_ACCOUNT = 'A US bank account number has only digits, between 4 and 17 of them. Check it again.';
const ANY_ACCOUNT = 'An account number has 4 to 34 digits (some countries also use letters). Check it again.';

type ParsedAccount =
  | { ok: true; kind: 'iban' | 'us' | 'swift' | 'acct'; hashInput: string; display: string; bank?: string }
  | { ok: false; reason: string };

const parseBankAccount = (input: BankAccountInput): ParsedAccount => {
  const iban = cleanInput(input.iban ?? '', 128) ?? '';
  const routing = cleanInput(input.routingNumber ?? '', 64) ?? '';
  const account = cleanInput(input.accountNumber ?? '', 128) ?? '';
  const swift = stripSeparators(cleanInput(input.swift ?? '', 64) ?? '').toUpperCase();
  const ibanInAccountField =
    iban === '' && routing === '' && /^[A-Z]{2}\d{2}/i.test(stripSeparators(account));

  if (iban !== '' || ibanInAccountField) {
    const checked = normaliseIban(iban || account);
    if (!checked.ok) return checked;
    const country = checked.iban.slice(0, 2);
    const display = `${country} IBAN ${masked(last4(checked.iban))}`;
    return { ok: true, kind: 'iban', hashInput: `iban|${checked.iban}`, display };
  }
  if (routing !== '') {
    const checked = normaliseRoutingNumber(routing);
    if (!checked.ok) return checked;
    if (account === '')
      return { ok: false, reason: 'Add the account number too: the routing number only tells us the bank.' };
    const digits = digitsOnly(account);
    if (!digits) return { ok: false, reason: US_ACCOUNT };
    const display = `Bank acct ${masked(last4(digits))}`;
    const bank = `routing ${checked.routingNumber}`;
    return { ok: true, kind: 'us', hashInput: `us|${checked.routingNumber}|${digits}`, display, bank };
  }
  if (swift !== '') {
    if (!BIC.test(swift)) {
      return {
        ok: false,
        reason: 'A SWIFT (BIC) code has 8 or 11 letters and digits, for example DEUTDEFF. Check it again.',
      };
    }
    if (account === '')
      return { ok: false, reason: 'Add the account number too: the SWIFT code only tells us the bank.' };
    const number = alphanumeric(account);
    if (!number) return { ok: false, reason: ANY_ACCOUNT };
    const display = `Bank acct ${masked(last4(number))}`;
    return {
      ok: true,
      kind: 'swift',
      hashInput: `swift|${swift.slice(0, 8)}|${number}`,
      display,
      bank: `SWIFT ${swift}`,
    };
  }
  if (account === '')
    return { ok: false, reason: 'Enter the account number, or the IBAN for a bank outside the US.' };
  const number = alphanumeric(account);
  if (!number) return { ok: false, reason: ANY_ACCOUNT };
  return {
    ok: true,
    kind: 'acct',
    hashInput: `acct|${number}`,
    display: `Bank acct ${masked(last4(number))}`,
  };
};

/**
 * A bank account as a keyed hash (HMAC-SHA256) so that reports paying the same account link up
 * without the account number being stored; `display` shows only the last four characters.
 *
 * - IBAN (also when typed into the account field): `iban:` + HMAC(`iban|<IBAN>`).
 * - US routing + account: `us:` + HMAC(`us|<routing>|<account>`). The account keeps its leading
 *   zeros: banks differ on whether they matter, and a false link is worse than a missed one.
 * - SWIFT + account (accounts outside IBAN countries): `swift:` + HMAC(`swift|<BIC8>|<account>`);
 *   the branch part of an 11-character BIC is dropped as senders fill it in inconsistently.
 * - Account number alone: `acct:` + HMAC(`acct|<account>`). Weaker, as the same number can exist at
 *   two banks, but victims often know only the number from a wire receipt, and two reports naming
 *   it are still worth a look.
 */
export const normaliseBankAccount = (input: BankAccountInput, key: Uint8Array): NormaliseResult => {
  const parsed = parseBankAccount(input);
  if (!parsed.ok) return fail(parsed.reason);
  return ok('bank-account', `${parsed.kind}:${keyedHash(key, parsed.hashInput)}`, parsed.display);
};

/**
 * A fuller label for agency staff: the masked account plus what identifies the bank (routing
 * number or SWIFT code), which is not personal data. Undefined if the input is not valid.
 */
export const describeBankAccount = (input: BankAccountInput): string | undefined => {
  const parsed = parseBankAccount(input);
  if (!parsed.ok) return undefined;
  return parsed.bank ? `${parsed.display}, ${parsed.bank}` : parsed.display;
};
