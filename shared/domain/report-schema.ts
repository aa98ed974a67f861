/**
 * The fraud report as the public API accepts it (POST /v1/reports, docs/api-contract.md).
 *
 * This schema checks shape, types, ranges and vocabularies, with messages written for the
 * person filing. Identifiers (phones, wallets, accounts...) are checked and normalised in a
 * second step (report-normalise.ts) because one of them needs a secret key. Built on `zod/mini`
 * because it tree-shakes: the intake Lambda pays ~2 ms to load it instead of ~7 ms for classic zod.
 */
import * as z from 'zod/mini';
import {
  ageRanges,
  categories,
  contactMethods,
  filerRoles,
  MAX_AMOUNT_CENTS,
  MAX_IDENTIFIERS_PER_LIST,
  MAX_NARRATIVE_CHARS,
  MAX_PAYMENTS,
  paymentMethods,
  recipientKinds,
  usStates,
} from './enums.ts';

const list = (values: readonly string[]) => values.join(', ');

/** 20000 -> "20,000". Not toLocaleString: loading ICU locale data costs ~20 ms of cold start. */
const withThousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Free text: any Unicode, stored exactly as written, bounded so one report cannot fill a page. */
export const text = (max: number, what = 'This answer') =>
  z
    .string({ error: `${what} must be text.` })
    .check(z.maxLength(max, `${what} is too long: keep it under ${max} characters.`));

export const requiredText = (max: number, what: string, missing: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? missing : `${what} must be text.`) }).check(
    z.refine((s) => s.trim().length > 0, missing),
    z.maxLength(max, `${what} is too long: keep it under ${withThousands(max)} characters.`),
  );

/** Dates are calendar dates (YYYY-MM-DD). "Today" is judged in the last time zone on Earth (UTC+14). */
export function latestAllowedDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

export const pastDate = (what: string) =>
  z.iso.date({ error: `${what}: use the date format YYYY-MM-DD, like 2026-10-02.` }).check(
    z.refine((d) => d <= latestAllowedDate(), `${what} cannot be in the future.`),
    z.refine((d) => d >= '1970-01-01', `${what} is too far in the past. Check the year.`),
  );

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (iss) =>
      iss.input === undefined ? `Choose ${what}.` : `Choose ${what} from this list: ${list(values)}.`,
  });

export const amountCents = z
  .int({
    error: (iss) =>
      iss.input === undefined
        ? 'Enter the amount paid.'
        : typeof iss.input === 'number'
          ? 'The amount must be a whole number of cents, like 250000 for $2,500.00.'
          : 'Enter the amount in cents as a number (not text), like 250000 for $2,500.00.',
  })
  .check(
    z.positive('The amount must be more than 0.'),
    z.lte(MAX_AMOUNT_CENTS, 'That is more than $1 billion. Please check the amount.'),
  );

const knownCurrencies = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : ['USD'],
);
export const currency = z
  .string({ error: 'The currency must be a 3-letter code such as USD.' })
  .check(
    z.refine(
      (c) => /^[A-Z]{3}$/.test(c) && knownCurrencies.has(c),
      'Use a 3-letter currency code such as USD, EUR or MXN.',
    ),
  );

const identifierList = (what: string, max = 200) =>
  z
    .array(text(max, what), { error: `${what} must be a list.` })
    .check(
      z.maxLength(
        MAX_IDENTIFIERS_PER_LIST,
        `List at most ${MAX_IDENTIFIERS_PER_LIST} ${what.toLowerCase()}.`,
      ),
    );

export const bankAccountRecipient = z.object({
  kind: z.literal('bank-account'),
  bankName: z.optional(text(200, 'Bank name')),
  routingNumber: z.optional(text(40, 'Routing number')),
  accountNumber: z.optional(text(60, 'Account number')),
  iban: z.optional(text(60, 'IBAN')),
  swift: z.optional(text(20, 'SWIFT code')),
  accountHolderName: z.optional(text(200, 'Account holder name')),
});

export const cryptoWalletRecipient = z.object({
  kind: z.literal('crypto-wallet'),
  asset: z.optional(text(40, 'Cryptocurrency')),
  address: requiredText(200, 'Wallet address', 'Enter the wallet address the money was sent to.'),
  txHash: z.optional(text(200, 'Transaction ID')),
  exchange: z.optional(text(200, 'Exchange or ATM name')),
});

export const paymentAppRecipient = z.object({
  kind: z.literal('payment-app'),
  service: z.optional(text(60, 'Payment app')),
  handle: requiredText(
    200,
    'Username or handle',
    'Enter the username, phone or email the money was sent to.',
  ),
});

export const giftCardRecipient = z.object({
  kind: z.literal('gift-card'),
  brand: z.optional(text(60, 'Card brand')),
  cardNumber: z.optional(text(60, 'Card number')),
});

export const moneyTransferRecipient = z.object({
  kind: z.literal('money-transfer'),
  provider: z.optional(text(60, 'Money transfer company')),
  mtcn: z.optional(text(40, 'Tracking number (MTCN)')),
  receiverName: z.optional(text(200, 'Receiver name')),
  receiverCountry: z.optional(text(60, 'Receiver country')),
});

export const otherRecipient = z.object({
  kind: z.literal('other'),
  description: requiredText(2000, 'Description', 'Describe who or what received the money.'),
});

export const recipient = z.discriminatedUnion(
  'kind',
  [
    bankAccountRecipient,
    cryptoWalletRecipient,
    paymentAppRecipient,
    giftCardRecipient,
    moneyTransferRecipient,
    otherRecipient,
  ],
  { error: `Say who received the money: kind must be one of ${list(recipientKinds)}.` },
);

export const payment = z.object({
  amountCents,
  currency: z._default(currency, 'USD'),
  date: z.optional(pastDate('Payment date')),
  method: oneOf(paymentMethods, 'how you paid'),
  recipient: z.optional(recipient),
});

export const reportInputSchema = z.object(
  {
    filer: z.optional(
      z.object({
        role: z.optional(oneOf(filerRoles, 'who is filing')),
        ageRange: z.optional(oneOf(ageRanges, 'an age range')),
        state: z.optional(oneOf(usStates, 'a state (2-letter code, like FL)')),
        zip: z.optional(
          z
            .string({ error: 'ZIP code must be text.' })
            .check(z.regex(/^\d{5}(-?\d{4})?$/, 'Enter a 5-digit ZIP code, like 33101.')),
        ),
        language: z.optional(
          z
            .string()
            .check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Language must be a code like en or es.')),
        ),
        contact: z.optional(
          z.object({
            name: z.optional(text(200, 'Name')),
            email: z.optional(text(254, 'Email')),
            phone: z.optional(text(40, 'Phone number')),
          }),
        ),
        onBehalfOf: z.optional(
          z.object({
            name: z.optional(text(200, 'Name of the person you are filing for')),
            relationship: z.optional(text(100, 'Relationship')),
          }),
        ),
      }),
    ),
    incident: z.object(
      {
        category: oneOf(categories, 'what kind of scam this was'),
        contactMethod: z.optional(oneOf(contactMethods, 'how the scammer first contacted you')),
        firstContactDate: z.optional(pastDate('Date of first contact')),
        narrative: requiredText(
          MAX_NARRATIVE_CHARS,
          'What happened',
          'Tell us what happened, in your own words.',
        ),
      },
      { error: 'Tell us what happened: the incident section is missing.' },
    ),
    payments: z.optional(
      z
        .array(payment, { error: 'Payments must be a list.' })
        .check(
          z.maxLength(
            MAX_PAYMENTS,
            `List at most ${MAX_PAYMENTS} payments. Put the rest in the description.`,
          ),
        ),
    ),
    scammer: z.optional(
      z.object({
        phones: z.optional(identifierList('Phone numbers', 40)),
        emails: z.optional(identifierList('Email addresses', 254)),
        websites: z.optional(identifierList('Websites', 2000)),
        socialHandles: z.optional(identifierList('Social media accounts', 300)),
        namesUsed: z.optional(identifierList('Names used', 200)),
        impersonated: z.optional(text(200, 'Who they pretended to be')),
      }),
    ),
    consents: z.object(
      {
        shareWithLawEnforcement: z.boolean({
          error: 'Answer yes or no: may we share this report with law enforcement?',
        }),
        contactAboutRecovery: z.boolean({
          error: 'Answer yes or no: may we contact you if money is recovered?',
        }),
      },
      { error: 'Answer the two consent questions.' },
    ),
  },
  { error: 'The report must be a JSON object.' },
);

export type ReportInput = z.output<typeof reportInputSchema>;
export type PaymentInput = z.output<typeof payment>;
export type RecipientInput = z.output<typeof recipient>;
