/**
 * Use cases for reviewers: the claim queue, one claim with what a decision needs, and decisions.
 *
 * decideClaim:
 *   1. Validate the decision (approve with a recognised loss, deny with a reason, request
 *      information with a message, or begin review).
 *   2. Read the claim; with `version` in the body, refuse (409) if it changed since it was shown.
 *   3. Read its pool; a claim already in an approved payment plan cannot be changed (409).
 *   4. Apply the state rules (domain/claim.ts `decide`): wrong state -> 409, a loss above what
 *      was paid net of recoveries -> 400.
 *   5. Write status, timeline entry and the decision (who, when) in one conditional update.
 */
import * as z from 'zod/mini';
import {
  type Claim,
  type ClaimStatus,
  type ClaimTransition,
  decide,
  defaultRecognizedLoss,
} from '../domain/claim.ts';
import type { ClaimFlag } from '../domain/claim-flags.ts';
import { claimStatuses, type DecisionInput, decisionSchema } from '../domain/claim-schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { Page } from '../domain/page.ts';
import type { Pool } from '../domain/pool.ts';
import { paymentLinksOf } from '../domain/report-content.ts';
import { parseClaimId, parsePoolId } from '../domain/secrets.ts';
import { parseWith } from '../domain/validation.ts';
import { type FlagDeps, flagClaim } from './claim-flags.ts';

export interface ReviewClaimStore {
  get(claimId: string): Promise<Claim | undefined>;
  queue(opts: {
    poolId?: string | null;
    status?: ClaimStatus;
    limit: number;
    cursor?: string;
  }): Promise<Page<Claim>>;
  transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void>;
}

export interface ReviewDeps {
  claims: ReviewClaimStore;
  pools: {
    get(poolId: string): Promise<Pool | undefined>;
    poolsSeizing(type: IndicatorType, value: string): Promise<string[]>;
  };
  /** Where the reviewer's flags come from (one claim's view only: a queue page does not pay for them). */
  flags?: FlagDeps;
  now?: () => Date;
}

/** What staff see of a claim: everything but the access code's hash. */
export type StaffClaimView = Omit<Claim, 'accessCodeHash'> & {
  href: string;
  poolName?: string;
  /** The recognised loss a reviewer starts from: paid minus recoveries. */
  defaultRecognizedLossCents: number;
  /** Pools that seized an identifier this claim's payments went to. */
  matchedPoolIds?: string[];
  reports: { reportId: string; href: string }[];
  /** Reasons to look twice, each saying why (claim view only; `flags` keeps the raw markers). */
  reviewFlags?: ClaimFlag[];
};

export function toStaffView(
  claim: Claim,
  extra: { poolName?: string; matchedPoolIds?: string[]; reviewFlags?: ClaimFlag[] } = {},
): StaffClaimView {
  const { accessCodeHash: _hidden, ...rest } = claim;
  return {
    ...rest,
    claimant: withoutSealedAccount(claim.claimant),
    href: `/v1/admin/claims/${claim.claimId}`,
    ...(extra.poolName ? { poolName: extra.poolName } : {}),
    defaultRecognizedLossCents: defaultRecognizedLoss(claim),
    ...(extra.matchedPoolIds ? { matchedPoolIds: extra.matchedPoolIds } : {}),
    ...(extra.reviewFlags ? { reviewFlags: extra.reviewFlags } : {}),
    reports: claim.reportIds.map((id) => ({ reportId: id, href: `/v1/admin/reports/${id}` })),
  };
}

/** Staff see the masked account and last 4, never the sealed number (only the payment file opens it). */
function withoutSealedAccount(claimant: Claim['claimant']): Claim['claimant'] {
  if (!claimant.payoutAccount?.sealed) return claimant;
  const { sealed: _sealed, ...payoutAccount } = claimant.payoutAccount;
  return { ...claimant, payoutAccount };
}

const claimNotFound = () => new NotFoundError('No claim has this id. Check it and try again.');

/** The 409 for a claim someone else decided first, carrying their (latest) decision. */
function decidedFirst(claim: Claim, code: string, message?: string): ConflictError {
  const last = claim.decisions.at(-1);
  if (!last) {
    return new ConflictError(
      `Claim ${claim.claimId} changed since you opened it. Reload it and decide again.`,
      code,
    );
  }
  const what = last.decision === 'request-info' ? 'asked for information' : last.decision.replace('-', ' ');
  // The claim's latest change was that decision, or something after it (the claimant answered,
  // a payment moved): say which, so the reviewer is not told of a race that did not happen.
  const decisionWasLast = claim.timeline.at(-1)?.at === last.at;
  return new ConflictError(
    message ??
      (decisionWasLast
        ? `Another reviewer decided claim ${claim.claimId} first (${what}, by ${last.by} at ${last.at}); it is now ${claim.status}. Your decision was not recorded and theirs stands. Read theirs, then decide again only if it should change.`
        : `Claim ${claim.claimId} changed since you opened it; it is now ${claim.status} (its last decision: ${what}, by ${last.by} at ${last.at}). Your decision was not recorded. Reload it and decide again.`),
    code,
    {
      status: claim.status,
      version: claim.version,
      decision: last.decision,
      by: last.by,
      at: last.at,
      ...(last.recognizedLossCents !== undefined
        ? { recognizedLossCents: last.recognizedLossCents, currency: claim.currency }
        : {}),
      ...(last.reason !== undefined ? { reason: last.reason } : {}),
      ...(last.message !== undefined ? { message: last.message } : {}),
    },
  );
}

async function loadClaim(typedId: string, claims: Pick<ReviewClaimStore, 'get'>): Promise<Claim> {
  const claimId = parseClaimId(typedId);
  const claim = claimId ? await claims.get(claimId) : undefined;
  if (!claim) throw claimNotFound();
  return claim;
}

export async function getClaimForReview(typedId: string, deps: ReviewDeps): Promise<StaffClaimView> {
  const claim = await loadClaim(typedId, deps.claims);
  const pool = claim.poolId ? await deps.pools.get(claim.poolId) : undefined;
  const matched = new Set<string>();
  for (const link of paymentLinksOf(claim.payments)) {
    for (const id of await deps.pools.poolsSeizing(link.type, link.value)) matched.add(id);
  }
  return toStaffView(claim, {
    ...(pool ? { poolName: pool.name } : {}),
    matchedPoolIds: [...matched].sort(),
    ...(deps.flags ? { reviewFlags: await flagClaim(claim, deps.flags) } : {}),
  });
}

const queueQuery = z.object({
  poolId: z.optional(z.string().check(z.maxLength(60))),
  status: z.optional(z.enum(claimStatuses, { error: `Use one of: ${claimStatuses.join(', ')}.` })),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'Use a whole number from 1 to 100.'))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

/**
 * The queue: `poolId` (or `none` for claims naming no programme), optionally with `status`; or
 * `status` alone across pools. With neither, the claims waiting for a first look (SUBMITTED).
 */
export async function listClaims(
  rawQuery: Record<string, string | undefined>,
  deps: Pick<ReviewDeps, 'claims'>,
): Promise<{ items: StaffClaimView[]; cursor?: string }> {
  const q = parseWith(queueQuery, rawQuery);
  const limit = q.limit === undefined ? 50 : Number(q.limit);
  if (limit < 1 || limit > 100) {
    throw new ValidationError([{ path: 'limit', message: 'Use a whole number from 1 to 100.' }]);
  }
  let poolId: string | null | undefined;
  if (q.poolId !== undefined) {
    if (q.poolId.toLowerCase() === 'none') poolId = null;
    else {
      poolId = parsePoolId(q.poolId);
      if (!poolId) {
        throw new ValidationError([
          { path: 'poolId', message: 'This is not a pool id (like POOL-XXXX-XXXX-XXXX-XXXX).' },
        ]);
      }
    }
  }
  const page = await deps.claims.queue({
    ...(poolId !== undefined ? { poolId } : {}),
    ...(q.status ? { status: q.status } : {}),
    limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return { items: page.items.map((c) => toStaffView(c)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export async function decideClaim(
  typedId: string,
  body: unknown,
  by: string,
  deps: ReviewDeps,
): Promise<StaffClaimView> {
  const now = (deps.now ?? (() => new Date()))();
  const input: DecisionInput = parseWith(decisionSchema, body);
  const claim = await loadClaim(typedId, deps.claims);
  if (input.version !== undefined && input.version !== claim.version) {
    throw decidedFirst(claim, 'CLAIM_CHANGED');
  }

  let poolId = claim.poolId;
  if (!poolId && input.decision === 'approve' && input.poolId !== undefined) {
    poolId = parsePoolId(input.poolId);
    if (!poolId) throw new ValidationError([{ path: 'poolId', message: 'This is not a pool id.' }]);
  }
  const pool = poolId ? await deps.pools.get(poolId) : undefined;
  if (poolId && !pool) {
    throw new ValidationError([{ path: 'poolId', message: 'No pool has this id. Check it and try again.' }]);
  }
  if (claim.status === 'APPROVED' && pool?.activeDistributionId) {
    throw new ConflictError(
      `Claim ${claim.claimId} is part of the approved payment plan ${pool.activeDistributionId}; it can no longer be changed.`,
      'CLAIM_LOCKED',
    );
  }

  let outcome: ReturnType<typeof decide>;
  try {
    outcome = decide({ ...claim, ...(poolId ? { poolId } : {}) }, input, {
      by,
      now,
      ...(pool ? { poolCurrency: pool.currency } : {}),
    });
  } catch (e) {
    // Already decided (a reviewer without the version, or a double submit): say by whom.
    if (e instanceof ConflictError && claim.decisions.length > 0)
      throw decidedFirst(claim, e.code, e.message);
    throw e;
  }
  const change: ClaimTransition = {
    status: outcome.status,
    timeline: outcome.timeline,
    decision: outcome.decision,
    ...(outcome.recognizedLossCents !== undefined
      ? { recognizedLossCents: outcome.recognizedLossCents }
      : {}),
    ...(outcome.clearRecognizedLoss ? { clearRecognizedLoss: true } : {}),
    ...(poolId && poolId !== claim.poolId ? { poolId } : {}),
  };
  try {
    await deps.claims.transitionOrConflict(claim, change, now.toISOString());
  } catch (e) {
    // Lost the race to another reviewer: their decision stands, and the 409 says what it was.
    const current = e instanceof ConflictError ? await deps.claims.get(claim.claimId) : undefined;
    if (current && current.decisions.length > 0) throw decidedFirst(current, 'CLAIM_CHANGED');
    throw e;
  }

  const updated: Claim = {
    ...claim,
    status: outcome.status,
    version: claim.version + 1,
    updatedAt: now.toISOString(),
    timeline: [...claim.timeline, outcome.timeline],
    decisions: [...claim.decisions, outcome.decision],
    ...(poolId ? { poolId } : {}),
  };
  if (outcome.recognizedLossCents !== undefined) updated.recognizedLossCents = outcome.recognizedLossCents;
  else if (outcome.clearRecognizedLoss) delete updated.recognizedLossCents;
  return toStaffView(updated, pool ? { poolName: pool.name } : {});
}
