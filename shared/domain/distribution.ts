/**
 * Pro-rata distribution of a forfeited pool to approved claims (28 CFR Part 9 remission and the
 * FTC's refund practice; see docs/domain.md, "Distribution: who gets what").
 *
 * computeDistribution:
 *   1. Validate the pool, the minimum payment and every claim; refuse duplicate claim ids.
 *   2. If the recognised losses fit in the pool, pay every claim in full.
 *   3. Otherwise exclude every claim whose exact share P x L / S is below the minimum payment, all
 *      at once, recompute S without them and repeat (see `excludeBelowMinimum` for why this
 *      settles after one exclusion round). If the remaining losses now fit, pay them in full.
 *   4. Otherwise pay floor(share) and hand the leftover cents, one each, to the largest
 *      remainders, ties to the smaller claim id in UTF-8 byte order.
 *
 * All money is integer cents. Products like pool x loss pass 2^53, so they go through BigInt
 * (or through doubles only when the product is provably below 2^53, where doubles are exact).
 * The plan depends only on the set of claims, never on their order: every loop runs in claim id
 * order and every tie is broken by claim id.
 *
 * Pure: no I/O, no clock, no randomness.
 */

import { DomainError, NotFoundError } from './errors.ts';

/** The FTC's default minimum payment, $10. */
export const DEFAULT_MINIMUM_PAYOUT_CENTS = 1000;

export interface ApprovedClaim {
  readonly claimId: string;
  /** Loss recognised at approval, net of recoveries, in cents. A safe integer > 0. */
  readonly recognizedLossCents: number;
}

export interface DistributionInput {
  /** Money available in the pool, in cents. A safe integer >= 0. */
  readonly poolAmountCents: number;
  readonly claims: readonly ApprovedClaim[];
  /** Shares below this are not paid and go back to the others. Defaults to $10. */
  readonly minimumPayoutCents?: number;
}

export interface Payout {
  readonly claimId: string;
  readonly recognizedLossCents: number;
  readonly payoutCents: number;
}

export type ExclusionReason = 'BELOW_MINIMUM_PAYOUT';

export interface ExcludedClaim {
  readonly claimId: string;
  readonly recognizedLossCents: number;
  readonly reason: ExclusionReason;
  /**
   * The exact share P x L / S in the round the claim was excluded, in cents, rounded down to
   * hundredths of a cent: '912.34' means $9.1234. Always below the minimum payment.
   */
  readonly exactShareCents: string;
  /** 1-based exclusion round; S in that round was the plan's total plus every claim excluded in it or later. */
  readonly round: number;
}

/** FULL: every included claim gets its whole loss. PRO_RATA: the pool is shared out and spent to the cent. */
export type DistributionBasis = 'FULL' | 'PRO_RATA';

export interface DistributionPlan {
  readonly poolAmountCents: number;
  readonly minimumPayoutCents: number;
  readonly basis: DistributionBasis;
  /** Sum of the recognised losses of the claims that stay in the plan (not the excluded ones). */
  readonly totalRecognizedLossCents: number;
  /** Always min(poolAmountCents, totalRecognizedLossCents). */
  readonly totalPayoutCents: number;
  /** Sorted by claim id in UTF-8 byte order. */
  readonly payouts: readonly Payout[];
  /** Sorted by claim id in UTF-8 byte order. */
  readonly excluded: readonly ExcludedClaim[];
  /** Pool money this plan does not pay out; it stays in the pool for a later distribution. */
  readonly leftoverCents: number;
  /** Number of exclusion rounds that excluded at least one claim (0 or 1, see excludeBelowMinimum). */
  readonly rounds: number;
}

export class InvalidDistributionInputError extends DomainError {
  readonly code = 'INVALID_DISTRIBUTION_INPUT';
  /** Where the bad value is, e.g. `claims.12.recognizedLossCents`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

export class DuplicateClaimError extends DomainError {
  readonly code = 'DUPLICATE_CLAIM';
  readonly claimId: string;
  constructor(claimId: string) {
    super(`Claim ${claimId} appears more than once in the distribution input.`);
    this.claimId = claimId;
  }
}

/** A total that must be reported as a number does not fit in Number.MAX_SAFE_INTEGER. */
export class DistributionOverflowError extends DomainError {
  readonly code = 'DISTRIBUTION_OVERFLOW';
}

export class ClaimNotInPlanError extends NotFoundError {
  readonly claimId: string;
  constructor(claimId: string) {
    super(`Claim ${claimId} is not part of this distribution.`);
    this.claimId = claimId;
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function computeDistribution(input: DistributionInput): DistributionPlan {
  const pool = input.poolAmountCents;
  const minimum = input.minimumPayoutCents ?? DEFAULT_MINIMUM_PAYOUT_CENTS;
  requireSafeInteger('poolAmountCents', pool, 0);
  requireSafeInteger('minimumPayoutCents', minimum, 0);
  const claims = input.claims;
  if (!Array.isArray(claims)) throw new InvalidDistributionInputError('claims', 'must be an array');

  const n = claims.length;
  const rawIds: string[] = new Array(n);
  const rawLosses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const claim = claims[i] as ApprovedClaim | null | undefined;
    if (typeof claim !== 'object' || claim === null) {
      throw new InvalidDistributionInputError(`claims.${i}`, 'must be an object');
    }
    const id = claim.claimId;
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidDistributionInputError(`claims.${i}.claimId`, 'must be a non-empty string');
    }
    const loss = claim.recognizedLossCents;
    requireSafeInteger(`claims.${i}.recognizedLossCents`, loss, 1);
    rawIds[i] = id;
    rawLosses[i] = loss;
  }

  // Work in claim id order from here on: the plan then cannot depend on the input order.
  const { order, duplicate } = sortByClaimId(rawIds);
  if (duplicate !== undefined) throw new DuplicateClaimError(duplicate);
  const ids: string[] = new Array(n);
  const losses = new Float64Array(n);
  const total = new ExactSum();
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    ids[k] = rawIds[i]!;
    const loss = rawLosses[i]!;
    losses[k] = loss;
    total.add(loss);
  }

  const P = BigInt(pool);
  const exclusion = excludeBelowMinimum(losses, total.value(), P, BigInt(minimum));
  const S = exclusion.remainingTotal;
  const excluded = describeExclusions(ids, losses, exclusion, P);

  if (S <= P) {
    // Everyone still in the plan is paid in full, including losses below the minimum payment
    // when nobody was excluded: the minimum exists to stop the pool being spent on checks too
    // small to be worth cashing *when money is short*. When the pool covers every loss there is
    // nothing to redistribute, so holding back a $4 loss would only keep money from its victim.
    // After an exclusion round every remaining loss is above the minimum anyway, and the
    // excluded claims' money stays in the pool (see excludeBelowMinimum).
    const payouts: Payout[] = [];
    for (let k = 0; k < n; k++) {
      if (exclusion.roundOf[k] !== 0) continue;
      const loss = losses[k]!;
      payouts.push({ claimId: ids[k]!, recognizedLossCents: loss, payoutCents: loss });
    }
    const totalLoss = Number(S); // S <= P, a safe integer
    return {
      poolAmountCents: pool,
      minimumPayoutCents: minimum,
      basis: 'FULL',
      totalRecognizedLossCents: totalLoss,
      totalPayoutCents: totalLoss,
      payouts,
      excluded,
      leftoverCents: pool - totalLoss,
      rounds: exclusion.rounds,
    };
  }

  if (S > BigInt(MAX_SAFE)) {
    throw new DistributionOverflowError(
      `The recognised losses in the plan total ${S} cents, more than this system can report exactly.`,
    );
  }
  const payouts = shareProRata(ids, losses, exclusion.roundOf, pool, Number(S));
  return {
    poolAmountCents: pool,
    minimumPayoutCents: minimum,
    basis: 'PRO_RATA',
    totalRecognizedLossCents: Number(S),
    totalPayoutCents: pool,
    payouts,
    excluded,
    leftoverCents: 0,
    rounds: exclusion.rounds,
  };
}

interface Exclusion {
  /** Per claim in id order: 0 if it stays in the plan, else the 1-based round that excluded it. */
  readonly roundOf: Uint32Array;
  /** S at the start of each exclusion round (index round - 1). */
  readonly roundTotals: readonly bigint[];
  readonly rounds: number;
  /** S over the claims that stay in the plan. */
  readonly remainingTotal: bigint;
}

/**
 * Rule 2: while the pool is short (S > P), exclude at once every claim whose exact share is below
 * the minimum, P x L < M x S, and recompute S without them.
 *
 * Why this settles after one exclusion round: excluding claims only lowers S, so every share
 * P x L / S that was >= M before the round is still >= M after it. A second round never finds
 * anything; the loop still checks, so the code states the rule rather than the proof. (Excluding
 * claims one at a time, recomputing S in between, can keep claims this rule excludes: it is a
 * different rule, and gives a different plan; the tests show one.)
 *
 * When the exclusions bring S down to P or below, the loop stops and the caller pays the rest in
 * full (rule 1): each remaining L >= M x S_before / P > M (M > 0, or nobody would have been
 * excluded), so every one of those payments is above the minimum. The excluded claims' money is then not needed; it stays in the pool as
 * leftover for a later distribution rather than being paid to claims the rule has excluded.
 */
function excludeBelowMinimum(losses: Float64Array, total: bigint, P: bigint, M: bigint): Exclusion {
  const n = losses.length;
  const roundOf = new Uint32Array(n);
  const roundTotals: bigint[] = [];
  let S = total;
  while (S > P) {
    const threshold = exclusionThreshold(P, M, S);
    const removed = new ExactSum();
    const round = roundTotals.length + 1;
    let count = 0;
    for (let k = 0; k < n; k++) {
      const loss = losses[k]!;
      if (loss < threshold && roundOf[k] === 0) {
        roundOf[k] = round;
        removed.add(loss);
        count++;
      }
    }
    if (count === 0) break;
    roundTotals.push(S);
    S -= removed.value();
  }
  return { roundOf, roundTotals, rounds: roundTotals.length, remainingTotal: S };
}

/**
 * The loss below which a claim's exact share is below the minimum: for integer L,
 * P x L < M x S  <=>  L < M x S / P  <=>  L < ceil(M x S / P). One BigInt division per round
 * instead of one BigInt product per claim.
 */
function exclusionThreshold(P: bigint, M: bigint, S: bigint): number {
  if (P === 0n) return M > 0n ? Number.POSITIVE_INFINITY : 0; // every share is 0
  const t = (M * S + P - 1n) / P;
  // Every loss is a safe integer, so a threshold above that range excludes them all.
  return t > BigInt(MAX_SAFE) ? Number.POSITIVE_INFINITY : Number(t);
}

function describeExclusions(ids: readonly string[], losses: Float64Array, ex: Exclusion, P: bigint) {
  const out: ExcludedClaim[] = [];
  if (ex.rounds === 0) return out;
  for (let k = 0; k < ids.length; k++) {
    const round = ex.roundOf[k]!;
    if (round === 0) continue;
    const loss = losses[k]!;
    const S = ex.roundTotals[round - 1]!;
    out.push({
      claimId: ids[k]!,
      recognizedLossCents: loss,
      reason: 'BELOW_MINIMUM_PAYOUT',
      exactShareCents: formatHundredths((P * BigInt(loss) * 100n) / S),
      round,
    });
  }
  return out;
}

/**
 * Rule 3, with P < S <= MAX_SAFE: payout = floor(P x L / S), then the P - sum(floors) leftover
 * cents (fewer than the number of claims, since each fractional part is < 1) go one each to the
 * largest remainders (P x L) mod S, ties to the smaller claim id.
 */
function shareProRata(
  ids: readonly string[],
  losses: Float64Array,
  roundOf: Uint32Array,
  pool: number,
  S: number,
): Payout[] {
  const n = ids.length;
  const Pb = BigInt(pool);
  const Sb = BigInt(S);
  const included = new Uint32Array(n);
  const quotients = new Float64Array(n);
  const remainders = new Float64Array(n);
  let m = 0;
  let floorSum = 0; // <= pool, exact
  for (let k = 0; k < n; k++) {
    if (roundOf[k] !== 0) continue;
    const loss = losses[k]!;
    const product = pool * loss;
    let q: number;
    let r: number;
    if (product <= MAX_SAFE) {
      // The true product is <= 2^53 - 1 exactly when the rounded one is, and then it is exact;
      // % on doubles is exact, and (product - r) is an exact multiple of S.
      r = product % S;
      q = (product - r) / S;
    } else {
      const p = Pb * BigInt(loss);
      const qb = p / Sb;
      q = Number(qb);
      r = Number(p - qb * Sb);
    }
    included[m] = k;
    quotients[m] = q;
    remainders[m] = r;
    floorSum += q;
    m++;
  }

  // The leftover cents go one each to the largest remainders; j is in claim id order, so the
  // smaller id wins a tie.
  let leftover = pool - floorSum;
  const ranked = Uint32Array.from({ length: m }, (_, j) => j).sort(
    (a, b) => remainders[b]! - remainders[a]! || a - b,
  );
  const extra = new Uint8Array(m);
  for (let i = 0; i < leftover; i++) extra[ranked[i]!] = 1;

  const payouts: Payout[] = new Array(m);
  for (let j = 0; j < m; j++) {
    const k = included[j]!;
    leftover -= extra[j]!;
    payouts[j] = {
      claimId: ids[k]!,
      recognizedLossCents: losses[k]!,
      payoutCents: quotients[j]! + extra[j]!,
    };
  }
  if (leftover !== 0) throw new Error(`distribution: ${leftover} cents left unassigned`); // unreachable
  return payouts;
}

// ---------------------------------------------------------------------------------------------
// Explaining a payout to the victim

export type PayoutExplanation =
  | {
      readonly outcome: 'PAID_IN_FULL' | 'PAID_PRO_RATA';
      readonly claimId: string;
      readonly poolAmountCents: number;
      /** Total recognised losses of the claims in the plan. */
      readonly totalRecognizedLossCents: number;
      readonly recognizedLossCents: number;
      /** The claim's loss as a percentage of that total, rounded down to 2 decimals: '0.42'. */
      readonly sharePercent: string;
      readonly payoutCents: number;
      /** payout / loss as a percentage, rounded down to 2 decimals: '30.00'. */
      readonly percentOfLossPaid: string;
      readonly minimumPayoutCents: number;
    }
  | {
      readonly outcome: 'EXCLUDED';
      readonly claimId: string;
      readonly poolAmountCents: number;
      /** Total recognised losses when the claim was excluded (the S its share was computed with). */
      readonly totalRecognizedLossCents: number;
      readonly recognizedLossCents: number;
      readonly sharePercent: string;
      readonly payoutCents: 0;
      readonly reason: ExclusionReason;
      readonly exactShareCents: string;
      readonly minimumPayoutCents: number;
    };

/** The figures a victim-facing sentence needs. Throws ClaimNotInPlanError for an unknown id. */
export function explainPayout(plan: DistributionPlan, claimId: string): PayoutExplanation {
  const paid = findById(plan.payouts, claimId);
  if (paid) {
    return {
      outcome: plan.basis === 'FULL' ? 'PAID_IN_FULL' : 'PAID_PRO_RATA',
      claimId,
      poolAmountCents: plan.poolAmountCents,
      totalRecognizedLossCents: plan.totalRecognizedLossCents,
      recognizedLossCents: paid.recognizedLossCents,
      sharePercent: percent(paid.recognizedLossCents, BigInt(plan.totalRecognizedLossCents)),
      payoutCents: paid.payoutCents,
      percentOfLossPaid: percent(paid.payoutCents, BigInt(paid.recognizedLossCents)),
      minimumPayoutCents: plan.minimumPayoutCents,
    };
  }
  const excluded = findById(plan.excluded, claimId);
  if (!excluded) throw new ClaimNotInPlanError(claimId);
  let S = BigInt(plan.totalRecognizedLossCents);
  for (const other of plan.excluded)
    if (other.round >= excluded.round) S += BigInt(other.recognizedLossCents);
  if (S > BigInt(MAX_SAFE))
    throw new DistributionOverflowError(`Recognised losses of ${S} cents are too large to report.`);
  return {
    outcome: 'EXCLUDED',
    claimId,
    poolAmountCents: plan.poolAmountCents,
    totalRecognizedLossCents: Number(S),
    recognizedLossCents: excluded.recognizedLossCents,
    sharePercent: percent(excluded.recognizedLossCents, S),
    payoutCents: 0,
    reason: excluded.reason,
    exactShareCents: excluded.exactShareCents,
    minimumPayoutCents: plan.minimumPayoutCents,
  };
}

/**
 * explainPayout from a stored plan's totals, without the whole plan in memory: what a job needs
 * when it schedules a million payments chunk by chunk. `excludedLossCents` is the sum of the
 * excluded claims' losses (one exclusion round at most, see excludeBelowMinimum), so an excluded
 * claim's S is the plan's total plus it.
 */
export function explainLine(
  totals: {
    readonly basis: DistributionBasis;
    readonly poolAmountCents: number;
    readonly totalRecognizedLossCents: number;
    readonly excludedLossCents: number;
    readonly minimumPayoutCents: number;
  },
  line: {
    readonly claimId: string;
    readonly recognizedLossCents: number;
    readonly payoutCents: number;
    readonly excluded?: { readonly exactShareCents: string };
  },
): PayoutExplanation {
  if (!line.excluded) {
    return {
      outcome: totals.basis === 'FULL' ? 'PAID_IN_FULL' : 'PAID_PRO_RATA',
      claimId: line.claimId,
      poolAmountCents: totals.poolAmountCents,
      totalRecognizedLossCents: totals.totalRecognizedLossCents,
      recognizedLossCents: line.recognizedLossCents,
      sharePercent: percent(line.recognizedLossCents, BigInt(totals.totalRecognizedLossCents)),
      payoutCents: line.payoutCents,
      percentOfLossPaid: percent(line.payoutCents, BigInt(line.recognizedLossCents)),
      minimumPayoutCents: totals.minimumPayoutCents,
    };
  }
  const S = BigInt(totals.totalRecognizedLossCents) + BigInt(totals.excludedLossCents);
  return {
    outcome: 'EXCLUDED',
    claimId: line.claimId,
    poolAmountCents: totals.poolAmountCents,
    totalRecognizedLossCents: Number(S),
    recognizedLossCents: line.recognizedLossCents,
    sharePercent: percent(line.recognizedLossCents, S),
    payoutCents: 0,
    reason: 'BELOW_MINIMUM_PAYOUT',
    exactShareCents: line.excluded.exactShareCents,
    minimumPayoutCents: totals.minimumPayoutCents,
  };
}

function findById<T extends { readonly claimId: string }>(
  sorted: readonly T[],
  claimId: string,
): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareClaimIds(sorted[mid]!.claimId, claimId);
    if (c === 0) return sorted[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return undefined;
}

function percent(part: number, whole: bigint): string {
  if (whole === 0n) return '0.00';
  return formatHundredths((BigInt(part) * 10_000n) / whole);
}

/** 91234n -> '912.34'. */
function formatHundredths(hundredths: bigint): string {
  const whole = hundredths / 100n;
  const frac = Number(hundredths % 100n);
  return `${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

// ---------------------------------------------------------------------------------------------
// Claim id order

/**
 * Orders claim ids as their UTF-8 bytes would (which is code point order), not as
 * localeCompare or UTF-16 code units would: '\uFF61' (EF BD A1) sorts before '😀' (F0 9F 98 80).
 */
export function compareClaimIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return byteRank(x) - byteRank(y);
  }
  return a.length - b.length;
}

/**
 * Maps a UTF-16 code unit so that comparing mapped units gives code point order: surrogates
 * (characters above U+FFFF) move above U+E000..U+FFFF. Lone surrogates get a fixed place too.
 */
function byteRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** The permutation that sorts `ids` by compareClaimIds, and one id that occurs twice, if any. */
export function sortByClaimId(ids: readonly string[]): { order: Uint32Array; duplicate: string | undefined } {
  const order = Uint32Array.from(ids.keys()).sort((a, b) => compareClaimIds(ids[a]!, ids[b]!));
  let duplicate: string | undefined;
  for (let k = 1; k < order.length && duplicate === undefined; k++) {
    const id = ids[order[k]!]!;
    if (id === ids[order[k - 1]!]) duplicate = id;
  }
  return { order, duplicate };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function requireSafeInteger(path: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidDistributionInputError(
      path,
      `must be a whole number of cents from ${min} to ${MAX_SAFE}, got ${String(value)}`,
    );
  }
}

/** Sums safe integers exactly: in doubles while the total stays below 2^53, spilling into a BigInt. */
class ExactSum {
  private small = 0;
  private big = 0n;
  add(value: number): void {
    if (this.small > MAX_SAFE - value) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.small += value;
  }
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}
