/**
 * Payment reconciliation: staff upload the disbursing bank's results file for a released plan.
 *
 * submitResults (all or nothing):
 *   1. Read the plan: only a released plan has payments to report; one file at a time.
 *   2. Parse the CSV and check every line against the released payment file and what earlier
 *      files reported (domain/payment-results.ts). Any line that does not reconcile -> 422 listing
 *      every such line with its number and reason; nothing is kept.
 *   3. Store the accepted lines and the new "reported so far" map in S3 under fresh keys, then
 *      claim the next file number on the header with one conditional write: two files uploaded
 *      at once cannot both be accepted against the same state.
 *   4. Queue the job that moves the claims (PAID, or PAYMENT_RETURNED for RETURNED and VOID);
 *      answer 202 with the totals.
 *
 * applyResultsStep (the worker): one chunk of RESULTS_CHUNK lines per message, each claim moved
 *   with a write conditioned on its version; a claim already moved by an earlier delivery is
 *   skipped, so a step can run twice.
 */
import { randomUUID } from 'node:crypto';
import type { Claim, ClaimTransition, TimelineEvent } from '../domain/claim.ts';
import { formatCents } from '../domain/claim.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors.ts';
import {
  parseResultsCsv,
  type ReleasedPayment,
  type ResultLine,
  type ResultStatus,
  reconcileResults,
} from '../domain/payment-results.ts';
import { parseDistributionId } from '../domain/secrets.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import {
  type DistributionDeps,
  type DistributionHeader,
  jobMessage,
  type ResultsProgress,
  readChunk,
} from './distribute.ts';
import { mapLimit } from './match-pools.ts';
import { loadPool } from './read-pools.ts';

/** Claims moved per job step: ten BatchGets and a thousand conditional updates, a few seconds. */
export const RESULTS_CHUNK = 1000;

export interface StoredResults {
  lines: ResultLine[];
}

export interface ResultsAccepted {
  distributionId: string;
  file: number;
  lines: number;
  paid: number;
  paidCents: number;
  returned: number;
  returnedCents: number;
  status: 'APPLYING';
}

/** Keys are per upload (a UUID), so a losing concurrent upload never overwrites the winner's. */
const keysFor = (distributionId: string, file: number, token: string) => ({
  lines: `distributions/${distributionId}/results/${String(file).padStart(6, '0')}-${token}.json`,
  reported: `distributions/${distributionId}/reported/${String(file).padStart(6, '0')}-${token}.json`,
});

interface ResultsHeader extends ResultsProgress {
  linesKey: string;
  reportedKey: string;
}

/** Every released payment of the plan (not held), with what was reported so far. */
export async function releasedPayments(
  header: DistributionHeader,
  deps: Pick<DistributionDeps, 'artefacts'>,
): Promise<Map<string, ReleasedPayment>> {
  const held = new Set(header.heldClaimIds ?? []);
  const results = header.results as ResultsHeader | undefined;
  const reported = results
    ? ((await deps.artefacts.getJson<Record<string, ResultStatus>>(results.reportedKey)) ?? {})
    : {};
  const out = new Map<string, ReleasedPayment>();
  for (let n = 1; n <= (header.payoutChunks ?? 0); n++) {
    for (const line of await readChunk(deps, header.distributionId, 'payouts', n)) {
      if (line.payoutCents <= 0 || held.has(line.claimId)) continue;
      const r = reported[line.claimId];
      out.set(line.claimId, { payoutCents: line.payoutCents, ...(r ? { reported: r } : {}) });
    }
  }
  return out;
}

export async function submitResults(
  typedPoolId: string,
  typedDistributionId: string,
  csv: string,
  deps: DistributionDeps,
): Promise<ResultsAccepted> {
  const pool = await loadPool(typedPoolId, deps.pools);
  const distributionId = parseDistributionId(typedDistributionId);
  const header = distributionId ? await deps.distributions.getHeader(pool.poolId, distributionId) : undefined;
  if (!header) throw new NotFoundError('No distribution plan has this id for this pool.');
  if (header.status !== 'RELEASED') {
    throw new ConflictError(
      'This plan has no released payment file yet, so there are no payments to report on.',
      'PLAN_NOT_RELEASED',
    );
  }
  const previous = header.results as ResultsHeader | undefined;
  if (previous?.state === 'APPLYING') {
    throw new ConflictError(
      `Results file ${previous.files} is still being applied (${previous.applied} of ${previous.total} payments). Send this file again when it is done.`,
      'RESULTS_BUSY',
    );
  }
  const released = await releasedPayments(header, deps);
  const outcome = reconcileResults(parseResultsCsv(csv), released);
  if (outcome.problems.length > 0) {
    const n = outcome.problems.length;
    throw new UnprocessableError(
      `${n} line${n === 1 ? '' : 's'} of this file do${n === 1 ? 'es' : ''} not reconcile with the released payment file, so nothing from it was applied. Correct ${n === 1 ? 'it' : 'them'} and send the whole file again.`,
      outcome.problems,
      'RESULTS_DO_NOT_RECONCILE',
    );
  }
  const file = (previous?.files ?? 0) + 1;
  const keys = keysFor(header.distributionId, file, randomUUID());
  const reported: Record<string, ResultStatus> = {};
  for (const [claimId, p] of released) if (p.reported) reported[claimId] = p.reported;
  for (const l of outcome.accepted) reported[l.claimId] = l.status;
  await deps.artefacts.putJson(keys.lines, { lines: [...outcome.accepted] } satisfies StoredResults);
  await deps.artefacts.putJson(keys.reported, reported);
  const t = outcome.totals;
  const results: ResultsHeader = {
    files: file,
    state: 'APPLYING',
    step: 0,
    chunks: Math.ceil(outcome.accepted.length / RESULTS_CHUNK),
    applied: 0,
    total: outcome.accepted.length,
    paid: (previous?.paid ?? 0) + t.paid,
    paidCents: (previous?.paidCents ?? 0) + t.paidCents,
    returned: (previous?.returned ?? 0) + t.returned,
    returnedCents: (previous?.returnedCents ?? 0) + t.returnedCents,
    linesKey: keys.lines,
    reportedKey: keys.reported,
  };
  const claimed = await deps.distributions.update(
    header.poolId,
    header.distributionId,
    { results },
    { status: 'RELEASED', resultsFiles: previous ? previous.files : null },
  );
  if (!claimed) {
    throw new ConflictError(
      'Another results file for this plan was accepted at the same moment, so this one was not applied. Reload the plan, then send the lines it does not yet cover.',
      'RESULTS_BUSY',
    );
  }
  await deps.jobs.send(jobMessage(header, 'results', 0, file));
  return {
    distributionId: header.distributionId,
    file,
    lines: outcome.accepted.length,
    paid: t.paid,
    paidCents: t.paidCents,
    returned: t.returned,
    returnedCents: t.returnedCents,
    status: 'APPLYING',
  };
}

export async function applyResultsStep(
  message: DistributionJobV1,
  receiveCount: number,
  deps: DistributionDeps,
): Promise<'done' | 'duplicate' | 'resent' | 'finished'> {
  const header = await deps.distributions.getHeader(message.poolId, message.distributionId);
  const results = header?.results as ResultsHeader | undefined;
  if (!header || !results || results.files !== message.file) return 'duplicate';
  if (results.state === 'DONE') return 'finished';
  if (results.step !== message.step) {
    if (results.step === message.step + 1 && receiveCount > 1) {
      await deps.jobs.send(jobMessage(header, 'results', results.step, results.files));
      return 'resent';
    }
    return 'duplicate';
  }
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const stored = await deps.artefacts.getJson<StoredResults>(results.linesKey);
  if (!stored) throw new Error(`Results file ${results.files} of ${header.distributionId} is missing`);
  const part = stored.lines.slice(message.step * RESULTS_CHUNK, (message.step + 1) * RESULTS_CHUNK);
  for (let i = 0; i < part.length; i += 100) {
    const lines = part.slice(i, i + 100);
    const claims = await deps.claims.getMany(lines.map((l) => l.claimId));
    await mapLimit(lines, 8, async (line) => {
      let claim = claims.get(line.claimId);
      for (let attempt = 0; claim && attempt < 3; attempt++) {
        const change = resultTransition(header, claim, line, now);
        if (!change) return; // applied by an earlier delivery
        if (await deps.claims.transition(claim, change, now)) return;
        claim = (await deps.claims.getMany([line.claimId])).get(line.claimId);
      }
      throw new Error(`Claim ${line.claimId} kept changing while its payment result was applied`);
    });
  }
  const step = message.step + 1;
  const done = step >= results.chunks;
  const next: ResultsHeader = {
    ...results,
    step,
    applied: Math.min(results.total, step * RESULTS_CHUNK),
    state: done ? 'DONE' : 'APPLYING',
  };
  const moved = await deps.distributions.update(
    header.poolId,
    header.distributionId,
    { results: next },
    { resultsFiles: results.files, resultsStep: message.step },
  );
  if (!moved) return 'duplicate';
  if (!done) await deps.jobs.send(jobMessage(header, 'results', step, results.files));
  return done ? 'finished' : 'done';
}

/** The claim's change for one accepted result line, or undefined when it is already applied. */
export function resultTransition(
  header: Pick<DistributionHeader, 'distributionId' | 'currency'>,
  claim: Claim,
  line: ResultLine,
  now: string,
): ClaimTransition | undefined {
  const payout = claim.payout;
  if (!payout || payout.distributionId !== header.distributionId) {
    throw new Error(`Claim ${claim.claimId} has no payment of plan ${header.distributionId}`);
  }
  if (payout.result?.reference === line.reference && payout.result.status === line.status) return undefined;
  const result = { status: line.status, date: line.date, reference: line.reference };
  const money = formatCents(line.amountCents, header.currency);
  const event = (kind: TimelineEvent['kind']): TimelineEvent => ({
    kind,
    amountCents: line.amountCents,
    currency: header.currency,
    ...(payout.round ? { round: payout.round } : {}),
  });
  if (line.status === 'PAID') {
    return {
      status: 'PAID',
      timeline: {
        status: 'PAID',
        at: now,
        note: `Your payment of ${money} was paid on ${line.date}.`,
        event: { ...event('payment-paid'), date: line.date },
      },
      payout: { ...payout, state: 'PAID', result },
      addPaidCents: line.amountCents,
    };
  }
  return {
    status: 'PAYMENT_RETURNED',
    timeline: {
      status: 'PAYMENT_RETURNED',
      at: now,
      note:
        line.status === 'VOID'
          ? `Your payment of ${money} was not cashed and has been cancelled. Give us your current mailing address and we will send it again.`
          : `Your payment of ${money} came back to us. Give us your current mailing address and we will send it again.`,
      event: event(line.status === 'VOID' ? 'payment-uncashed' : 'payment-returned'),
    },
    payout: { ...payout, state: 'RETURNED', result, returnedAt: now },
  };
}
