import { normaliseBankAccount } from './bank-account.ts';
import { normaliseDomain } from './domain.ts';
import { normaliseEmail } from './email.ts';
import { normaliseGiftCard } from './gift-card.ts';
import { normaliseMoneyTransfer } from './money-transfer.ts';
import { normalisePaymentApp, paymentService } from './payment-app.ts';
import { normalisePhone } from './phone.ts';
import { normaliseSocialHandle } from './social-handle.ts';
import { cleanInput, fail } from './text.ts';
import type { IndicatorType, NormaliseResult } from './types.ts';
import { assetWalletFamilies, isWalletUri, normaliseWallet } from './wallet.ts';

/** Stored bank-account values: a lookup may pass one back (e.g. a link from a report page). */
const BANK_VALUE = /^(?:us|iban|swift|acct):[0-9a-f]{64}$/;
const GIFT_CARD_VALUE = /^giftcard:[a-z0-9-]{1,40}:[0-9a-f]{64}$/;
const IBAN_START = /^(?:iban:?\s*)?[a-z]{2}\s*\d{2}/i;

/** `011000015:123456789`, `011000015 1234 5678`, `DEUTDEFF/123456`, an IBAN, or an account number alone. */
const lookupBankAccount = (text: string, key: Uint8Array): NormaliseResult => {
  if (BANK_VALUE.test(text)) {
    return { ok: true, indicator: { type: 'bank-account', value: text, display: 'Bank account' } };
  }
  if (IBAN_START.test(text)) return normaliseBankAccount({ iban: text }, key);
  const split = /^([^:/|,;]+)[:/|,;](.+)$/.exec(text) ?? /^(\S+)\s+(.+)$/.exec(text);
  if (!split) return normaliseBankAccount({ accountNumber: text }, key);
  const [, first = '', accountNumber = ''] = split;
  const bank = first.trim();
  if (/^[a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?$/i.test(bank))
    return normaliseBankAccount({ swift: bank, accountNumber }, key);
  return normaliseBankAccount({ routingNumber: bank, accountNumber }, key);
};

/** `service:handle`, or a bare handle (a `$Cashtag` is taken as Cash App). */
const lookupPaymentApp = (text: string): NormaliseResult => {
  const split = /^([^:]+):(.+)$/.exec(text);
  if (split?.[1] && split[2] !== undefined && !split[2].startsWith('//')) {
    const service = split[1].trim();
    if (service.toLowerCase() === 'other' || paymentService(service) !== 'other') {
      return normalisePaymentApp(service, split[2]);
    }
  }
  return normalisePaymentApp(undefined, text);
};

/** `family:address`, `asset:address` (`USDT:T…`), a payment URI, or a bare address. */
const lookupWallet = (text: string): NormaliseResult => {
  if (isWalletUri(text)) return normaliseWallet(undefined, text);
  const split = /^([a-z0-9 ._-]{2,30}):(.+)$/i.exec(text);
  if (split?.[1] && split[2] && assetWalletFamilies(split[1])) return normaliseWallet(split[1], split[2]);
  return normaliseWallet(undefined, text);
};

/** `brand:number` (the number never holds a colon, so the last one splits), or a stored value. */
const lookupGiftCard = (text: string, key: Uint8Array): NormaliseResult => {
  if (GIFT_CARD_VALUE.test(text)) {
    return { ok: true, indicator: { type: 'gift-card', value: text, display: 'Gift card' } };
  }
  const at = text.lastIndexOf(':');
  return at < 0
    ? normaliseGiftCard(undefined, text, key)
    : normaliseGiftCard(text.slice(0, at), text.slice(at + 1), key);
};

/** `provider:number`, the stored `mtcn:provider:number`, or a bare number (provider unknown). */
const lookupMoneyTransfer = (text: string): NormaliseResult => {
  const rest = text.replace(/^mtcn:/i, '');
  const at = rest.lastIndexOf(':');
  return at < 0
    ? normaliseMoneyTransfer(undefined, rest)
    : normaliseMoneyTransfer(rest.slice(0, at), rest.slice(at + 1));
};

/**
 * Normalises one identifier typed in any spelling, for agency lookups and pool seizure lists. Gives
 * exactly the `value` the report-side normalisers give for the same identifier, and passing a
 * stored `value` back in returns it unchanged (so links from a report page work).
 * A WhatsApp link typed as a social handle comes back as a `phone` indicator.
 */
export const normaliseIndicator = (type: IndicatorType, raw: string, key: Uint8Array): NormaliseResult => {
  const text = cleanInput(raw, 2048);
  if (text === undefined) return fail('This is too long to be an identifier.');
  switch (type) {
    case 'phone':
      return normalisePhone(text);
    case 'email':
      return normaliseEmail(text);
    case 'domain':
      return normaliseDomain(text);
    case 'crypto-wallet':
      return lookupWallet(text);
    case 'bank-account':
      return text === ''
        ? fail('Enter the routing and account numbers, or the IBAN.')
        : lookupBankAccount(text, key);
    case 'payment-app':
      return lookupPaymentApp(text);
    case 'gift-card':
      return lookupGiftCard(text, key);
    case 'money-transfer':
      return lookupMoneyTransfer(text);
    case 'social-handle':
      return normaliseSocialHandle(text);
    default:
      return fail('This kind of identifier is not one we know.');
  }
};
