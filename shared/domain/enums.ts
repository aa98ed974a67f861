/**
 * The fixed vocabularies of a fraud report. Values are part of the public contract
 * (docs/api-contract.md): add new ones at the end, never rename. Categories follow the FTC Consumer
 * Sentinel taxonomy so reports can be compared with national figures.
 */

export const categories = [
  'imposter-government',
  'imposter-business',
  'imposter-tech-support',
  'imposter-romance',
  'imposter-family-friend',
  'investment',
  'online-shopping',
  'job-scam',
  'business-opportunity',
  'prizes-sweepstakes-lotteries',
  'extortion',
  'phishing',
  'ransomware',
  'fake-check',
  'charity',
  'identity-theft',
  'other',
] as const;
export type Category = (typeof categories)[number];

export const contactMethods = [
  'phone-call',
  'text',
  'email',
  'social-media',
  'website-or-app',
  'online-ad-or-popup',
  'mail',
  'in-person',
  'other',
] as const;
export type ContactMethod = (typeof contactMethods)[number];

export const paymentMethods = [
  'credit-card',
  'debit-card',
  'payment-app',
  'bank-transfer',
  'wire-transfer',
  'cryptocurrency',
  'gift-card',
  'cash',
  'check',
  'money-order',
  'other',
] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const ageRanges = [
  'under-20',
  '20-29',
  '30-39',
  '40-49',
  '50-59',
  '60-69',
  '70-79',
  '80-plus',
] as const;
export type AgeRange = (typeof ageRanges)[number];

export const filerRoles = ['victim', 'caregiver', 'other'] as const;
export type FilerRole = (typeof filerRoles)[number];

export const recipientKinds = [
  'bank-account',
  'crypto-wallet',
  'payment-app',
  'gift-card',
  'money-transfer',
  'other',
] as const;
export type RecipientKind = (typeof recipientKinds)[number];

/** Languages the portal speaks; a report in another language is still accepted (stored as given). */
export const portalLanguages = ['en', 'es'] as const;
export type PortalLanguage = (typeof portalLanguages)[number];

/** US states, DC and the territories (USPS codes). */
export const usStates = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
  'AA',
  'AE',
  'AP',
] as const;
export type UsState = (typeof usStates)[number];

/** Report lifecycle as agency staff see it. */
export const reportStatuses = ['RECEIVED', 'ENRICHED'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** The largest single amount accepted: $1 billion in cents. Larger is almost certainly a typo. */
export const MAX_AMOUNT_CENTS = 100_000_000_000;
export const MAX_PAYMENTS = 50;
export const MAX_IDENTIFIERS_PER_LIST = 50;
export const MAX_NARRATIVE_CHARS = 20_000;
/** Request bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;
