/**
 * The approval job: once enough admins approved a plan, its claims move in the background, one
 * plan chunk (PLAN_CHUNK_LINES lines) per queue message, so approving a million claims is ~200
 * bounded steps instead of one API call (docs/distribution-jobs.md has the arithmetic).
 *
 * Each step reads one chunk of plan lines, moves each paid claim to PAYMENT_SCHEDULED and each
 * excluded, still-approved one to CLOSED, each with a write conditioned on the version the plan
 * read (a claim changed since is held: not paid by this plan), stores the chunk's held ids in S3,
 * then moves the header's `scheduling.step` from k to k+1 with one conditional write and queues
 * step k+1. The last step gathers the held ids and marks the header scheduled. A step run twice
 * finds its claims moved already (each counts as done) and its header write refused.
 */
import type { Claim, ClaimTransition } from '../domain/claim.ts';
import { formatCents } from '../domain/claim.ts';
import { explainLine } from '../domain/distribution.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import {
  type DistributionDeps,
  type DistributionHeader,
  jobMessage,
  type PlanLine,
  readChunk,
  type SchedulingProgress,
} from './distribute.ts';
import { mapLimit } from './match-pools.ts';

export type StepOutcome = 'done' | 'duplicate' | 'resent' | 'finished';

/** Held ids kept on the header up to this many (~40 KB); beyond, only in S3. */
const HELD_ON_HEADER = 1000;

/**
 * Whether a message is the step a job waits for. A redelivery of the step just done (its sender
 * may have died before queueing the next) queues the next step again.
 */
export async function stepGate(
  waiting: number,
  message: DistributionJobV1,
  receiveCount: number,
  resend: () => Promise<void>,
): Promise<'run' | 'duplicate' | 'resent'> {
  if (waiting === message.step) return 'run';
  if (waiting === message.step + 1 && receiveCount > 1) {
    await resend();
    return 'resent';
  }
  return 'duplicate';
}

/** The chunk step `step` reads: the payout chunks first, then the excluded ones. */
function chunkOf(header: DistributionHeader, step: number): { which: 'payouts' | 'excluded'; n: number } {
  const payouts = header.payoutChunks ?? 0;
  return step < payouts ? { which: 'payouts', n: step + 1 } : { which: 'excluded', n: step - payouts + 1 };
}

export async function runApprovalStep(
  message: DistributionJobV1,
  receiveCount: number,
  deps: DistributionDeps,
): Promise<StepOutcome> {
  const header = await deps.distributions.getHeader(message.poolId, message.distributionId);
  const s = header?.scheduling;
  if (!header || !s || header.status === 'PLANNED') return 'duplicate';
  if (s.state === 'DONE') return 'finished';
  const gate = await stepGate(s.step, message, receiveCount, () =>
    deps.jobs.send(jobMessage(header, 'approve', s.step)),
  );
  if (gate !== 'run') return gate;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const counts = { scheduled: 0, reissued: 0, closed: 0, lines: 0 };
  const held: string[] = [];
  if (s.step < s.chunks) {
    const { which, n } = chunkOf(header, s.step);
    const lines = await readChunk(deps, header.distributionId, which, n);
    counts.lines = lines.length;
    const totals = {
      basis: header.basis ?? 'FULL',
      poolAmountCents: header.poolAmountCents ?? 0,
      totalRecognizedLossCents: header.totalRecognizedLossCents ?? 0,
      excludedLossCents: header.excludedLossCents ?? 0,
      minimumPayoutCents: header.minimumPayoutCents ?? 0,
    };
    for (let i = 0; i < lines.length; i += 100) {
      const part = lines.slice(i, i + 100);
      const claims = await deps.claims.getMany(part.map((l) => l.claimId));
      await mapLimit(part, 8, async (line) => {
        const outcome = await scheduleOne(header, line, claims.get(line.claimId), totals, at, deps);
        if (outcome === 'held') held.push(line.claimId);
        else if (outcome !== 'unchanged') counts[outcome]++;
      });
    }
    held.sort();
    await deps.artefacts.putJson(artefactKeys.held(header.distributionId, s.step + 1), held);
  }
  const step = s.step + 1;
  const done = step >= s.chunks;
  const next: SchedulingProgress = {
    ...s,
    state: done ? 'DONE' : 'RUNNING',
    step,
    linesDone: s.linesDone + counts.lines,
    scheduled: s.scheduled + counts.scheduled,
    reissued: s.reissued + counts.reissued,
    closed: s.closed + counts.closed,
    held: s.held + held.length,
    percent: done ? 100 : Math.min(99, Math.floor((100 * step) / Math.max(1, s.chunks))),
    updatedAt: at,
    ...(done ? { finishedAt: at } : {}),
  };
  const fields: Partial<DistributionHeader> = { scheduling: next };
  if (done) {
    fields.scheduledAt = at;
    const all: string[] = [];
    for (let k = 1; k <= s.chunks; k++) {
      for (const id of (await deps.artefacts.getJson<string[]>(
        artefactKeys.held(header.distributionId, k),
      )) ?? [])
        all.push(id);
    }
    all.sort();
    if (all.length <= HELD_ON_HEADER) fields.heldClaimIds = all;
    else {
      const key = artefactKeys.heldAll(header.distributionId);
      await deps.artefacts.putJson(key, all);
      fields.heldKey = key;
      fields.heldClaimIds = all.slice(0, HELD_ON_HEADER);
    }
  }
  const moved = await deps.distributions.update(header.poolId, header.distributionId, fields, {
    status: 'APPROVED',
    schedulingStep: s.step,
  });
  if (!moved) return 'duplicate';
  if (!done) await deps.jobs.send(jobMessage(header, 'approve', step));
  return done ? 'finished' : 'done';
}

type ScheduleOutcome = 'scheduled' | 'reissued' | 'closed' | 'unchanged' | 'held';

async function scheduleOne(
  header: DistributionHeader,
  line: PlanLine,
  claim: Claim | undefined,
  totals: Parameters<typeof explainLine>[0],
  at: string,
  deps: DistributionDeps,
): Promise<ScheduleOutcome> {
  const { distributionId } = header;
  const kind: ScheduleOutcome = line.excluded ? 'closed' : line.reissueOf ? 'reissued' : 'scheduled';
  if (claim?.payout?.distributionId === distributionId) return kind; // moved by an earlier run
  if (!claim || claim.version !== line.claimVersion) return 'held';
  let change: ClaimTransition;
  if (line.excluded) {
    // Later rounds: a claim paid in part earlier keeps its status; only a first-time one closes.
    if (claim.status !== 'APPROVED') return 'unchanged';
    change = {
      status: 'CLOSED',
      timeline: {
        status: 'CLOSED',
        at,
        note: `Your share would have been below the programme's minimum payment of ${formatCents(totals.minimumPayoutCents, header.currency)}, so it was shared among the other victims.`,
        event: { kind: 'below-minimum', amountCents: totals.minimumPayoutCents, currency: header.currency },
      },
      payout: { distributionId, payoutCents: 0, explanation: { ...explainLine(totals, line) } },
    };
  } else {
    const explanation =
      line.reissueOf && claim.payout ? claim.payout.explanation : { ...explainLine(totals, line) };
    // A reissue keeps the round of the payment it sends again; a later round's new share is further.
    const later = line.reissueOf ? (claim.payout?.round ?? 1) > 1 : header.roundNumber > 1;
    change = {
      status: 'PAYMENT_SCHEDULED',
      timeline: {
        status: 'PAYMENT_SCHEDULED',
        at,
        note: line.reissueOf
          ? `Your returned payment of ${formatCents(line.payoutCents, header.currency)} will be sent again to your new address.`
          : later
            ? `A further payment of ${formatCents(line.payoutCents, header.currency)} from money left in the programme is scheduled.`
            : `A payment of ${formatCents(line.payoutCents, header.currency)} is scheduled.`,
        event: {
          kind: line.reissueOf ? 'payment-reissued' : 'payment-scheduled',
          amountCents: line.payoutCents,
          currency: header.currency,
          ...(later ? { round: header.roundNumber } : {}),
        },
      },
      payout: {
        distributionId,
        payoutCents: line.payoutCents,
        explanation,
        state: 'SCHEDULED',
        ...(line.reissueOf ? { reissueOf: line.reissueOf } : {}),
        ...(later ? { round: header.roundNumber } : {}),
      },
    };
  }
  if (await deps.claims.transition(claim, change, at)) return kind;
  // Lost a race: a concurrent delivery of this same step may have moved it first.
  const fresh = (await deps.claims.getMany([line.claimId])).get(line.claimId);
  return fresh?.payout?.distributionId === distributionId ? kind : 'held';
}
