/**
 * Use cases for a claimant holding a claim id and access code: check the claim's status, and ask
 * for a denial to be reconsidered.
 *
 * Proving the code (`authenticate`), the same way every time so that nothing tells an unknown id
 * from a wrong code, neither the answer nor its timing:
 *   1. Validate the body's shape (both fields are bounded strings).
 *   2. Take one of this client's attempts (429 when GUESS_LIMIT are used in the window); a right
 *     code gives it back.
 *   3. Read the id as typed (a malformed one becomes a placeholder that is looked up all the same),
 *      hash the code, and make one GetItem.
 *   4. Compare the hash in constant time with the stored hash, or with a dummy one when there is
 *      no claim, so both failures do the same work and give byte-identical 404 bodies.
 *   5. On failure count it for the client (never logging the code) and answer 404.
 */
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import {
  type Claim,
  type ClaimStatus,
  type ClaimTransition,
  checkReconsideration,
  formatCents,
  lastDenial,
  type PayoutMethod,
  RECONSIDERATION_WINDOW_DAYS,
  reconsiderationDeadline,
  type TimelineEntry,
} from '../domain/claim.ts';
import { reconsiderationSchema } from '../domain/claim-schema.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Pool } from '../domain/pool.ts';
import { requiredText } from '../domain/report-schema.ts';
import { hashAccessCode, parseClaimId } from '../domain/secrets.ts';
import { parseWith } from '../domain/validation.ts';
import { checkGuard, type FailureCounter, GUESS_LIMIT, recordFailure, recordSuccess } from './guess-guard.ts';

export const statusRequestSchema = z.object({
  claimId: requiredText(60, 'Claim id', 'Enter your claim id, like CLM-7K3M-9QXD-2HFA-8WN4.'),
  accessCode: requiredText(100, 'Access code', 'Enter the access code you were given when you filed.'),
});

/** The one answer for "no such claim" and "wrong code". */
export const CLAIM_NOT_FOUND_MESSAGE =
  'We could not find a claim with this id and access code. Check both and try again.';

// A well-formed id that is never issued (its check character is wrong on purpose), and the hash
// that stands in for a missing claim's: the lookup and the comparison happen either way.
const PLACEHOLDER_ID = 'CLM-0000-0000-0000-0001';
const DUMMY_HASH = Buffer.from(hashAccessCode('no-claim-has-this-code'), 'hex');

export interface StatusClaimReader {
  get(claimId: string): Promise<Claim | undefined>;
}

export interface AuthDeps {
  claims: StatusClaimReader;
  counter: FailureCounter;
  clientHash: string;
  now?: () => Date;
  /** Told (without the code) when a client reaches the failure limit. */
  onLimitReached?: () => void;
}

export async function authenticate(typedId: string, typedCode: string, deps: AuthDeps): Promise<Claim> {
  const now = (deps.now ?? (() => new Date()))();
  const guard = await checkGuard(deps.counter, 'claim-status', deps.clientHash, now);
  const claimId = parseClaimId(typedId) ?? PLACEHOLDER_ID;
  const offered = Buffer.from(hashAccessCode(typedCode), 'hex');
  const claim = await deps.claims.get(claimId);
  const stored =
    claim && /^[0-9a-f]{64}$/.test(claim.accessCodeHash)
      ? Buffer.from(claim.accessCodeHash, 'hex')
      : DUMMY_HASH;
  const match = timingSafeEqual(offered, stored);
  if (!claim || !match) {
    const failures = await recordFailure(deps.counter, guard);
    if (failures === GUESS_LIMIT) deps.onLimitReached?.();
    throw new NotFoundError(CLAIM_NOT_FOUND_MESSAGE);
  }
  await recordSuccess(deps.counter, guard);
  return claim;
}

export interface ClaimStatusView {
  claimId: string;
  status: ClaimStatus;
  timeline: TimelineEntry[];
  filedAt: string;
  poolId?: string;
  poolName?: string;
  recognizedLossCents?: number;
  payoutCents?: number;
  /** Above 1 for a further payment from money left in the programme (a later round). */
  payoutRound?: number;
  currency: string;
  /** The figures behind the payout (explainPayout), once a plan is approved. */
  payoutExplanation?: Record<string, unknown>;
  /** The same in one plain sentence. */
  payoutSentence?: string;
  reconsideration?: { canRequest: boolean; deadline: string; requestedAt?: string };
  /** A returned payment's new details were received: it is sent again in the next payment run. */
  paymentDetails?: { receivedAt: string; method: PayoutMethod; accountLast4?: string; reissuePending: true };
  nextStep: string;
}

const NEXT_STEP: Record<ClaimStatus, string> = {
  SUBMITTED: 'Your claim is waiting for a reviewer. You do not need to do anything now.',
  UNDER_REVIEW: 'A reviewer is looking at your claim. We will contact you if we need anything.',
  NEEDS_INFO: 'We need more information from you: read the note in the timeline and send what it asks for.',
  APPROVED: 'Your loss was recognised. Payments are calculated once every claim in the programme is decided.',
  DENIED: 'Your claim was denied. Read the reason in the timeline; you may ask for reconsideration.',
  RECONSIDERATION_REQUESTED: 'A reviewer will look at your claim again.',
  PAYMENT_SCHEDULED: 'Your payment is scheduled. It will be sent to the address on your claim.',
  PAID: 'Your payment was sent.',
  PAYMENT_RETURNED:
    'Your payment came back to us. Tell us how to pay you (a check to your current address, or a direct deposit) and we will send it again in the next payment run.',
  CLOSED: 'This claim is closed.',
};

/** One sentence a victim can read, from explainPayout's figures. */
export function payoutSentence(e: Record<string, unknown>, currency: string): string | undefined {
  const money = (k: string) => formatCents(Number(e[k]), currency);
  switch (e['outcome']) {
    case 'PAID_IN_FULL':
      return `The programme had ${money('poolAmountCents')}, enough to pay every recognised loss in full, so you receive your whole recognised loss of ${money('recognizedLossCents')}.`;
    case 'PAID_PRO_RATA':
      return `The programme had ${money('poolAmountCents')} for ${money('totalRecognizedLossCents')} of recognised losses, so each victim receives the same share of their loss: your ${money('recognizedLossCents')} (${String(e['sharePercent'])}% of all losses) gives ${money('payoutCents')}, ${String(e['percentOfLossPaid'])}% of your loss.`;
    case 'EXCLUDED':
      return `Your share of the programme's ${money('poolAmountCents')} would have been below the minimum payment of ${money('minimumPayoutCents')}, so, as the programme's rules require, it was shared among the other victims.`;
    default:
      return undefined;
  }
}

export function toStatusView(claim: Claim, pool: Pool | undefined, now: Date): ClaimStatusView {
  const view: ClaimStatusView = {
    claimId: claim.claimId,
    status: claim.status,
    timeline: claim.timeline.map((t) => ({
      status: t.status,
      at: t.at,
      ...(t.note ? { note: t.note } : {}),
      ...(t.event ? { event: t.event } : {}),
    })),
    filedAt: claim.filedAt,
    currency: claim.currency,
    nextStep: NEXT_STEP[claim.status],
  };
  if (claim.poolId) view.poolId = claim.poolId;
  if (pool) view.poolName = pool.name;
  const recognised: readonly ClaimStatus[] = ['APPROVED', 'PAYMENT_SCHEDULED', 'PAID', 'CLOSED'];
  if (claim.recognizedLossCents !== undefined && recognised.includes(claim.status)) {
    view.recognizedLossCents = claim.recognizedLossCents;
  }
  if (claim.payout) {
    view.payoutCents = claim.payout.payoutCents;
    if ((claim.payout.round ?? 1) > 1) view.payoutRound = claim.payout.round;
    view.payoutExplanation = claim.payout.explanation;
    const sentence = payoutSentence(claim.payout.explanation, claim.currency);
    if (sentence) view.payoutSentence = sentence;
  }
  const detailsAt = claim.paymentDetailsUpdatedAt;
  if (
    claim.status === 'PAYMENT_RETURNED' &&
    detailsAt &&
    Date.parse(detailsAt) > Date.parse(claim.payout?.returnedAt ?? '')
  ) {
    const method = claim.claimant.payoutMethod ?? 'check';
    const last4 = claim.claimant.payoutAccount?.last4;
    view.paymentDetails = {
      receivedAt: detailsAt,
      method,
      ...(method === 'direct-deposit' && last4 ? { accountLast4: last4 } : {}),
      reissuePending: true,
    };
    view.nextStep =
      'We have your new payment details. Your payment will be sent again in the next payment run.';
  }
  const deniedAt = lastDenial(claim);
  if (deniedAt && (claim.status === 'DENIED' || claim.status === 'RECONSIDERATION_REQUESTED')) {
    const deadline = reconsiderationDeadline(deniedAt);
    view.reconsideration = {
      canRequest:
        claim.status === 'DENIED' &&
        now.getTime() - Date.parse(deniedAt) <= RECONSIDERATION_WINDOW_DAYS * 86_400_000,
      deadline,
      ...(claim.reconsideration ? { requestedAt: claim.reconsideration.requestedAt } : {}),
    };
  }
  return view;
}

export interface StatusDeps extends AuthDeps {
  pools: { get(poolId: string): Promise<Pool | undefined> };
}

export async function claimStatus(body: unknown, deps: StatusDeps): Promise<ClaimStatusView> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(statusRequestSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  const pool = claim.poolId ? await deps.pools.get(claim.poolId) : undefined;
  return toStatusView(claim, pool, now);
}

export interface ReconsiderationDeps extends StatusDeps {
  claims: StatusClaimReader & {
    transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void>;
  };
}

/**
 * The claimant asks for a denial to be looked at again, within the window:
 * authenticate, check the state and the window (409 otherwise), record the request.
 */
export async function requestReconsideration(
  body: unknown,
  deps: ReconsiderationDeps,
): Promise<ClaimStatusView> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(reconsiderationSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  checkReconsideration(claim, now);
  const at = now.toISOString();
  const entry: TimelineEntry = {
    status: 'RECONSIDERATION_REQUESTED',
    at,
    note: 'You asked for the decision to be reconsidered.',
    event: { kind: 'reconsideration-requested' },
  };
  const reconsideration = { requestedAt: at, reason: input.reason.trim() };
  await deps.claims.transitionOrConflict(
    claim,
    { status: 'RECONSIDERATION_REQUESTED', timeline: entry, reconsideration },
    at,
  );
  const pool = claim.poolId ? await deps.pools.get(claim.poolId) : undefined;
  return toStatusView(
    {
      ...claim,
      status: 'RECONSIDERATION_REQUESTED',
      timeline: [...claim.timeline, entry],
      reconsideration,
      version: claim.version + 1,
    },
    pool,
    now,
  );
}
