/**
 * Use cases for admins: start a distribution plan (a background job, see plan-job.ts), read it
 * with its progress and its lines, approve it and release its payment file under dual control,
 * and download the payment file. The money rules are in domain/distribution.ts and
 * domain/rounds.ts; dual control in domain/dual-control.ts.
 *
 * startPlan:
 *   1. Read the pool. A later round may start only once the pool's last approved plan has been
 *      released (its payments are then on their way and counted).
 *   2. Store the plan's header (COMPUTING, job QUEUED, the approvers the deployment requires).
 *   3. Queue step 0 of the job; answer 202 with the header. If the queue is down the header is
 *      marked FAILED and the caller gets 503: nothing will run.
 *
 * approvePlan:
 *   1. Read the header: still computing, failed, or already approved and scheduled -> 409.
 *   2. Dual control: the creator (or the pool amount's last changer) -> 403; the sign-off is
 *      recorded; until enough admins signed, the plan stays PLANNED (200).
 *   3. The pool's money terms must be the ones the plan used -> else 409 (stale).
 *   4. Lock the pool to this plan (only if it still points at the plan this round follows).
 *   5. Header PLANNED -> APPROVED with a scheduling job (QUEUED); queue its first step; 202.
 *      The job (approval-job.ts) moves each paid claim to PAYMENT_SCHEDULED and each excluded,
 *      approved one to CLOSED, one plan chunk per step, then marks the header scheduled.
 *      Calling approve again while it runs queues its current step again (a stuck job resumes).
 *
 * releasePlan: the payment file may be downloaded only once enough admins other than the
 *   creator released it (same rule as approving). The release that completes the sign-offs
 *   queues the payment file job (payment-file-job.ts): the file is written once to S3, its
 *   SHA-256 kept on the header, and every download is that same object.
 */
import type { Claim, ClaimStatus, ClaimTransition } from '../domain/claim.ts';
import type { DistributionBasis } from '../domain/distribution.ts';
import { type SignOff, signOff } from '../domain/dual-control.ts';
import {
  ConflictError,
  type LineProblem,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../domain/errors.ts';
import type { Page } from '../domain/page.ts';
import type { Pool } from '../domain/pool.ts';
import type { LedgerClaim } from '../domain/rounds.ts';
import { newDistributionId, parseDistributionId } from '../domain/secrets.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import type { StepClaimCounter } from './dashboard.ts';
import type { PayoutVault } from './payout-vault.ts';
import { loadPool } from './read-pools.ts';

export type DistributionStatus = 'COMPUTING' | 'PLANNED' | 'APPROVED' | 'RELEASED' | 'FAILED';

export type JobPhase = 'COUNT' | 'READ' | 'COMPUTE' | 'DONE';

/** What GET shows while a plan is computed, and afterwards. */
export interface JobProgress {
  state: 'QUEUED' | 'RUNNING' | 'READY' | 'FAILED';
  phase: JobPhase;
  /** The step the job is waiting to run; a message for another step is a duplicate. */
  step: number;
  /** Where reading the pool's claims goes on from. */
  cursor?: string;
  claimsTotal?: number;
  claimsRead: number;
  inputChunks: number;
  linesWritten: number;
  percent: number;
  errors: string[];
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** The approval job: moving the approved plan's claims, one plan chunk per step. */
export interface SchedulingProgress {
  state: 'QUEUED' | 'RUNNING' | 'DONE';
  /** The next chunk (0-based: the payout chunks, then the excluded ones). */
  step: number;
  chunks: number;
  linesTotal: number;
  linesDone: number;
  scheduled: number;
  reissued: number;
  closed: number;
  held: number;
  percent: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** The payment file job: written once to S3 after release, one plan chunk per step. */
export interface PaymentFileProgress {
  state: 'WRITING' | 'READY';
  /** The next payout chunk (0-based); the last step joins the parts into one file. */
  step: number;
  chunks: number;
  rows: number;
  percent: number;
  /** Each written part's object key (a fresh key per attempt, so a part is never overwritten). */
  parts: string[];
  key?: string;
  bytes?: number;
  /** Hex SHA-256 of the file's bytes, as downloaded. */
  sha256?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** A results file uploaded straight to S3, checked by the worker (all or nothing, like text/csv). */
export interface ResultsUploadState {
  uploadId: string;
  state: 'CHECKING' | 'ACCEPTED' | 'REFUSED';
  receivedAt: string;
  bytes: number;
  updatedAt: string;
  /** ACCEPTED: the results file number it became. */
  file?: number;
  lines?: number;
  /** REFUSED: why, and (when lines did not reconcile) how many and where the full list is. */
  message?: string;
  code?: string;
  problemCount?: number;
  problemsKey?: string;
}

/** Applying accepted payment results files to claims, chunk by chunk. */
export interface ResultsProgress {
  /** Accepted files so far; the job applies file `files`. */
  files: number;
  state: 'APPLYING' | 'DONE';
  /** Chunk of the current file the job applies next. */
  step: number;
  chunks: number;
  applied: number;
  total: number;
  paid: number;
  paidCents: number;
  returned: number;
  returnedCents: number;
}

export interface DistributionHeader {
  distributionId: string;
  poolId: string;
  status: DistributionStatus;
  currency: string;
  /** 1 for a pool's first plan; later rounds share what is left. */
  roundNumber: number;
  /** The pool's plan before this one (the round this one follows). */
  previousDistributionId?: string;
  job: JobProgress;
  /** People who must sign off (creator included), from deployment configuration. */
  requiredApprovers: number;
  createdBy: string;
  createdAt: string;
  poolAmountChangedBy?: string;
  approvals: SignOff[];
  releaseApprovals: SignOff[];
  // Set when the plan is computed:
  /** The pool's whole amount when the plan was computed. */
  poolTotalCents?: number;
  /** Paid and still on its way from earlier rounds, when the plan was computed. */
  paidBeforeCents?: number;
  committedBeforeCents?: number;
  /** The money this plan shares out: the pool less earlier payments (all of it in round 1). */
  poolAmountCents?: number;
  minimumPayoutCents?: number;
  basis?: DistributionBasis;
  totalRecognizedLossCents?: number;
  totalPayoutCents?: number;
  leftoverCents?: number;
  rounds?: number;
  payoutCount?: number;
  excludedCount?: number;
  excludedLossCents?: number;
  reissueCount?: number;
  reissueCents?: number;
  payoutChunks?: number;
  excludedChunks?: number;
  /** SHA-256 over the pool terms and every claim row (id, loss, paid, version) the plan used. */
  fingerprint?: string;
  approvedBy?: string;
  approvedAt?: string;
  scheduledAt?: string;
  heldClaimIds?: string[];
  /** When more claims were held than fit on the header: the full list in S3. */
  heldKey?: string;
  scheduling?: SchedulingProgress;
  releasedBy?: string;
  releasedAt?: string;
  paymentFile?: PaymentFileProgress;
  results?: ResultsProgress;
  resultsUpload?: ResultsUploadState;
}

/** One line of a stored plan (an S3 chunk holds a few thousand, in claim id order). */
export interface PlanLine {
  claimId: string;
  /** The loss this plan shares over: the recognised loss less what earlier rounds paid. */
  recognizedLossCents: number;
  /** 0 for an excluded claim. */
  payoutCents: number;
  claimVersion: number;
  excluded?: { reason: string; exactShareCents: string; round: number };
  /** A returned payment of that plan, paid again. */
  reissueOf?: string;
}

export interface DistributionStore {
  create(header: DistributionHeader): Promise<void>;
  getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined>;
  update(
    poolId: string,
    distributionId: string,
    fields: Partial<DistributionHeader>,
    expected: HeaderExpectation,
  ): Promise<boolean>;
}

/** What a conditional header update expects to find (each compared for equality). */
export interface HeaderExpectation {
  status?: DistributionStatus;
  jobStep?: number;
  resultsFiles?: number | null;
  resultsStep?: number;
  schedulingStep?: number;
  paymentFileStep?: number;
  /** The upload being checked (resultsUpload.uploadId, with state CHECKING). */
  checkingUpload?: string;
}

export interface ArtefactStore {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T | undefined>;
  /** A file as people download it (the payment file), with its type and download name. */
  putFile(key: string, body: Uint8Array, contentType: string, fileName: string): Promise<void>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /** The object's size in bytes, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** A short-lived link that downloads the object. */
  downloadLink(key: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
  /** A short-lived form that uploads one object to `key` (type and size enforced by S3). */
  presignUpload(
    key: string,
    contentType: string,
    maxBytes: number,
  ): Promise<{ url: string; fields: Record<string, string>; expiresAt: string }>;
}

export interface JobQueue {
  send(message: DistributionJobV1): Promise<void>;
}

export interface DistributionDeps {
  pools: {
    get(poolId: string): Promise<Pool | undefined>;
    lockDistribution(poolId: string, distributionId: string, previous?: string): Promise<boolean>;
  };
  claims: {
    countForPool(poolId: string): Promise<number>;
    ledgerPage(poolId: string, opts: { limit: number; cursor?: string }): Promise<Page<LedgerClaim>>;
    getMany(claimIds: readonly string[]): Promise<Map<string, Claim>>;
    transition(expected: Claim, change: ClaimTransition, now: string): Promise<boolean>;
  };
  distributions: DistributionStore;
  artefacts: ArtefactStore;
  jobs: JobQueue;
  /** The dashboard's claim counts, moved once per job step (StepMoves below). */
  counts: StepClaimCounter;
  settings: { approvers: number; returnedPaymentWaitDays: number };
  now?: () => Date;
  newId?: () => string;
}

/**
 * The dashboard moves of one job step, counted once for the step. Its claims are written with
 * `countedByStep` (no per-claim outbox); every delivery of the step adds each claim the step moved,
 * whether this delivery moved it or an earlier or concurrent one did (read back from the claim:
 * `statusBefore`), so every delivery derives the same moves. Counting runs after the claims and
 * before the step is marked done: a crash anywhere redelivers the step, which finds the same
 * moves, and the step's token lets each counter item take them once (docs/dashboard.md).
 */
export class StepMoves {
  readonly #moves = new Map<string, { from: ClaimStatus; to: ClaimStatus; n: number }>();

  add(from: ClaimStatus | undefined, to: ClaimStatus): void {
    if (!from || from === to) return;
    const key = `${from}>${to}`;
    const m = this.#moves.get(key) ?? { from, to, n: 0 };
    m.n++;
    this.#moves.set(key, m);
  }

  /** Counts the moves under `<token>:<from>><to>`; a failure throws, so the step runs again. */
  async count(counts: StepClaimCounter, poolId: string, token: string): Promise<void> {
    for (const [key, m] of this.#moves) {
      await counts.claimsMoved(`${token}:${key}`, { poolId, status: m.from }, { poolId, status: m.to }, m.n);
    }
  }
}

/** The status a claim had before its latest move to `status` (a move an earlier delivery made). */
export function statusBefore(claim: Pick<Claim, 'timeline'>, status: ClaimStatus): ClaimStatus | undefined {
  for (let i = claim.timeline.length - 1; i > 0; i--) {
    if (claim.timeline[i]?.status === status) return claim.timeline[i - 1]?.status;
  }
  return undefined;
}

/** Payout lines returned with a plan by default; the rest are read page by page. */
export const INLINE_PAYOUTS = 1000;

const planNotFound = () => new NotFoundError('No distribution plan has this id for this pool.');

export function jobMessage(
  header: Pick<DistributionHeader, 'poolId' | 'distributionId'>,
  kind: DistributionJobV1['kind'],
  step: number,
  file?: number,
): DistributionJobV1 {
  return {
    type: 'restore.distribution.job',
    version: 1,
    kind,
    poolId: header.poolId,
    distributionId: header.distributionId,
    step,
    ...(file !== undefined ? { file } : {}),
  };
}

export async function startPlan(typedPoolId: string, by: string, deps: DistributionDeps) {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const pool = await loadPool(typedPoolId, deps.pools);
  let previous: DistributionHeader | undefined;
  if (pool.activeDistributionId) {
    previous = await deps.distributions.getHeader(pool.poolId, pool.activeDistributionId);
    if (previous && previous.status !== 'RELEASED') {
      throw new ConflictError(
        `Plan ${pool.activeDistributionId} is approved for this pool and its payment file is not released yet. Release it first: a later round shares only the money those payments leave.`,
        'POOL_ALREADY_DISTRIBUTED',
      );
    }
  }
  const header: DistributionHeader = {
    distributionId: (deps.newId ?? newDistributionId)(),
    poolId: pool.poolId,
    status: 'COMPUTING',
    currency: pool.currency,
    roundNumber: (previous?.roundNumber ?? 0) + 1,
    ...(previous ? { previousDistributionId: previous.distributionId } : {}),
    job: {
      state: 'QUEUED',
      phase: 'COUNT',
      step: 0,
      claimsRead: 0,
      inputChunks: 0,
      linesWritten: 0,
      percent: 0,
      errors: [],
      startedAt: now,
      updatedAt: now,
    },
    requiredApprovers: deps.settings.approvers,
    createdBy: by,
    createdAt: now,
    ...(pool.amountChangedBy ? { poolAmountChangedBy: pool.amountChangedBy } : {}),
    approvals: [],
    releaseApprovals: [],
  };
  await deps.distributions.create(header);
  try {
    await deps.jobs.send(jobMessage(header, 'plan', 0));
  } catch (e) {
    const failed = { ...header.job, state: 'FAILED' as const, errors: ['The job could not be queued.'] };
    await deps.distributions.update(
      header.poolId,
      header.distributionId,
      { status: 'FAILED', job: failed },
      {},
    );
    throw new ServiceUnavailableError('The distribution queue is unavailable.', { cause: e });
  }
  return planView(header, undefined, undefined);
}

export interface PlanView extends Omit<DistributionHeader, 'fingerprint'> {
  payouts?: { claimId: string; recognizedLossCents: number; payoutCents: number; reissueOf?: string }[];
  excluded?: {
    claimId: string;
    recognizedLossCents: number;
    reason: string;
    exactShareCents: string;
    round: number;
  }[];
  /** Present when more payouts follow: GET ...?cursor=. */
  payoutsCursor?: string;
  excludedCursor?: string;
  /** Sign-offs still needed to approve (or, once approved, to release). */
  approvalsMissing: number;
  releaseApprovalsMissing: number;
  /** An uploaded results file that was refused: its first lines that do not reconcile. */
  refusedLines?: LineProblem[];
}

/** Refused lines shown with the plan (GET); the full list stays in S3. */
export const REFUSED_LINES_SHOWN = 1000;

function missing(header: DistributionHeader, list: readonly SignOff[]): number {
  return Math.max(0, Math.max(2, header.requiredApprovers) - 1 - list.length);
}

function planView(
  header: DistributionHeader,
  payouts: Page<PlanLine> | undefined,
  excluded: Page<PlanLine> | undefined,
): PlanView {
  const { fingerprint: _omit, ...rest } = header;
  return {
    ...rest,
    approvalsMissing: missing(header, header.approvals),
    releaseApprovalsMissing: missing(header, header.releaseApprovals),
    ...(payouts
      ? {
          payouts: payouts.items.map((l) => ({
            claimId: l.claimId,
            recognizedLossCents: l.recognizedLossCents,
            payoutCents: l.payoutCents,
            ...(l.reissueOf ? { reissueOf: l.reissueOf } : {}),
          })),
        }
      : {}),
    ...(excluded
      ? {
          excluded: excluded.items.map((l) => ({
            claimId: l.claimId,
            recognizedLossCents: l.recognizedLossCents,
            reason: l.excluded?.reason ?? 'BELOW_MINIMUM_PAYOUT',
            exactShareCents: l.excluded?.exactShareCents ?? '0.00',
            round: l.excluded?.round ?? 1,
          })),
        }
      : {}),
    ...(payouts?.cursor ? { payoutsCursor: payouts.cursor } : {}),
    ...(excluded?.cursor ? { excludedCursor: excluded.cursor } : {}),
  };
}

async function loadPlan(typedPoolId: string, typedDistributionId: string, deps: DistributionDeps) {
  const pool = await loadPool(typedPoolId, deps.pools);
  const distributionId = parseDistributionId(typedDistributionId);
  const header = distributionId ? await deps.distributions.getHeader(pool.poolId, distributionId) : undefined;
  if (!header) throw planNotFound();
  return { pool, header };
}

// ---------------------------------------------------------------------------------------------
// Reading a plan's lines from its S3 chunks

/** `<chunk>.<offset>`: the next line to read. Checked on the way in (a forged one is a 400). */
function decodeLineCursor(cursor: string | undefined, chunks: number): { chunk: number; offset: number } {
  if (cursor === undefined) return { chunk: 1, offset: 0 };
  const m = /^(\d{1,7})\.(\d{1,6})$/.exec(cursor);
  const chunk = Number(m?.[1]);
  if (!m || chunk < 1 || chunk > chunks) {
    throw new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
    ]);
  }
  return { chunk, offset: Number(m[2]) };
}

export async function readChunk(
  deps: Pick<DistributionDeps, 'artefacts'>,
  distributionId: string,
  which: 'payouts' | 'excluded',
  n: number,
): Promise<PlanLine[]> {
  const lines = await deps.artefacts.getJson<PlanLine[]>(artefactKeys.lines(distributionId, which, n));
  if (!lines) throw new Error(`Plan ${distributionId}: ${which} chunk ${n} is missing`);
  return lines;
}

export async function listLines(
  header: DistributionHeader,
  which: 'payouts' | 'excluded',
  opts: { limit: number; cursor?: string },
  deps: Pick<DistributionDeps, 'artefacts'>,
): Promise<Page<PlanLine>> {
  const chunks = (which === 'payouts' ? header.payoutChunks : header.excludedChunks) ?? 0;
  if (chunks === 0) return { items: [] };
  let { chunk, offset } = decodeLineCursor(opts.cursor, chunks);
  const items: PlanLine[] = [];
  while (chunk <= chunks && items.length < opts.limit) {
    const lines = await readChunk(deps, header.distributionId, which, chunk);
    const take = lines.slice(offset, offset + opts.limit - items.length);
    items.push(...take);
    offset += take.length;
    if (offset >= lines.length) {
      chunk++;
      offset = 0;
    }
  }
  return { items, ...(chunk <= chunks ? { cursor: `${chunk}.${offset}` } : {}) };
}

export async function getPlan(
  typedPoolId: string,
  typedDistributionId: string,
  query: { cursor?: string; excludedCursor?: string; limit?: number },
  deps: DistributionDeps,
): Promise<PlanView> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  if (header.status === 'COMPUTING' || header.status === 'FAILED')
    return planView(header, undefined, undefined);
  const refusedKey = header.resultsUpload?.state === 'REFUSED' ? header.resultsUpload.problemsKey : undefined;
  const refused = refusedKey
    ? ((await deps.artefacts.getJson<LineProblem[]>(refusedKey)) ?? []).slice(0, REFUSED_LINES_SHOWN)
    : undefined;
  const limit = query.limit ?? INLINE_PAYOUTS;
  const payouts = await listLines(
    header,
    'payouts',
    { limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
    deps,
  );
  const excluded = await listLines(
    header,
    'excluded',
    { limit, ...(query.excludedCursor ? { cursor: query.excludedCursor } : {}) },
    deps,
  );
  return { ...planView(header, payouts, excluded), ...(refused ? { refusedLines: refused } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Approving

export interface ApprovalResult {
  distributionId: string;
  poolId: string;
  status: 'PLANNED' | 'APPROVED';
  approvals: SignOff[];
  /** Further admins (other than the creator and those who signed) still needed. */
  approvalsMissing: number;
  approvedAt?: string;
  approvedBy?: string;
  /** Once approved: the job moving the claims (follow it with GET). */
  scheduling?: SchedulingProgress;
}

function checkPlanState(header: DistributionHeader): void {
  if (header.status === 'COMPUTING') {
    throw new ConflictError(
      `Plan ${header.distributionId} is still being computed (${header.job.percent}% done). Approve it once it is ready.`,
      'PLAN_NOT_READY',
    );
  }
  if (header.status === 'FAILED') {
    throw new ConflictError(
      `Plan ${header.distributionId} could not be computed: ${header.job.errors.join(' ') || 'see the job errors'}. Start a new plan.`,
      'PLAN_FAILED',
    );
  }
  if (header.scheduledAt || header.status === 'RELEASED') {
    throw new ConflictError(
      `Plan ${header.distributionId} was already approved on ${header.approvedAt ?? header.scheduledAt} and cannot be approved again. An approved plan never changes.`,
      'ALREADY_APPROVED',
    );
  }
}

/** Queues a job step; if the queue is down, says so and that pressing the button again resumes. */
async function queueStep(deps: DistributionDeps, message: DistributionJobV1, what: string): Promise<void> {
  try {
    await deps.jobs.send(message);
  } catch (e) {
    throw new ServiceUnavailableError(
      `${what} is recorded, but its background job could not be queued. Press the button again in a minute to start it.`,
      { cause: e },
    );
  }
}

export async function approvePlan(
  typedPoolId: string,
  typedDistributionId: string,
  by: string,
  deps: DistributionDeps,
): Promise<ApprovalResult> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const { pool, header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  const { poolId, distributionId } = header;
  checkPlanState(header);

  if (header.status === 'APPROVED' && header.scheduling) {
    // Approved already and its job not finished: queue the step it waits for (a duplicate step
    // does nothing), so a job whose message was lost resumes. Dual control still applies to who
    // may press the button: the creator gets the same 403.
    if (!header.approvals.some((a) => a.by === by)) signOff(header, [], by, at, 'approve');
    await queueStep(deps, jobMessage(header, 'approve', header.scheduling.step), 'The approval');
    return approvalView(header, header.approvals, header.approvedAt ?? at, header.approvedBy ?? by);
  }

  const signed = signOff(header, header.approvals, by, at, 'approve');
  const approvals = signed.signOffs;
  if (!signed.complete) {
    if (
      !(await deps.distributions.update(
        poolId,
        distributionId,
        { approvals },
        { status: 'PLANNED', jobStep: header.job.step },
      ))
    ) {
      throw new ConflictError(
        'This plan changed while you approved it. Reload it and approve again.',
        'PLAN_CHANGED',
      );
    }
    return { distributionId, poolId, status: 'PLANNED', approvals, approvalsMissing: signed.missing };
  }
  if (
    pool.amountCents !== header.poolTotalCents ||
    pool.minimumPayoutCents !== header.minimumPayoutCents ||
    pool.currency !== header.currency
  ) {
    throw new ConflictError(
      "The pool's amount, minimum payment or currency changed since this plan was computed. Compute a new plan and approve that one.",
      'STALE_PLAN',
    );
  }
  if (!(await deps.pools.lockDistribution(poolId, distributionId, header.previousDistributionId))) {
    const holder = (await deps.pools.get(poolId))?.activeDistributionId ?? 'another plan';
    throw new ConflictError(
      `Plan ${holder} was approved for this pool after this plan was computed; this plan would spend the same money. Compute a new plan.`,
      'POOL_ALREADY_DISTRIBUTED',
    );
  }
  const chunks = (header.payoutChunks ?? 0) + (header.excludedChunks ?? 0);
  const scheduling: SchedulingProgress = {
    state: 'QUEUED',
    step: 0,
    chunks,
    linesTotal: (header.payoutCount ?? 0) + (header.excludedCount ?? 0),
    linesDone: 0,
    scheduled: 0,
    reissued: 0,
    closed: 0,
    held: 0,
    percent: 0,
    startedAt: at,
    updatedAt: at,
  };
  const approved: Partial<DistributionHeader> = {
    status: 'APPROVED',
    approvals,
    approvedBy: by,
    approvedAt: at,
    scheduling,
  };
  if (!(await deps.distributions.update(poolId, distributionId, approved, { status: 'PLANNED' }))) {
    // A concurrent approval of this same plan moved it first: show that one.
    const now = await deps.distributions.getHeader(poolId, distributionId);
    if (now?.status === 'APPROVED') return approvalView(now, now.approvals, now.approvedAt!, now.approvedBy!);
    throw new ConflictError(
      'This plan changed while you approved it. Reload it and approve again.',
      'PLAN_CHANGED',
    );
  }
  const after = { ...header, ...approved };
  await queueStep(deps, jobMessage(header, 'approve', 0), 'The approval');
  return approvalView(after, approvals, at, by);
}

function approvalView(
  header: DistributionHeader,
  approvals: SignOff[],
  approvedAt: string,
  approvedBy: string,
): ApprovalResult {
  return {
    distributionId: header.distributionId,
    poolId: header.poolId,
    status: 'APPROVED',
    approvals,
    approvalsMissing: 0,
    approvedAt,
    approvedBy,
    ...(header.scheduling ? { scheduling: header.scheduling } : {}),
  };
}

/** Every claim the approval held (changed after the plan read it): not paid by this plan. */
export async function heldClaims(
  header: DistributionHeader,
  deps: Pick<DistributionDeps, 'artefacts'>,
): Promise<Set<string>> {
  if (header.heldKey) return new Set((await deps.artefacts.getJson<string[]>(header.heldKey)) ?? []);
  return new Set(header.heldClaimIds ?? []);
}

// ---------------------------------------------------------------------------------------------
// Releasing the payment file

export interface ReleaseResult {
  distributionId: string;
  poolId: string;
  status: 'APPROVED' | 'RELEASED';
  releaseApprovals: SignOff[];
  releaseApprovalsMissing: number;
  releasedAt?: string;
  /** Once released: the job writing the payment file (follow it with GET). */
  paymentFile?: PaymentFileProgress;
}

export async function releasePlan(
  typedPoolId: string,
  typedDistributionId: string,
  by: string,
  deps: DistributionDeps,
): Promise<ReleaseResult> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  const { poolId, distributionId } = header;
  if (header.status === 'RELEASED') {
    if (header.paymentFile?.state === 'WRITING') {
      // Released, and its file job not finished: queue the step it waits for (see approvePlan).
      await queueStep(deps, jobMessage(header, 'payment-file', header.paymentFile.step), 'The release');
    }
    throw new ConflictError(
      `The payment file of plan ${distributionId} was already released on ${header.releasedAt}.`,
      'ALREADY_RELEASED',
    );
  }
  if (header.status !== 'APPROVED' || !header.scheduledAt) {
    throw new ConflictError(
      header.status === 'APPROVED'
        ? `This plan is approved and its payments are still being scheduled (${header.scheduling?.percent ?? 0}% done). Release it once that is finished.`
        : 'This plan is not approved yet: it needs its approvals before its payment file can be released.',
      'PLAN_NOT_APPROVED',
    );
  }
  const signed = signOff(header, header.releaseApprovals, by, at, 'release');
  const paymentFile: PaymentFileProgress = {
    state: 'WRITING',
    step: 0,
    chunks: header.payoutChunks ?? 0,
    rows: 0,
    percent: 0,
    parts: [],
    startedAt: at,
    updatedAt: at,
  };
  const fields: Partial<DistributionHeader> = signed.complete
    ? { releaseApprovals: signed.signOffs, status: 'RELEASED', releasedAt: at, releasedBy: by, paymentFile }
    : { releaseApprovals: signed.signOffs };
  if (!(await deps.distributions.update(poolId, distributionId, fields, { status: 'APPROVED' }))) {
    throw new ConflictError(
      'This plan changed while you released it. Reload it and try again.',
      'PLAN_CHANGED',
    );
  }
  if (signed.complete) await queueStep(deps, jobMessage(header, 'payment-file', 0), 'The release');
  return {
    distributionId,
    poolId,
    status: signed.complete ? 'RELEASED' : 'APPROVED',
    releaseApprovals: signed.signOffs,
    releaseApprovalsMissing: signed.missing,
    ...(signed.complete ? { releasedAt: at, paymentFile } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The payment file

export const CSV_COLUMNS = [
  'distribution_id',
  'claim_id',
  'payee_name',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'postal_code',
  'country',
  'email',
  'recognized_loss_cents',
  'payout_cents',
  'payout_amount',
  'currency',
  'reissue_of',
  // A claimant who asked for a direct deposit after a returned payment: the bank and the account's
  // last 4 digits (the full number is never kept).
  'payment_method',
  'bank_routing_number',
  'bank_account_last4',
  // The full number, opened from its sealed copy (payout-vault.ts) while the file is written;
  // empty for claims stored before numbers were sealed: the agency collects those (docs).
  'bank_account_number',
] as const;

/** The full account number of a direct-deposit row, opened only here; '' when none was sealed. */
async function bankAccountNumber(
  claim: Claim | undefined,
  vault: Pick<PayoutVault, 'open'>,
): Promise<string> {
  const sealed = claim?.claimant.payoutAccount?.sealed;
  if (claim?.claimant.payoutMethod !== 'direct-deposit' || !sealed) return '';
  return vault.open(claim.claimId, sealed);
}

/**
 * One CSV cell, safe to open in a spreadsheet: always quoted, quotes doubled, and text that a
 * spreadsheet would run as a formula (=, +, -, @) prefixed with an apostrophe (OWASP "CSV
 * injection"). The check runs on what a spreadsheet would see: compatibility-normalised (NFKC
 * turns a full-width ＝ into =), without invisible format characters (zero-width spaces, bidi
 * overrides) and control characters, line breaks and tabs flattened to spaces.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '""';
  if (typeof value === 'number') return `"${value}"`;
  let s = value
    .normalize('NFKC')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '');
  if (/^\s*[=+\-@＝＋－＠]/u.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const amount = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The payment file's rows for some plan lines: paid, not held, with each payee's address. */
export async function paymentRows(
  header: DistributionHeader,
  lines: readonly PlanLine[],
  held: ReadonlySet<string>,
  deps: Pick<DistributionDeps, 'claims'> & { payoutVault: Pick<PayoutVault, 'open'> },
): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 100) {
    const part = lines.slice(i, i + 100);
    const paid = part.filter((l) => l.payoutCents > 0 && !held.has(l.claimId));
    const claims = await deps.claims.getMany(paid.map((l) => l.claimId));
    const accounts = await Promise.all(
      paid.map((l) => bankAccountNumber(claims.get(l.claimId), deps.payoutVault)),
    );
    for (const [j, line] of paid.entries()) {
      const c = claims.get(line.claimId);
      const a = c?.claimant.address;
      out.push(
        [
          csvCell(header.distributionId),
          csvCell(line.claimId),
          csvCell(c?.claimant.name),
          csvCell(a?.line1),
          csvCell(a?.line2),
          csvCell(a?.city),
          csvCell(a?.state),
          csvCell(a?.zip),
          csvCell(a?.country),
          csvCell(c?.claimant.email),
          csvCell(line.recognizedLossCents),
          csvCell(line.payoutCents),
          csvCell(amount(line.payoutCents)),
          csvCell(header.currency),
          csvCell(line.reissueOf),
          csvCell(c?.claimant.payoutMethod ?? 'check'),
          csvCell(
            c?.claimant.payoutMethod === 'direct-deposit'
              ? c.claimant.payoutAccount?.routingNumber
              : undefined,
          ),
          csvCell(
            c?.claimant.payoutMethod === 'direct-deposit' ? c.claimant.payoutAccount?.last4 : undefined,
          ),
          csvCell(accounts[j]),
        ].join(','),
      );
    }
  }
  return out;
}

export const paymentFileName = (distributionId: string) =>
  `payments-${distributionId.replace(/[^A-Za-z0-9-]/g, '')}.csv`;

export interface PaymentFileLink {
  distributionId: string;
  fileName: string;
  /** A short-lived link to the file in S3; ask again for a new one. */
  url: string;
  expiresAt: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export async function paymentFileLink(
  typedPoolId: string,
  typedDistributionId: string,
  deps: DistributionDeps,
): Promise<PaymentFileLink> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  if (header.status !== 'RELEASED') {
    throw new ConflictError(
      header.status === 'APPROVED'
        ? `This plan is approved but its payment file is not released yet: it needs ${missing(header, header.releaseApprovals)} more admin(s) other than its creator to release it.`
        : 'This plan is not approved yet: approve and release it before downloading the payment file.',
      'PLAN_NOT_RELEASED',
    );
  }
  const file = header.paymentFile;
  if (file?.state !== 'READY' || !file.key || !file.sha256) {
    throw new ConflictError(
      `The payment file is being written (${file?.percent ?? 0}% done). Download it once it is ready.`,
      'PAYMENT_FILE_NOT_READY',
    );
  }
  const fileName = paymentFileName(header.distributionId);
  const link = await deps.artefacts.downloadLink(file.key, fileName);
  return {
    distributionId: header.distributionId,
    fileName,
    ...link,
    sha256: file.sha256,
    bytes: file.bytes ?? 0,
    rows: file.rows,
  };
}

/** The payment file's bytes, exactly as stored at release. */
export async function paymentFileBytes(
  typedPoolId: string,
  typedDistributionId: string,
  deps: DistributionDeps,
): Promise<Uint8Array> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  const key = header.paymentFile?.state === 'READY' ? header.paymentFile.key : undefined;
  const bytes = key ? await deps.artefacts.getBytes(key) : undefined;
  if (!bytes) throw new Error(`Plan ${header.distributionId}: its payment file is missing`);
  return bytes;
}

/** Lines per stored chunk of a plan. */
export const PLAN_CHUNK_LINES = 5000;
