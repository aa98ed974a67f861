/**
 * What a claimant and a reviewer send: the claim (POST /v1/claims), a reviewer's decision and a
 * reconsideration request, checked with plain-language messages. Schemas only (no normalisers),
 * so the OpenAPI document and the review API load none of the identifier libraries.
 */
import * as z from 'zod/mini';
import { MAX_AMOUNT_CENTS, MAX_PAYMENTS, portalLanguages } from './enums.ts';
import { payment, requiredText, text } from './report-schema.ts';

export const claimStatuses = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'NEEDS_INFO',
  'APPROVED',
  'DENIED',
  'RECONSIDERATION_REQUESTED',
  'PAYMENT_SCHEDULED',
  'PAID',
  /** The bank or Treasury sent the payment back (or it was voided uncashed): new details needed. */
  'PAYMENT_RETURNED',
  'CLOSED',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

const mustBeTrue = (message: string) => z.literal(true, { error: message });

/** Where a check is mailed: asked when a claim is filed, and again after a returned payment. */
export const mailingAddressSchema = z.object(
  {
    line1: requiredText(200, 'Address', 'Enter your street address, so a check can reach you.'),
    line2: z.optional(text(200, 'Address line 2')),
    city: requiredText(100, 'City', 'Enter your city or town.'),
    state: z.optional(text(60, 'State')),
    zip: z.optional(text(20, 'ZIP or postal code')),
    country: z._default(
      z
        .string({ error: 'Country must be a 2-letter code such as US.' })
        .check(
          z.maxLength(2, 'Country must be a 2-letter code such as US or MX.'),
          z.regex(/^[A-Za-z]{2}$/, 'Country must be a 2-letter code such as US or MX.'),
        ),
      'US',
    ),
  },
  { error: 'Enter your mailing address: payments are sent there.' },
);

export const claimInputSchema = z.object(
  {
    poolId: z.optional(text(60, 'Programme id')),
    invitationCode: z.optional(text(60, 'Invitation code')),
    reportIds: z.optional(
      z
        .array(text(60, 'Report number'), { error: 'Report numbers must be a list.' })
        .check(z.maxLength(20, 'List at most 20 report numbers.')),
    ),
    claimant: z.object(
      {
        name: requiredText(200, 'Name', 'Enter your full name.'),
        email: z.optional(text(254, 'Email')),
        phone: z.optional(text(40, 'Phone number')),
        address: mailingAddressSchema,
        payoutAccount: z.optional(
          z.object(
            {
              routingNumber: requiredText(
                40,
                'Routing number',
                'Enter the 9-digit routing number of your bank.',
              ),
              accountNumber: requiredText(60, 'Account number', 'Enter your account number.'),
            },
            { error: 'Give both the routing number and the account number for a direct deposit.' },
          ),
        ),
      },
      { error: 'Tell us who is claiming: the claimant section is missing.' },
    ),
    payments: z.optional(
      z
        .array(payment, { error: 'Payments must be a list.' })
        .check(z.maxLength(MAX_PAYMENTS, `List at most ${MAX_PAYMENTS} payments.`)),
    ),
    recoveriesCents: z._default(
      z
        .int({
          error:
            'Recoveries must be a whole number of cents, like 5000 for $50.00 (0 if you got nothing back).',
        })
        .check(
          z.gte(0, 'Recoveries cannot be negative. Enter 0 if you got nothing back.'),
          z.lte(MAX_AMOUNT_CENTS, 'That is more than $1 billion. Please check the amount.'),
        ),
      0,
    ),
    /** The language the claimant reads: e-mail about the claim is written in it (default English). */
    language: z.optional(z.enum(portalLanguages, { error: 'Language must be en or es.' })),
    attestation: z.object(
      {
        underPenaltyOfPerjury: mustBeTrue(
          'You must declare, under penalty of perjury, that what you say in this claim is true.',
        ),
        notInvolvedInOffense: mustBeTrue(
          'You must confirm that you did not take part in, or benefit from, the scheme.',
        ),
        signedName: requiredText(200, 'Signature', 'Type your full name as your signature.'),
        signedAt: z.optional(text(40, 'Date signed')),
      },
      { error: 'Sign the sworn statement at the end of the claim.' },
    ),
  },
  { error: 'The claim must be a JSON object.' },
);

export type ClaimInput = z.output<typeof claimInputSchema>;

export const decisionKinds = ['begin-review', 'approve', 'deny', 'request-info'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export const decisionSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('begin-review'), version: z.optional(z.int()) }),
    z.object({
      decision: z.literal('approve'),
      recognizedLossCents: z
        .int({ error: 'Enter the recognised loss as a whole number of cents.' })
        .check(
          z.positive('The recognised loss must be more than 0. To pay nothing, deny the claim.'),
          z.lte(Number.MAX_SAFE_INTEGER, 'That amount is too large.'),
        ),
      /** For a claim filed without a programme: the pool it is approved against. */
      poolId: z.optional(text(60, 'Programme id')),
      /** Why this amount; kept with the decision (the console asks for it on every decision). */
      reason: z.optional(text(2000, 'Reason')),
      version: z.optional(z.int()),
    }),
    z.object({
      decision: z.literal('deny'),
      reason: requiredText(2000, 'Reason', 'Say why the claim is denied; the claimant will read it.', {
        multiline: true,
      }),
      version: z.optional(z.int()),
    }),
    z.object({
      decision: z.literal('request-info'),
      message: requiredText(2000, 'Message', 'Say what the claimant should send; they will read it.', {
        multiline: true,
      }),
      version: z.optional(z.int()),
    }),
  ],
  { error: `decision must be one of: ${decisionKinds.join(', ')}.` },
);
export type DecisionInput = z.output<typeof decisionSchema>;

export const reconsiderationSchema = z.object({
  claimId: requiredText(60, 'Claim id', 'Enter your claim id.'),
  accessCode: requiredText(100, 'Access code', 'Enter the access code you were given.'),
  reason: requiredText(4000, 'Reason', 'Tell us why the decision should be looked at again.', {
    multiline: true,
  }),
});

/** POST /v1/invitations/verify: the code printed on an invitation letter. */
export const invitationCodeSchema = z.object({
  code: requiredText(60, 'Code', 'Enter the code printed on your letter, like INV-7K3M-9QXD-2HFA-8WN4.'),
});
