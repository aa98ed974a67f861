/**
 * What an agency admin sends to create or edit a pool, checked with plain-language messages.
 * Schemas only: pool-normalise.ts turns them into stored pools.
 */
import * as z from 'zod/mini';
import { DEFAULT_MINIMUM_PAYOUT_CENTS } from './distribution.ts';
import { indicatorTypes } from './indicators/types.ts';
import { poolStatuses } from './pool.ts';
import { currency, requiredText, text } from './report-schema.ts';

export const MAX_SEIZED_INDICATORS = 200;
/** Pools hold at most $90 trillion: amounts stay exact in a double (Number.MAX_SAFE_INTEGER). */
const MAX_POOL_CENTS = Number.MAX_SAFE_INTEGER;

const poolAmount = z
  .int({
    error: (iss) =>
      iss.input === undefined
        ? 'Enter the amount available in the pool, in cents.'
        : 'The amount must be a whole number of cents, like 150000000 for $1,500,000.00.',
  })
  .check(
    z.positive('The pool amount must be more than 0.'),
    z.lte(MAX_POOL_CENTS, 'That amount is too large to be a pool. Check it.'),
  );

const minimumPayout = z
  .int({ error: 'The minimum payment must be a whole number of cents, like 1000 for $10.00.' })
  .check(
    z.gte(0, 'The minimum payment cannot be negative.'),
    z.lte(100_000_000, 'The minimum payment must be at most $1,000,000.'),
  );

const deadlineFormat = 'Claim deadline: use the date format YYYY-MM-DD, like 2027-06-30.';
const deadline = z.iso.date({ error: deadlineFormat }).check(z.maxLength(10, deadlineFormat));

const seizedIndicator = z.object({
  type: z.enum(indicatorTypes, {
    error: `Choose the kind of identifier from this list: ${indicatorTypes.join(', ')}.`,
  }),
  value: requiredText(2048, 'Identifier', 'Enter the seized identifier (wallet, account, phone...).'),
});

const seizedList = z
  .array(seizedIndicator, { error: 'List the seized identifiers as [{"type", "value"}, ...].' })
  .check(z.maxLength(MAX_SEIZED_INDICATORS, `List at most ${MAX_SEIZED_INDICATORS} seized identifiers.`));

/**
 * Spanish text for the public site's Spanish pages. Each field is optional: a missing one shows
 * the English text there (marked lang="en" so screen readers switch voice).
 */
const spanish = z.object(
  {
    name: z.optional(text(200, 'Spanish name')),
    description: z.optional(text(4000, 'Spanish description')),
    eligibility: z.optional(text(2000, 'Spanish eligibility')),
  },
  { error: 'es must be an object with name, description and eligibility in Spanish (each optional).' },
);

export const poolInputSchema = z.object(
  {
    name: requiredText(200, 'Name', 'Give the programme a name victims will recognise.'),
    caseNumber: requiredText(100, 'Case number', 'Enter the case number, like 1:25-cv-01234.'),
    court: requiredText(200, 'Court', 'Enter the court, like U.S. District Court, District of Columbia.'),
    description: z.optional(text(4000, 'Description', { multiline: true })),
    eligibility: z.optional(text(2000, 'Eligibility', { multiline: true })),
    es: z.optional(spanish),
    amountCents: poolAmount,
    currency: z._default(currency, 'USD'),
    seizedIndicators: z._default(seizedList, []),
    claimDeadline: deadline,
    minimumPayoutCents: z._default(minimumPayout, DEFAULT_MINIMUM_PAYOUT_CENTS),
  },
  { error: 'The pool must be a JSON object.' },
);

export const poolPatchSchema = z.object(
  {
    /** Optional optimistic lock: the version the admin edited. */
    version: z.optional(z.int({ error: 'version must be the whole number from the pool you read.' })),
    name: z.optional(requiredText(200, 'Name', 'The name cannot be blank.')),
    caseNumber: z.optional(requiredText(100, 'Case number', 'The case number cannot be blank.')),
    court: z.optional(requiredText(200, 'Court', 'The court cannot be blank.')),
    description: z.optional(text(4000, 'Description', { multiline: true })),
    eligibility: z.optional(text(2000, 'Eligibility', { multiline: true })),
    /** Replaces the Spanish text as a whole; blank fields fall back to English. */
    es: z.optional(spanish),
    amountCents: z.optional(poolAmount),
    currency: z.optional(currency),
    seizedIndicators: z.optional(seizedList),
    claimDeadline: z.optional(deadline),
    minimumPayoutCents: z.optional(minimumPayout),
    status: z.optional(z.enum(poolStatuses, { error: `Status must be one of: ${poolStatuses.join(', ')}.` })),
  },
  { error: 'The changes must be a JSON object.' },
);

export type PoolInput = z.output<typeof poolInputSchema>;
export type PoolPatch = z.output<typeof poolPatchSchema>;
