import { lookupSlug, slugTable } from './slugs.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

const PROVIDERS = slugTable([
  {
    slug: 'western-union',
    label: 'Western Union',
    aliases: ['WU', 'Western', 'Western Union Money Transfer'],
  },
  { slug: 'moneygram', label: 'MoneyGram', aliases: ['MG', 'Money Gram', 'MoneyGram International'] },
  { slug: 'ria', label: 'Ria', aliases: ['Ria Money Transfer', 'Ria Financial'] },
  { slug: 'remitly', label: 'Remitly', aliases: [] },
  { slug: 'worldremit', label: 'WorldRemit', aliases: [] },
  { slug: 'xoom', label: 'Xoom', aliases: ['PayPal Xoom'] },
  { slug: 'intermex', label: 'Intermex', aliases: [] },
]);

const TRAILING = /\s*\bmoney[\s-]*transfers?\s*$/i;

/** Canonical money-transfer provider slug (`Western Union`, `WU` → `western-union`), `unknown` if none. */
export const moneyTransferProvider = (provider: string | undefined): string =>
  lookupSlug(PROVIDERS, provider, TRAILING).slug;

// Per-provider reference formats; anything else: 4-30 letters and digits.
const FORMATS: Readonly<Record<string, { pattern: RegExp; reason: string; name: string }>> = {
  'western-union': {
    pattern: /^\d{10}$/,
    reason: 'A Western Union tracking number (MTCN) has 10 digits. It is on the receipt.',
    name: 'MTCN',
  },
  moneygram: {
    pattern: /^\d{8}$/,
    reason: 'A MoneyGram reference number has 8 digits. It is on the receipt.',
    name: 'reference',
  },
  ria: {
    pattern: /^[A-Z0-9]{6,20}$/,
    reason: 'A Ria PIN or order number is the code of 6 to 20 letters and digits on the receipt.',
    name: 'PIN',
  },
};
const OTHER = {
  pattern: /^[A-Z0-9]{4,30}$/,
  reason:
    'A transfer number is the code of letters and digits on the receipt (for example the MTCN or reference number).',
  name: 'reference',
};

/** `123-456-7890`: how Western Union prints an MTCN. */
const formatMtcn = (digits: string): string =>
  `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;

/**
 * A money-transfer control number as `mtcn:<provider>:<number>` (spaces and dashes removed,
 * letters upper-case). A transfer reference identifies one payment, not a person, so it is kept in clear.
 */
export const normaliseMoneyTransfer = (provider: string | undefined, mtcn: string): NormaliseResult => {
  const number = (cleanInput(mtcn, 128) ?? '').replace(/[\s\-.#]/g, '').toUpperCase();
  const { slug, known } = lookupSlug(PROVIDERS, provider, TRAILING);
  const format = FORMATS[slug] ?? OTHER;
  if (number === '') return fail('Enter the transfer number from the receipt (MTCN or reference number).');
  if (!format.pattern.test(number)) return fail(format.reason);
  const shown = slug === 'western-union' ? formatMtcn(number) : number;
  const display = known ? `${known.label} ${format.name} ${shown}` : `Transfer ${shown}`;
  return ok('money-transfer', `mtcn:${slug}:${number}`, display);
};
