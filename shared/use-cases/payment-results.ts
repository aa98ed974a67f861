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
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  UnprocessableError,
  ValidationError,
} from '../domain/errors.ts';
import {
  parseResultsCsv,
  type ReleasedPayment,
  type ResultLine,
  type ResultStatus,
  reconcileResults,
} from '../domain/payment-results.ts';
import { parseDistributionId } from '../domain/secrets.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import {
  type DistributionDeps,
  type DistributionHeader,
  heldClaims,
  jobMessage,
  type ResultsProgress,
  type ResultsUploadState,
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
  const held = await heldClaims(header, deps);
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

/** The plan results can be reported on: released, and no other file being applied. */
async function releasedPlan(typedPoolId: string, typedDistributionId: string, deps: DistributionDeps) {
  const pool = await loadPool(typedPoolId, deps.pools);
  const distributionId = parseDistributionId(typedDistributionId);
  const header = distributionId ? await deps.distributions.getHeader(pool.poolId, distributionId) : undefined;
  if (!header) throw new NotFoundError('No distribution plan has this id for this pool.');
  checkReleased(header);
  return header;
}

function checkReleased(header: DistributionHeader): void {
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
}

export async function submitResults(
  typedPoolId: string,
  typedDistributionId: string,
  csv: string,
  deps: DistributionDeps,
): Promise<ResultsAccepted> {
  const header = await releasedPlan(typedPoolId, typedDistributionId, deps);
  return acceptResults(header, csv, deps, () => ({}), {});
}

/**
 * Checks a whole results file against the released payments; all or nothing. Refused: throws
 * UnprocessableError listing every line that does not reconcile. Accepted: stores it, claims the
 * next file number on the header (with `fields` and `expected`, in the same conditional write)
 * and queues the job that moves the claims.
 */
async function acceptResults(
  header: DistributionHeader,
  csv: string,
  deps: DistributionDeps,
  fields: (accepted: { file: number; lines: number }) => Partial<DistributionHeader>,
  expected: { checkingUpload?: string },
): Promise<ResultsAccepted> {
  const previous = header.results as ResultsHeader | undefined;
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
    { ...fields({ file, lines: outcome.accepted.length }), results },
    { status: 'RELEASED', resultsFiles: previous ? previous.files : null, ...expected },
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

// ---------------------------------------------------------------------------------------------
// Results files of any size: uploaded straight to S3, checked by the worker

/** A bank's results file of 1,000,000 lines is ~60 MB; this leaves room and stops mistakes. */
export const MAX_UPLOADED_RESULTS_BYTES = 200 * 1024 * 1024;

export interface ResultsUploadSlot {
  distributionId: string;
  uploadId: string;
  /** POST the form `fields`, then the file (as `file`), to `url`, before `expiresAt`. */
  upload: { url: string; fields: Record<string, string> };
  expiresAt: string;
  maxBytes: number;
}

export async function startResultsUpload(
  typedPoolId: string,
  typedDistributionId: string,
  deps: DistributionDeps,
): Promise<ResultsUploadSlot> {
  const header = await releasedPlan(typedPoolId, typedDistributionId, deps);
  const uploadId = (deps.newId ?? randomUUID)();
  const { url, fields, expiresAt } = await deps.artefacts.presignUpload(
    artefactKeys.incoming(header.distributionId, uploadId),
    'text/csv',
    MAX_UPLOADED_RESULTS_BYTES,
  );
  return {
    distributionId: header.distributionId,
    uploadId,
    upload: { url, fields },
    expiresAt,
    maxBytes: MAX_UPLOADED_RESULTS_BYTES,
  };
}

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function submitUploadedResults(
  typedPoolId: string,
  typedDistributionId: string,
  uploadId: string,
  deps: DistributionDeps,
): Promise<ResultsUploadState & { distributionId: string }> {
  if (!UPLOAD_ID.test(uploadId)) {
    throw new ValidationError([
      { path: 'uploadId', message: 'Use the uploadId given when the upload was started.' },
    ]);
  }
  const header = await releasedPlan(typedPoolId, typedDistributionId, deps);
  if (header.resultsUpload?.state === 'CHECKING') {
    throw new ConflictError(
      'Another uploaded results file is being checked. Send this one when that is done.',
      'RESULTS_BUSY',
    );
  }
  if (header.resultsUpload?.uploadId === uploadId) {
    throw new ConflictError('This upload was checked already: start a new upload.', 'UPLOAD_USED');
  }
  const bytes = await deps.artefacts.size(artefactKeys.incoming(header.distributionId, uploadId));
  if (bytes === undefined) {
    throw new ConflictError(
      'No file has arrived for this upload. Upload the file to the address you were given, then send this again.',
      'UPLOAD_NOT_FOUND',
    );
  }
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const state: ResultsUploadState = { uploadId, state: 'CHECKING', receivedAt: at, bytes, updatedAt: at };
  if (
    !(await deps.distributions.update(
      header.poolId,
      header.distributionId,
      { resultsUpload: state },
      { status: 'RELEASED', resultsFiles: header.results ? header.results.files : null },
    ))
  ) {
    throw new ConflictError(
      'Another results file for this plan was accepted at the same moment. Reload the plan and try again.',
      'RESULTS_BUSY',
    );
  }
  try {
    await deps.jobs.send(jobMessage(header, 'results-check', 0));
  } catch (e) {
    await deps.distributions.update(
      header.poolId,
      header.distributionId,
      {
        resultsUpload: {
          ...state,
          state: 'REFUSED',
          code: 'QUEUE_UNAVAILABLE',
          message: 'The check could not start. Upload the file again.',
        },
      },
      { checkingUpload: uploadId },
    );
    throw new ServiceUnavailableError('The distribution queue is unavailable.', { cause: e });
  }
  return { distributionId: header.distributionId, ...state };
}

/** The worker's check of an uploaded file: the same all-or-nothing rules as text/csv. */
export async function checkUploadedResultsStep(
  message: DistributionJobV1,
  deps: DistributionDeps,
): Promise<'finished' | 'duplicate'> {
  const header = await deps.distributions.getHeader(message.poolId, message.distributionId);
  const upload = header?.resultsUpload;
  if (!header || !upload || upload.state !== 'CHECKING') return 'duplicate';
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const refuse = async (fields: Partial<ResultsUploadState>) => {
    await deps.distributions.update(
      header.poolId,
      header.distributionId,
      { resultsUpload: { ...upload, state: 'REFUSED', updatedAt: at, ...fields } },
      { checkingUpload: upload.uploadId },
    );
    return 'finished' as const;
  };
  const bytes = await deps.artefacts.getBytes(artefactKeys.incoming(header.distributionId, upload.uploadId));
  if (!bytes)
    return refuse({ code: 'UPLOAD_NOT_FOUND', message: 'The uploaded file is gone. Upload it again.' });
  let csv: string;
  try {
    csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse({
      code: 'INVALID_CSV',
      message: 'The results file is not UTF-8 text. Save it as CSV (UTF-8).',
    });
  }
  try {
    checkReleased(header);
    await acceptResults(
      header,
      csv,
      deps,
      ({ file, lines }) => ({ resultsUpload: { ...upload, state: 'ACCEPTED', updatedAt: at, file, lines } }),
      { checkingUpload: upload.uploadId },
    );
    return 'finished';
  } catch (e) {
    if (e instanceof UnprocessableError) {
      const key = artefactKeys.refused(header.distributionId, upload.uploadId);
      await deps.artefacts.putJson(key, e.lines);
      return refuse({ code: e.code, message: e.message, problemCount: e.lines.length, problemsKey: key });
    }
    if (e instanceof ConflictError) {
      const now = await deps.distributions.getHeader(header.poolId, header.distributionId);
      if (now?.resultsUpload?.uploadId !== upload.uploadId || now.resultsUpload.state !== 'CHECKING')
        return 'duplicate'; // another delivery of this check finished it
      return refuse({ code: e.code, message: e.message });
    }
    throw e; // an outage: the message comes back and the check runs again
  }
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
