/**
 * Later rounds: what a pool still owes and to whom, from each claim's payment ledger.
 *
 * A pool's money is spent only by payments that were made (PAID) or are still on their way
 * (scheduled and not yet reported, or returned and waiting for the claimant's new details, or
 * waiting to be reissued). Everything else is money left: shares below the minimum, payments
 * returned and not reissued within the configured days, uncashed (voided) checks, and any part of
 * the pool a pro-rata plan never needed. A later round shares the money left over the approved
 * claims still short of their loss, with the same rules (computeDistribution), so across every
 * round no claim is paid more than its recognised loss:
 *
 *   shortfall = recognised loss - paid - still on its way,   round payout <= shortfall.
 *
 * A returned payment waits `waitDays` for the claimant to update their details:
 *   - updated in time      -> REISSUE: the same amount goes in the next payment file;
 *   - not yet, still in time -> WAITING: its money stays committed;
 *   - not in time          -> LAPSED: its money is free again. The claim joins a later round
 *                             once the claimant updates (until then nobody can be paid).
 *
 * Pure: no I/O, no clock (the caller passes `now`).
 */
import type { ApprovedClaim } from './distribution.ts';

export type PaymentState = 'SCHEDULED' | 'PAID' | 'RETURNED';

/** What a round needs to know about one claim of the pool. */
export interface LedgerClaim {
  readonly claimId: string;
  readonly status: string;
  readonly version: number;
  readonly recognizedLossCents?: number;
  /** Sum of payments reported PAID, over every round. */
  readonly paidCents?: number;
  /** The claim's latest payment, if it had one. */
  readonly payout?: {
    readonly distributionId: string;
    readonly payoutCents: number;
    readonly state?: PaymentState;
    readonly returnedAt?: string;
  };
  readonly paymentDetailsUpdatedAt?: string;
}

export type ReturnedState = 'WAITING' | 'REISSUE' | 'LAPSED';

const DAY_MS = 86_400_000;

export function returnedState(claim: LedgerClaim, now: Date, waitDays: number): ReturnedState {
  const returnedAt = Date.parse(claim.payout?.returnedAt ?? '');
  const deadline = returnedAt + waitDays * DAY_MS;
  const updated = Date.parse(claim.paymentDetailsUpdatedAt ?? '');
  if (updated > returnedAt && updated <= deadline) return 'REISSUE';
  return now.getTime() <= deadline ? 'WAITING' : 'LAPSED';
}

/** Money of this claim's latest payment that is still on its way (not paid, not free). */
export function committedCents(claim: LedgerClaim, now: Date, waitDays: number): number {
  const p = claim.payout;
  if (!p || p.payoutCents <= 0) return 0;
  const state = p.state ?? 'SCHEDULED';
  if (state === 'SCHEDULED') return p.payoutCents;
  if (state === 'RETURNED') return returnedState(claim, now, waitDays) === 'LAPSED' ? 0 : p.payoutCents;
  return 0; // PAID: counted in paidCents
}

/** Statuses whose claims may take part in a round (besides returned ones whose money lapsed). */
const ROUND_STATUSES = new Set(['APPROVED', 'PAID', 'CLOSED']);

export interface Reissue {
  readonly claimId: string;
  readonly payoutCents: number;
  readonly version: number;
  /** The plan whose payment came back. */
  readonly reissueOf: string;
}

export interface RoundInput {
  /** The pool amount less everything paid and everything still on its way. Never negative. */
  readonly moneyLeftCents: number;
  readonly paidCents: number;
  readonly committedCents: number;
  /** Claims short of their loss, with the shortfall as the loss the round shares out. */
  readonly claims: readonly (ApprovedClaim & { readonly version: number })[];
  /** Returned payments whose claimant updated their details in time: paid again as they were. */
  readonly reissues: readonly Reissue[];
}

export function roundInput(
  poolAmountCents: number,
  ledger: readonly LedgerClaim[],
  now: Date,
  waitDays: number,
): RoundInput {
  let paid = 0;
  let committed = 0;
  const claims: (ApprovedClaim & { version: number })[] = [];
  const reissues: Reissue[] = [];
  for (const c of ledger) {
    const claimPaid = c.paidCents ?? 0;
    const claimCommitted = committedCents(c, now, waitDays);
    paid += claimPaid;
    committed += claimCommitted;
    const loss = c.recognizedLossCents;
    if (loss === undefined) continue;
    if (c.status === 'PAYMENT_RETURNED') {
      const state = returnedState(c, now, waitDays);
      if (state === 'REISSUE' && c.payout) {
        reissues.push({
          claimId: c.claimId,
          payoutCents: c.payout.payoutCents,
          version: c.version,
          reissueOf: c.payout.distributionId,
        });
        continue;
      }
      // A lapsed return joins the round only once someone can be paid: after new details.
      const updatedSinceReturn =
        Date.parse(c.paymentDetailsUpdatedAt ?? '') > Date.parse(c.payout?.returnedAt ?? '');
      if (state !== 'LAPSED' || !updatedSinceReturn) continue;
    } else if (!ROUND_STATUSES.has(c.status)) {
      continue;
    }
    const shortfall = loss - claimPaid - claimCommitted;
    if (shortfall > 0)
      claims.push({ claimId: c.claimId, recognizedLossCents: shortfall, version: c.version });
  }
  return {
    moneyLeftCents: Math.max(0, poolAmountCents - paid - committed),
    paidCents: paid,
    committedCents: committed,
    claims,
    reissues,
  };
}
