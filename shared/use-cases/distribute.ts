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
 * approvePlan (resumable: calling it again after a crash finishes the job):
 *   1. Read the header: still computing, failed, or already approved and scheduled -> 409.
 *   2. Dual control: the creator (or the pool amount's last changer) -> 403; the sign-off is
 *      recorded; until enough admins signed, the plan stays PLANNED.
 *   3. The pool's money terms must be the ones the plan used -> else 409 (stale).
 *   4. Lock the pool to this plan (only if it still points at the plan this round follows).
 *   5. Header PLANNED -> APPROVED.
 *   6. Move each paid claim to PAYMENT_SCHEDULED and each excluded, approved one to CLOSED, each
 *      with a conditional write on the version the plan read; a claim changed since is held.
 *   7. Mark the header scheduled.
 *
 * releasePlan: the payment file may be downloaded only once enough admins other than the
 *   creator released it (same rule as approving).
 */
import type { Claim, ClaimTransition } from '../domain/claim.ts';
import { formatCents } from '../domain/claim.ts';
import { type DistributionBasis, explainLine } from '../domain/distribution.ts';
import { type SignOff, signOff } from '../domain/dual-control.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../domain/errors.ts';
import type { Page } from '../domain/page.ts';
import type { Pool } from '../domain/pool.ts';
import type { LedgerClaim } from '../domain/rounds.ts';
import { newDistributionId, parseDistributionId } from '../domain/secrets.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import { mapLimit } from './match-pools.ts';
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
  releasedBy?: string;
  releasedAt?: string;
  results?: ResultsProgress;
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
    expected: {
      status?: DistributionStatus;
      jobStep?: number;
      resultsFiles?: number | null;
      resultsStep?: number;
    },
  ): Promise<boolean>;
}

export interface ArtefactStore {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T | undefined>;
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
  settings: { approvers: number; returnedPaymentWaitDays: number };
  now?: () => Date;
  newId?: () => string;
}

/** Payout lines returned with a plan by default; the rest are read page by page. */
export const INLINE_PAYOUTS = 1000;

const planNotFound = () => new NotFoundError('No distribution plan has this id for this pool.');

export function jobMessage(
  header: Pick<DistributionHeader, 'poolId' | 'distributionId'>,
  kind: 'plan' | 'results',
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
}

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
  return planView(header, payouts, excluded);
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
  scheduledAt?: string;
  paymentsScheduled?: number;
  /** Returned payments of earlier rounds scheduled again. */
  paymentsReissued?: number;
  claimsClosed?: number;
  /** Claims that changed after the plan was computed; their payments were not scheduled. */
  held?: string[];
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
  if (header.scheduledAt) {
    throw new ConflictError(
      `Plan ${header.distributionId} was already approved on ${header.approvedAt ?? header.scheduledAt} and cannot be approved again. An approved plan never changes.`,
      'ALREADY_APPROVED',
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

  let approvals = header.approvals;
  if (header.status === 'PLANNED') {
    const signed = signOff(header, header.approvals, by, at, 'approve');
    approvals = signed.signOffs;
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
    await deps.distributions.update(
      poolId,
      distributionId,
      { status: 'APPROVED', approvals, approvedBy: by, approvedAt: at },
      { status: 'PLANNED' },
    );
  }

  const scheduled = await scheduleClaims(header, at, deps);
  await deps.distributions.update(
    poolId,
    distributionId,
    { scheduledAt: at, heldClaimIds: scheduled.held },
    { status: 'APPROVED' },
  );
  return {
    distributionId,
    poolId,
    status: 'APPROVED',
    approvals,
    approvalsMissing: 0,
    approvedAt: header.approvedAt ?? at,
    approvedBy: header.approvedBy ?? by,
    scheduledAt: at,
    paymentsScheduled: scheduled.scheduled,
    paymentsReissued: scheduled.reissued,
    claimsClosed: scheduled.closed,
    held: scheduled.held,
  };
}

async function scheduleClaims(header: DistributionHeader, at: string, deps: DistributionDeps) {
  const { distributionId } = header;
  const totals = {
    basis: header.basis ?? 'FULL',
    poolAmountCents: header.poolAmountCents ?? 0,
    totalRecognizedLossCents: header.totalRecognizedLossCents ?? 0,
    excludedLossCents: header.excludedLossCents ?? 0,
    minimumPayoutCents: header.minimumPayoutCents ?? 0,
  };
  let scheduled = 0;
  let reissued = 0;
  let closed = 0;
  const held: string[] = [];
  for (const which of ['payouts', 'excluded'] as const) {
    const chunks = (which === 'payouts' ? header.payoutChunks : header.excludedChunks) ?? 0;
    for (let n = 1; n <= chunks; n++) {
      const lines = await readChunk(deps, distributionId, which, n);
      for (let i = 0; i < lines.length; i += 100) {
        const part = lines.slice(i, i + 100);
        const claims = await deps.claims.getMany(part.map((l) => l.claimId));
        await mapLimit(part, 8, async (line) => {
          const outcome = await scheduleOne(header, line, claims.get(line.claimId), totals, at, deps);
          if (outcome === 'held') held.push(line.claimId);
          else if (outcome === 'closed') closed++;
          else if (outcome === 'reissued') reissued++;
          else if (outcome === 'scheduled') scheduled++;
        });
      }
    }
  }
  held.sort();
  return { scheduled, reissued, closed, held };
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
  // Lost a race: a concurrent approval of this same plan may have moved it first.
  const fresh = (await deps.claims.getMany([line.claimId])).get(line.claimId);
  return fresh?.payout?.distributionId === distributionId ? kind : 'held';
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
    throw new ConflictError(
      `The payment file of plan ${distributionId} was already released on ${header.releasedAt}.`,
      'ALREADY_RELEASED',
    );
  }
  if (header.status !== 'APPROVED' || !header.scheduledAt) {
    throw new ConflictError(
      'This plan is not approved yet: it needs its approvals before its payment file can be released.',
      'PLAN_NOT_APPROVED',
    );
  }
  const signed = signOff(header, header.releaseApprovals, by, at, 'release');
  const fields: Partial<DistributionHeader> = signed.complete
    ? { releaseApprovals: signed.signOffs, status: 'RELEASED', releasedAt: at, releasedBy: by }
    : { releaseApprovals: signed.signOffs };
  if (!(await deps.distributions.update(poolId, distributionId, fields, { status: 'APPROVED' }))) {
    throw new ConflictError(
      'This plan changed while you released it. Reload it and try again.',
      'PLAN_CHANGED',
    );
  }
  return {
    distributionId,
    poolId,
    status: signed.complete ? 'RELEASED' : 'APPROVED',
    releaseApprovals: signed.signOffs,
    releaseApprovalsMissing: signed.missing,
    ...(signed.complete ? { releasedAt: at } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The payment file

const CSV_COLUMNS = [
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
  // A claimant who asked for a direct deposit (when filing or after a returned payment): the bank,
  // the account's last 4 digits, and the full number opened from its sealed copy (payout-vault.ts);
  // empty for claims stored before numbers were sealed: the agency collects those (docs).
  'payment_method',
  'bank_routing_number',
  'bank_account_last4',
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

export interface PaymentFilePart {
  csv: string;
  /** More rows follow: ask again with this cursor (the header row comes only in the first part). */
  cursor?: string;
  rows: number;
}

export async function paymentFile(
  typedPoolId: string,
  typedDistributionId: string,
  cursor: string | undefined,
  deps: DistributionDeps & { payoutVault: Pick<PayoutVault, 'open'> },
): Promise<PaymentFilePart> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  if (header.status !== 'RELEASED') {
    throw new ConflictError(
      header.status === 'APPROVED'
        ? `This plan is approved but its payment file is not released yet: it needs ${missing(header, header.releaseApprovals)} more admin(s) other than its creator to release it.`
        : 'This plan is not approved yet: approve and release it before downloading the payment file.',
      'PLAN_NOT_RELEASED',
    );
  }
  const held = new Set(header.heldClaimIds ?? []);
  // One part per stored chunk (5,000 rows, ~1.5 MB): well under Lambda's 6 MB response limit.
  const page = await listLines(
    header,
    'payouts',
    { limit: PLAN_CHUNK_LINES, ...(cursor ? { cursor } : {}) },
    deps,
  );
  const out: string[] = cursor === undefined ? [CSV_COLUMNS.join(',')] : [];
  let rows = 0;
  for (let i = 0; i < page.items.length; i += 100) {
    const part = page.items.slice(i, i + 100);
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
      rows++;
    }
  }
  return { csv: `${out.join('\r\n')}\r\n`, rows, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** Lines per stored chunk of a plan. */
export const PLAN_CHUNK_LINES = 5000;
