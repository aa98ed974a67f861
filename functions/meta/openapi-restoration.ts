/**
 * The restoration part of the served contract (pools, claims, matching, distributions), from the
 * same zod schemas that validate the requests. Merged into the document by openapi.ts.
 */
import * as z from 'zod/mini';
import {
  claimInputSchema,
  claimStatuses,
  decisionSchema,
  reconsiderationSchema,
} from '#shared/domain/claim-schema.ts';
import { indicatorTypes } from '#shared/domain/indicators/types.ts';
import { poolStatuses } from '#shared/domain/pool.ts';
import { poolInputSchema, poolPatchSchema } from '#shared/domain/pool-schema.ts';

export interface Operation {
  summary: string;
  request?: z.ZodMiniType;
  responses: Record<string, { description: string; schema?: z.ZodMiniType }>;
  parameters?: { name: string; in: 'query' | 'header' | 'path'; description: string; required?: boolean }[];
}

/** Every error answer's body (functions/http/response.ts writes it); openapi.ts uses it too. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
  requestId: z.string(),
});
export const err = (description: string) => ({ description, schema: errorSchema });
const unauthorised = {
  '401': { description: 'No valid token' },
  '403': err('Signed in without the role this route needs'),
};
const path = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
});
const query = (name: string, description: string) => ({ name, in: 'query' as const, description });

const money = z.int();
const indicatorRef = z.object({ type: z.enum(indicatorTypes), value: z.string(), display: z.string() });
const timelineEntry = z.object({
  status: z.enum(claimStatuses),
  at: z.iso.datetime(),
  note: z.optional(z.string()),
});

const publicPool = z.object({
  poolId: z.string(),
  name: z.string(),
  caseNumber: z.string(),
  court: z.string(),
  description: z.optional(z.string()),
  eligibility: z.string(),
  es: z.optional(
    z.object({
      name: z.optional(z.string()),
      description: z.optional(z.string()),
      eligibility: z.optional(z.string()),
    }),
  ),
  amountCents: money,
  currency: z.string(),
  claimDeadline: z.iso.date(),
});

const matching = z.object({
  poolId: z.string(),
  identifiers: z.int(),
  matchedReports: z.int(),
  matchedClaims: z.int(),
  matches: z.int(),
  invitationsCreated: z.int(),
  removedMatches: z.int(),
});

const poolView = z.looseObject({
  ...publicPool.shape,
  seizedIndicators: z.array(indicatorRef),
  minimumPayoutCents: money,
  status: z.enum(poolStatuses),
  version: z.int(),
  open: z.boolean(),
  activeDistributionId: z.optional(z.string()),
  matching: z.optional(matching),
});

const matchedIdentifier = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  roles: z.array(z.string()),
  paid: z.array(z.object({ currency: z.string(), amountCents: money })),
  paidCents: money,
});

const matchesView = z.object({
  poolId: z.string(),
  poolName: z.string(),
  currency: z.string(),
  claims: z.array(
    z.object({
      claimId: z.string(),
      href: z.string(),
      filedAt: z.string(),
      identifiers: z.array(matchedIdentifier),
    }),
  ),
  reports: z.array(
    z.object({
      reportId: z.string(),
      href: z.string(),
      receivedAt: z.string(),
      identifiers: z.array(matchedIdentifier),
      invitation: z.optional(
        z.object({ code: z.string(), createdAt: z.string(), claimId: z.optional(z.string()) }),
      ),
    }),
  ),
  reportsWithoutConsent: z.int(),
  cursors: z.optional(z.object({ claims: z.optional(z.string()), reports: z.optional(z.string()) })),
});

const filedClaim = z.object({
  claimId: z.string(),
  accessCode: z.string(),
  status: z.literal('SUBMITTED'),
  filedAt: z.iso.datetime(),
  poolId: z.optional(z.string()),
  poolName: z.optional(z.string()),
  notice: z.string(),
});

const statusView = z.object({
  claimId: z.string(),
  status: z.enum(claimStatuses),
  timeline: z.array(timelineEntry),
  filedAt: z.iso.datetime(),
  poolId: z.optional(z.string()),
  poolName: z.optional(z.string()),
  recognizedLossCents: z.optional(money),
  payoutCents: z.optional(money),
  currency: z.string(),
  payoutExplanation: z.optional(z.record(z.string(), z.unknown())),
  payoutSentence: z.optional(z.string()),
  reconsideration: z.optional(
    z.object({ canRequest: z.boolean(), deadline: z.iso.date(), requestedAt: z.optional(z.string()) }),
  ),
  nextStep: z.string(),
});

const staffClaim = z.looseObject({
  claimId: z.string(),
  status: z.enum(claimStatuses),
  version: z.int(),
  poolId: z.optional(z.string()),
  claimedCents: money,
  recoveriesCents: money,
  recognizedLossCents: z.optional(money),
  defaultRecognizedLossCents: money,
  timeline: z.array(timelineEntry),
  decisions: z.array(z.looseObject({ decision: z.string(), by: z.string(), at: z.iso.datetime() })),
  flags: z.array(z.string()),
  matchedPoolIds: z.optional(z.array(z.string())),
  reviewFlags: z.optional(
    z.array(
      z.object({
        code: z.string(),
        reason: z.string(),
        claimIds: z.optional(z.array(z.string())),
        reportIds: z.optional(z.array(z.string())),
        scope: z.optional(z.enum(['same-programme', 'other-programmes', 'both'])),
      }),
    ),
  ),
});

const weekSeries = z.object({
  weeks: z.array(z.iso.date()),
  rows: z.array(z.object({ key: z.string(), counts: z.array(z.int()), total: z.int() })),
});

const dashboard = z.object({
  generatedAt: z.iso.datetime(),
  weeks: z.array(z.iso.date()),
  reportsPerWeek: z.array(z.int()),
  byCategory: weekSeries,
  byPaymentMethod: weekSeries,
  byAgeRange: weekSeries,
  lossesByPaymentMethod: z.array(
    z.object({
      currency: z.string(),
      rows: z.array(z.object({ method: z.string(), cents: z.array(money), totalCents: money })),
    }),
  ),
  claimsByStatus: z.array(
    z.object({
      poolId: z.nullable(z.string()),
      poolName: z.optional(z.string()),
      counts: z.partialRecord(z.enum(claimStatuses), z.int()),
      total: z.int(),
    }),
  ),
  topIdentifiers: z.array(
    z.object({ type: z.string(), display: z.string(), reports: z.int(), href: z.string() }),
  ),
});

const planView = z.looseObject({
  distributionId: z.string(),
  poolId: z.string(),
  status: z.enum(['PLANNED', 'APPROVED']),
  poolAmountCents: money,
  totalPayoutCents: money,
  totalRecognizedLossCents: money,
  minimumPayoutCents: money,
  basis: z.enum(['FULL', 'PRO_RATA']),
  leftoverCents: money,
  fingerprint: z.string(),
  payouts: z.array(z.object({ claimId: z.string(), recognizedLossCents: money, payoutCents: money })),
  excluded: z.array(
    z.object({
      claimId: z.string(),
      recognizedLossCents: money,
      reason: z.string(),
      exactShareCents: z.string(),
      round: z.int(),
    }),
  ),
  payoutsCursor: z.optional(z.string()),
  excludedCursor: z.optional(z.string()),
});

const claimSecret = z.object({ claimId: z.string(), accessCode: z.string() });

export const restorationOperations: Record<string, Operation> = {
  'GET /v1/pools': {
    summary: 'Restoration programmes open for claims',
    responses: {
      '200': {
        description: 'Open pools, soonest deadline first',
        schema: z.object({ pools: z.array(publicPool) }),
      },
    },
  },
  'POST /v1/claims': {
    summary: 'File a restitution claim (sworn). The access code is shown once and stored only as a hash',
    request: claimInputSchema,
    responses: {
      '201': { description: 'Claim filed', schema: filedClaim },
      '400': err(
        'The claim has problems; `fields` says where (unknown pool, recoveries above the loss, attestation...)',
      ),
      '409': err('The pool no longer takes claims (POOL_CLOSED)'),
      '413': err('Body over 256 KB'),
      '415': err('Body is not JSON'),
    },
  },
  'POST /v1/claims/status': {
    summary: "A claim's status, dated timeline, recognised loss and payout (with claim id + access code)",
    request: claimSecret,
    responses: {
      '200': { description: 'The claim as its claimant sees it', schema: statusView },
      '400': err('Missing or malformed fields'),
      '404': err('No claim with this id and code (the same answer for an unknown id and a wrong code)'),
      '429': err('Too many failed attempts from this client; see Retry-After'),
    },
  },
  'POST /v1/claims/reconsideration': {
    summary: 'Ask for a denied claim to be reconsidered (within 30 days of the denial)',
    request: reconsiderationSchema,
    responses: {
      '200': { description: 'Recorded; the claim is RECONSIDERATION_REQUESTED', schema: statusView },
      '404': err('No claim with this id and code'),
      '409': err('The claim is not denied, or the window has closed'),
      '429': err('Too many failed attempts from this client'),
    },
  },
  'POST /v1/invitations/verify': {
    summary: 'Check that an invitation to claim is genuine (and never pay a fee)',
    request: z.object({ code: z.string() }),
    responses: {
      '200': { description: 'The invitation is genuine: programme, deadline, masked pre-fill' },
      '404': err('No invitation has this code: it may be a recovery scam'),
      '429': err('Too many failed attempts from this client'),
    },
  },
  'GET /v1/admin/pools': {
    summary: 'Every pool (staff)',
    responses: {
      '200': { description: 'Pools', schema: z.object({ pools: z.array(poolView) }) },
      ...unauthorised,
    },
  },
  'POST /v1/admin/pools': {
    summary: 'Create a pool (admin); matches stored reports and claims at once',
    request: poolInputSchema,
    responses: {
      '201': { description: 'The pool, with `poolId` and what matching found', schema: poolView },
      '400': err(
        'Bad fields; seized identifiers are normalised like reports and refused when they do not parse',
      ),
      ...unauthorised,
    },
  },
  'GET /v1/admin/pools/{poolId}': {
    summary: 'One pool (staff)',
    parameters: [path('poolId', 'Pool id')],
    responses: {
      '200': { description: 'The pool', schema: poolView },
      '404': err('No such pool'),
      ...unauthorised,
    },
  },
  'PATCH /v1/admin/pools/{poolId}': {
    summary: 'Edit a pool (admin); re-matches, removing matches of identifiers taken off the list',
    parameters: [path('poolId', 'Pool id')],
    request: poolPatchSchema,
    responses: {
      '200': { description: 'The edited pool and what matching did', schema: poolView },
      '400': err('Bad fields'),
      '404': err('No such pool'),
      '409': err('Changed meanwhile (POOL_CHANGED), or money locked by an approved plan (POOL_LOCKED)'),
      ...unauthorised,
    },
  },
  'GET /v1/admin/pools/{poolId}/matches': {
    summary: "Claims and consenting reports whose payments went to the pool's seized identifiers (staff)",
    parameters: [
      path('poolId', 'Pool id'),
      query('kind', 'claims | reports (required with cursor)'),
      query('limit', 'Match items per list, 1-1000, default 500'),
      query('cursor', 'From the previous page'),
    ],
    responses: {
      '200': { description: 'Matches', schema: matchesView },
      '404': err('No such pool'),
      ...unauthorised,
    },
  },
  'POST /v1/admin/pools/{poolId}/matches/refresh': {
    summary: 'Re-run matching for a pool (admin; idempotent)',
    parameters: [path('poolId', 'Pool id')],
    responses: {
      '200': { description: 'What matching did', schema: matching },
      '404': err('No such pool'),
      ...unauthorised,
    },
  },
  'GET /v1/admin/claims': {
    summary: 'The review queue (staff): by pool (`none` for no pool) and status, oldest first',
    parameters: [
      query('poolId', 'Pool id, or none'),
      query('status', claimStatuses.join(' | ')),
      query('limit', '1-100, default 50'),
      query('cursor', 'From the previous page'),
    ],
    responses: {
      '200': {
        description: 'A page of claims',
        schema: z.object({ items: z.array(staffClaim), cursor: z.optional(z.string()) }),
      },
      '400': err('Bad query'),
      ...unauthorised,
    },
  },
  'GET /v1/admin/dashboard': {
    summary:
      'Weekly report counts by category, payment method and age range, losses by method, claims by status per programme, most-reported identifiers (staff)',
    parameters: [
      query('weeks', 'How many weeks, ending with this one (1-52, default 12)'),
      query('top', 'How many identifiers (1-50, default 10)'),
    ],
    responses: {
      '200': {
        description: 'The dashboard (weeks are Mondays, UTC; series oldest first)',
        schema: dashboard,
      },
      '400': err('weeks or top out of range'),
      ...unauthorised,
    },
  },
  'GET /v1/admin/claims/{claimId}': {
    summary: 'One claim with its pre-filled recognised loss and matched pools (staff)',
    parameters: [path('claimId', 'Claim id')],
    responses: {
      '200': { description: 'The claim', schema: staffClaim },
      '404': err('No such claim'),
      ...unauthorised,
    },
  },
  'POST /v1/admin/claims/{claimId}/decision': {
    summary:
      'Approve with a recognised loss, deny with a reason, request information, or begin review (staff)',
    parameters: [path('claimId', 'Claim id')],
    request: decisionSchema,
    responses: {
      '200': { description: 'The claim after the decision', schema: staffClaim },
      '400': err('Bad decision, or a recognised loss above what was paid minus recoveries'),
      '404': err('No such claim'),
      '409': err(
        'Wrong state (WRONG_CLAIM_STATE), changed meanwhile (CLAIM_CHANGED) or in an approved plan (CLAIM_LOCKED)',
      ),
      ...unauthorised,
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions': {
    summary: "Compute a pro-rata distribution plan over the pool's approved claims (admin)",
    parameters: [path('poolId', 'Pool id')],
    responses: {
      '201': { description: 'The plan (PLANNED)', schema: planView },
      '404': err('No such pool'),
      '409': err(
        'No approved claims (NO_APPROVED_CLAIMS), or a plan is already approved (POOL_ALREADY_DISTRIBUTED)',
      ),
      ...unauthorised,
    },
  },
  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}': {
    summary: 'A plan, its payouts page by page (admin)',
    parameters: [
      path('poolId', 'Pool id'),
      path('distributionId', 'Plan id'),
      query('cursor', 'Payouts page'),
      query('excludedCursor', 'Exclusions page'),
    ],
    responses: {
      '200': { description: 'The plan', schema: planView },
      '404': err('No such plan'),
      ...unauthorised,
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/approve': {
    summary: 'Lock the plan: approved claims move to PAYMENT_SCHEDULED (admin; resumable)',
    parameters: [path('poolId', 'Pool id'), path('distributionId', 'Plan id')],
    responses: {
      '200': { description: 'Approved; counts of scheduled, closed and held claims' },
      '404': err('No such plan'),
      '409': err('Already approved (ALREADY_APPROVED), stale (STALE_PLAN) or another plan holds the pool'),
      ...unauthorised,
    },
  },
  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv': {
    summary:
      'The payment file of an approved plan, text/csv (admin); large files come in parts (Link: rel="next")',
    parameters: [path('poolId', 'Pool id'), path('distributionId', 'Plan id'), query('cursor', 'Next part')],
    responses: {
      '200': { description: 'CSV, one row per payment; cells are quoted and formula-safe' },
      '404': err('No such plan'),
      '409': err('The plan is not approved yet'),
      ...unauthorised,
    },
  },
};
