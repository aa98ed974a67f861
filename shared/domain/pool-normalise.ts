/**
 * From an admin's validated pool input to the stored pool: seized identifiers normalised with the
 * same normalisers as reports (so matching is an exact key lookup), duplicates dropped, the
 * deadline checked, and the pool built field by field.
 */
import { type FieldProblem, ValidationError } from './errors.ts';
import { normaliseIndicator } from './indicators/indicator.ts';
import type { IndicatorType } from './indicators/types.ts';
import { deadlineToday, type Pool, spanishText } from './pool.ts';
import type { PoolInput, PoolPatch } from './pool-schema.ts';
import type { IndicatorRef } from './report-content.ts';

export const defaultEligibility = (name: string, caseNumber: string): string =>
  `You may be eligible if you lost money in the scheme behind ${name} (case ${caseNumber}), for example by ` +
  'paying one of the accounts or wallets seized in the case, and you did not take part in the offence. ' +
  'Only the money you paid counts, minus any refunds or other recoveries. Filing a claim is free: ' +
  'nobody from this programme will ever ask you for a fee.';

/** Normalises the seized identifiers (problems at `seizedIndicators.<i>.value`) and drops duplicates. */
export function normaliseSeized(
  list: readonly { type: IndicatorType; value: string }[],
  key: Uint8Array,
): IndicatorRef[] {
  const problems: FieldProblem[] = [];
  const out: IndicatorRef[] = [];
  list.forEach((s, i) => {
    const r = normaliseIndicator(s.type, s.value, key);
    if (!r.ok) {
      problems.push({ path: `seizedIndicators.${i}.value`, message: r.reason });
      return;
    }
    const ref = { type: r.indicator.type, value: r.indicator.value, display: r.indicator.display };
    if (!out.some((o) => o.type === ref.type && o.value === ref.value)) out.push(ref);
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}

function checkDeadline(claimDeadline: string, now: Date): void {
  if (claimDeadline < deadlineToday(now)) {
    throw new ValidationError([
      { path: 'claimDeadline', message: 'The claim deadline has already passed. Choose a later date.' },
    ]);
  }
}

/** A new pool from a validated input, built field by field. */
export function newPool(
  input: PoolInput,
  opts: { poolId: string; key: Uint8Array; now: Date; by: string },
): Pool {
  checkDeadline(input.claimDeadline, opts.now);
  const seizedIndicators = normaliseSeized(input.seizedIndicators, opts.key);
  const pool: Pool = {
    poolId: opts.poolId,
    name: input.name.trim(),
    caseNumber: input.caseNumber.trim(),
    court: input.court.trim(),
    eligibility: input.eligibility?.trim() || defaultEligibility(input.name.trim(), input.caseNumber.trim()),
    amountCents: input.amountCents,
    currency: input.currency,
    seizedIndicators,
    claimDeadline: input.claimDeadline,
    minimumPayoutCents: input.minimumPayoutCents,
    status: 'OPEN',
    version: 1,
    createdBy: opts.by,
    createdAt: opts.now.toISOString(),
  };
  const description = input.description?.trim();
  if (description) pool.description = description;
  const es = spanishText(input.es);
  if (es) pool.es = es;
  return pool;
}

/** The pool after a patch (a new object; the version is bumped by the caller's conditional write). */
export function patchPool(
  pool: Pool,
  patch: PoolPatch,
  opts: { key: Uint8Array; now: Date; by: string },
): Pool {
  const next: Pool = { ...pool, seizedIndicators: [...pool.seizedIndicators] };
  if (patch.name !== undefined) next.name = patch.name.trim();
  if (patch.caseNumber !== undefined) next.caseNumber = patch.caseNumber.trim();
  if (patch.court !== undefined) next.court = patch.court.trim();
  if (patch.description !== undefined) {
    const d = patch.description.trim();
    if (d) next.description = d;
    else delete next.description;
  }
  if (patch.eligibility !== undefined) {
    next.eligibility = patch.eligibility.trim() || defaultEligibility(next.name, next.caseNumber);
  }
  if (patch.es !== undefined) {
    const es = spanishText(patch.es);
    if (es) next.es = es;
    else delete next.es;
  }
  if (patch.amountCents !== undefined && patch.amountCents !== pool.amountCents) {
    next.amountCents = patch.amountCents;
    // Dual control: whoever sets the amount may not also approve the plan that spends it.
    next.amountChangedBy = opts.by;
  }
  if (patch.currency !== undefined) next.currency = patch.currency;
  if (patch.minimumPayoutCents !== undefined) next.minimumPayoutCents = patch.minimumPayoutCents;
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.claimDeadline !== undefined && patch.claimDeadline !== pool.claimDeadline) {
    checkDeadline(patch.claimDeadline, opts.now);
    next.claimDeadline = patch.claimDeadline;
  }
  if (patch.seizedIndicators !== undefined) {
    next.seizedIndicators = normaliseSeized(patch.seizedIndicators, opts.key);
  }
  next.version = pool.version + 1;
  next.updatedBy = opts.by;
  next.updatedAt = opts.now.toISOString();
  return next;
}
