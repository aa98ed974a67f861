/**
 * The plan job: computing a distribution plan as a chain of small, checkpointed steps, one per
 * queue message, so no step comes near Lambda's 15-minute limit and a crash costs one step.
 *
 * Steps (the header's `job.step` says which one runs next; its `job.phase` says what it does):
 *   COUNT    count the pool's claims (the denominator of `percent`).
 *   READ     read up to READ_CHUNK claims of the pool from where the last step stopped (a cursor
 *            in the header) and store them as one input chunk in S3. Repeated until the pool is
 *            read.
 *   COMPUTE  read the input chunks back, work out the money left and who is still short
 *            (domain/rounds.ts), compute the plan (domain/distribution.ts), write its lines in
 *            chunks of PLAN_CHUNK_LINES to S3, and mark the plan PLANNED (or FAILED, saying why).
 *
 * Each step ends with one conditional write of the header from step k to k+1, then queues step
 * k+1. Run twice (SQS delivers at least once), a step writes the same S3 objects again and its
 * second header write fails its condition: nothing moves twice. A message for a step the header
 * has passed is a duplicate and does nothing, unless it is a redelivery of the step just done
 * (the worker died between the header write and the send), which queues the next step again.
 */

import { createHash } from 'node:crypto';
import { compareClaimIds, computeDistribution, type DistributionPlan } from '../domain/distribution.ts';
import { DomainError } from '../domain/errors.ts';
import { type LedgerClaim, roundInput } from '../domain/rounds.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import {
  type DistributionDeps,
  type DistributionHeader,
  type JobProgress,
  jobMessage,
  PLAN_CHUNK_LINES,
  type PlanLine,
} from './distribute.ts';

/** Claims read per READ step: ~15 query pages, a few seconds, one ~300 KB S3 object. */
export const READ_CHUNK = 5000;

export type StepOutcome = 'done' | 'duplicate' | 'resent' | 'finished';

export async function runPlanStep(
  message: DistributionJobV1,
  receiveCount: number,
  deps: DistributionDeps,
): Promise<StepOutcome> {
  const header = await deps.distributions.getHeader(message.poolId, message.distributionId);
  if (!header) return 'duplicate';
  const job = header.job;
  if (job.state === 'READY' || job.state === 'FAILED') return 'finished';
  if (job.step !== message.step) {
    // The step just done, delivered again: its sender may have died before queueing the next.
    if (job.step === message.step + 1 && receiveCount > 1) {
      await deps.jobs.send(jobMessage(header, 'plan', job.step));
      return 'resent';
    }
    return 'duplicate';
  }
  const now = (deps.now ?? (() => new Date()))().toISOString();
  let next: JobProgress;
  let fields: Partial<DistributionHeader> = {};
  try {
    switch (job.phase) {
      case 'COUNT': {
        const total = await deps.claims.countForPool(header.poolId);
        next = { ...job, state: 'RUNNING', phase: 'READ', claimsTotal: total, percent: 1 };
        break;
      }
      case 'READ': {
        const page = await deps.claims.ledgerPage(header.poolId, {
          limit: READ_CHUNK,
          ...(job.cursor ? { cursor: job.cursor } : {}),
        });
        const chunk = job.inputChunks + 1;
        await deps.artefacts.putJson(artefactKeys.input(header.distributionId, chunk), page.items);
        const read = job.claimsRead + page.items.length;
        const { cursor: _done, ...rest } = job;
        next = {
          ...rest,
          state: 'RUNNING',
          phase: page.cursor ? 'READ' : 'COMPUTE',
          ...(page.cursor ? { cursor: page.cursor } : {}),
          claimsRead: read,
          inputChunks: chunk,
          percent: Math.min(80, 1 + Math.floor((79 * read) / Math.max(1, job.claimsTotal ?? read))),
        };
        break;
      }
      case 'COMPUTE': {
        const computed = await compute(header, deps);
        fields = computed.fields;
        next = { ...job, linesWritten: computed.linesWritten };
        next = { ...next, state: 'READY', phase: 'DONE', percent: 100, finishedAt: now };
        break;
      }
      default:
        return 'finished';
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e; // an outage: the message comes back, the step reruns
    // The rules refuse this plan (no claims, no money, overflow): say why, stop.
    const failed: JobProgress = {
      ...job,
      state: 'FAILED',
      errors: [e.message],
      finishedAt: now,
      updatedAt: now,
    };
    await deps.distributions.update(
      header.poolId,
      header.distributionId,
      { status: 'FAILED', job: failed },
      { jobStep: job.step },
    );
    return 'finished';
  }
  next = { ...next, step: job.step + 1, updatedAt: now };
  const moved = await deps.distributions.update(
    header.poolId,
    header.distributionId,
    { ...fields, job: next },
    { jobStep: job.step },
  );
  if (!moved) return 'duplicate'; // another delivery of this step won
  if (next.state !== 'READY') await deps.jobs.send(jobMessage(header, 'plan', next.step));
  return next.state === 'READY' ? 'finished' : 'done';
}

class PlanRefusedError extends DomainError {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

async function compute(
  header: DistributionHeader,
  deps: DistributionDeps,
): Promise<{ fields: Partial<DistributionHeader>; linesWritten: number }> {
  const pool = await deps.pools.get(header.poolId);
  if (!pool) throw new PlanRefusedError('The pool no longer exists.', 'POOL_GONE');
  const ledger: LedgerClaim[] = [];
  for (let n = 1; n <= header.job.inputChunks; n++) {
    const rows = await deps.artefacts.getJson<LedgerClaim[]>(artefactKeys.input(header.distributionId, n));
    if (!rows) throw new Error(`Plan ${header.distributionId}: input chunk ${n} is missing`);
    for (const r of rows) ledger.push(r);
  }
  const now = new Date(header.createdAt);
  const input = roundInput(pool.amountCents, ledger, now, deps.settings.returnedPaymentWaitDays);
  if (input.claims.length === 0 && input.reissues.length === 0) {
    throw new PlanRefusedError(
      header.roundNumber === 1
        ? 'This pool has no approved claims yet. Approve at least one claim, then compute the plan.'
        : 'No approved claim of this pool is still short of its loss, and no returned payment waits to be sent again.',
      'NO_APPROVED_CLAIMS',
    );
  }
  if (input.moneyLeftCents === 0 && input.reissues.length === 0) {
    throw new PlanRefusedError(
      'All of this pool has been paid or is on its way to claimants: there is no money left for another round.',
      'NO_MONEY_LEFT',
    );
  }
  const plan: DistributionPlan | undefined =
    input.moneyLeftCents > 0 && input.claims.length > 0
      ? computeDistribution({
          poolAmountCents: input.moneyLeftCents,
          minimumPayoutCents: pool.minimumPayoutCents,
          claims: input.claims,
        })
      : undefined;
  const versions = new Map(input.claims.map((c) => [c.claimId, c.version]));
  const payouts: PlanLine[] = (plan?.payouts ?? []).map((p) => ({
    claimId: p.claimId,
    recognizedLossCents: p.recognizedLossCents,
    payoutCents: p.payoutCents,
    claimVersion: versions.get(p.claimId)!,
  }));
  for (const r of input.reissues) {
    payouts.push({
      claimId: r.claimId,
      recognizedLossCents: r.payoutCents,
      payoutCents: r.payoutCents,
      claimVersion: r.version,
      reissueOf: r.reissueOf,
    });
  }
  payouts.sort((a, b) => compareClaimIds(a.claimId, b.claimId));
  const excluded: PlanLine[] = (plan?.excluded ?? []).map((e) => ({
    claimId: e.claimId,
    recognizedLossCents: e.recognizedLossCents,
    payoutCents: 0,
    claimVersion: versions.get(e.claimId)!,
    excluded: { reason: e.reason, exactShareCents: e.exactShareCents, round: e.round },
  }));
  let linesWritten = 0;
  const write = async (which: 'payouts' | 'excluded', lines: readonly PlanLine[]) => {
    let chunks = 0;
    for (let i = 0; i < lines.length; i += PLAN_CHUNK_LINES) {
      chunks++;
      const part = lines.slice(i, i + PLAN_CHUNK_LINES);
      await deps.artefacts.putJson(artefactKeys.lines(header.distributionId, which, chunks), part);
      linesWritten += part.length;
    }
    return chunks;
  };
  const payoutChunks = await write('payouts', payouts);
  const excludedChunks = await write('excluded', excluded);
  const reissueCents = input.reissues.reduce((s, r) => s + r.payoutCents, 0);
  const fields: Partial<DistributionHeader> = {
    status: 'PLANNED',
    poolTotalCents: pool.amountCents,
    paidBeforeCents: input.paidCents,
    committedBeforeCents: input.committedCents,
    poolAmountCents: input.moneyLeftCents,
    minimumPayoutCents: pool.minimumPayoutCents,
    currency: pool.currency,
    basis: plan?.basis ?? 'FULL',
    totalRecognizedLossCents: plan?.totalRecognizedLossCents ?? 0,
    totalPayoutCents: (plan?.totalPayoutCents ?? 0) + reissueCents,
    leftoverCents: plan ? plan.leftoverCents : input.moneyLeftCents,
    rounds: plan?.rounds ?? 0,
    payoutCount: payouts.length,
    excludedCount: excluded.length,
    excludedLossCents: excluded.reduce((s, e) => s + e.recognizedLossCents, 0),
    reissueCount: input.reissues.length,
    reissueCents,
    payoutChunks,
    excludedChunks,
    fingerprint: fingerprint(pool, ledger),
  };
  return { fields, linesWritten };
}

/** SHA-256 over the pool's money terms and every claim row the plan read: what it was computed from. */
export function fingerprint(
  pool: { amountCents: number; minimumPayoutCents: number; currency: string },
  rows: readonly LedgerClaim[],
): string {
  const hash = createHash('sha256');
  hash.update(`pool|${pool.amountCents}|${pool.minimumPayoutCents}|${pool.currency}\n`);
  const sorted = [...rows].sort((a, b) => compareClaimIds(a.claimId, b.claimId));
  for (const r of sorted) {
    hash.update(`${r.claimId}|${r.status}|${r.recognizedLossCents ?? ''}|${r.paidCents ?? 0}|${r.version}\n`);
  }
  return hash.digest('hex');
}
