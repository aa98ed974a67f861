/**
 * Use cases for admins: compute a distribution plan for a pool, approve it, download the payment
 * file. The money rules are in domain/distribution.ts; this file stores and locks plans.
 *
 * createPlan:
 *   1. Read the pool; refuse if a plan is already approved for it (no two plans spend one pool).
 *   2. Read every APPROVED claim of the pool; refuse (409) if there is none.
 *   3. computeDistribution; explain each line (explainPayout) for the claimant's status page.
 *   4. Fingerprint the inputs: pool terms and every claim's (id, recognised loss, version).
 *   5. Store the lines, then the header (PLANNED).
 *
 * approvePlan (resumable: calling it again after a crash finishes the job):
 *   1. Read the header: already approved and scheduled -> 409; unknown -> 404.
 *   2. While PLANNED: recompute the fingerprint; any claim or pool term changed -> 409 (stale).
 *   3. Lock the pool to this plan (conditional: only if no other plan holds it) -> else 409.
 *   4. Header PLANNED -> APPROVED (conditional; if someone else just did it, carry on).
 *   5. Move each paid claim to PAYMENT_SCHEDULED and each excluded one to CLOSED, each with a
 *      conditional write on the version the plan used; a claim already moved by an earlier run
 *      is skipped; a claim changed since is held (listed, not paid) for a person to look at.
 *   6. Mark the header scheduled.
 */
import { createHash } from 'node:crypto';
import type { ApprovedClaimRow, Claim, ClaimTransition } from '../domain/claim.ts';
import { formatCents } from '../domain/claim.ts';
import {
  computeDistribution,
  type DistributionBasis,
  type DistributionPlan,
  explainPayout,
} from '../domain/distribution.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Page } from '../domain/page.ts';
import type { Pool } from '../domain/pool.ts';
import { newDistributionId, parseDistributionId } from '../domain/secrets.ts';
import { mapLimit } from './match-pools.ts';
import { loadPool } from './read-pools.ts';

export type DistributionStatus = 'PLANNED' | 'APPROVED';

/** A stored plan's summary: stored after its lines, so a visible header has all of them. */
export interface DistributionHeader {
  distributionId: string;
  poolId: string;
  status: DistributionStatus;
  currency: string;
  poolAmountCents: number;
  minimumPayoutCents: number;
  basis: DistributionBasis;
  totalRecognizedLossCents: number;
  totalPayoutCents: number;
  leftoverCents: number;
  rounds: number;
  payoutCount: number;
  excludedCount: number;
  /** SHA-256 over the pool terms and every approved claim (id, loss, version) the plan used. */
  fingerprint: string;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  /** Set when every claim of the approved plan has been moved to PAYMENT_SCHEDULED. */
  scheduledAt?: string;
  /** Claims that changed after the plan was locked, so their payment was not scheduled. */
  heldClaimIds?: string[];
}

/** One claim's line of a plan: a payout, or an exclusion with its reason. */
export interface PlanLine {
  claimId: string;
  recognizedLossCents: number;
  /** 0 for an excluded claim. */
  payoutCents: number;
  claimVersion: number;
  excluded?: { reason: string; exactShareCents: string; round: number };
  explanation: Record<string, unknown>;
}

export interface DistributionStore {
  putPlan(header: DistributionHeader, lines: readonly PlanLine[]): Promise<void>;
  getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined>;
  approve(poolId: string, distributionId: string, by: string, at: string): Promise<boolean>;
  markScheduled(poolId: string, distributionId: string, at: string, held: readonly string[]): Promise<void>;
  listLines(
    distributionId: string,
    which: 'payouts' | 'excluded',
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PlanLine>>;
  allLines(distributionId: string): Promise<PlanLine[]>;
}

export interface DistributionDeps {
  pools: {
    get(poolId: string): Promise<Pool | undefined>;
    lockDistribution(poolId: string, distributionId: string): Promise<boolean>;
  };
  claims: {
    approvedForPool(poolId: string): Promise<ApprovedClaimRow[]>;
    getMany(claimIds: readonly string[]): Promise<Map<string, Claim>>;
    transition(expected: Claim, change: ClaimTransition, now: string): Promise<boolean>;
  };
  distributions: DistributionStore;
  now?: () => Date;
  newId?: () => string;
}

/** Payout lines returned inline with a plan; larger plans are read page by page. */
export const INLINE_PAYOUTS = 1000;

export function fingerprint(
  pool: Pick<Pool, 'amountCents' | 'minimumPayoutCents' | 'currency'>,
  rows: readonly ApprovedClaimRow[],
): string {
  const hash = createHash('sha256');
  hash.update(`pool|${pool.amountCents}|${pool.minimumPayoutCents}|${pool.currency}\n`);
  const sorted = [...rows].sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0));
  for (const r of sorted) hash.update(`${r.claimId}|${r.recognizedLossCents}|${r.version}\n`);
  return hash.digest('hex');
}

export interface PlanView extends DistributionHeader {
  payouts: { claimId: string; recognizedLossCents: number; payoutCents: number }[];
  excluded: {
    claimId: string;
    recognizedLossCents: number;
    reason: string;
    exactShareCents: string;
    round: number;
  }[];
  /** Present when there are more payouts than returned: read them with GET ...?cursor=. */
  payoutsCursor?: string;
  excludedCursor?: string;
}

const planNotFound = () => new NotFoundError('No distribution plan has this id for this pool.');

function linesOf(plan: DistributionPlan, versions: ReadonlyMap<string, number>): PlanLine[] {
  const lines: PlanLine[] = [];
  for (const p of plan.payouts) {
    lines.push({
      claimId: p.claimId,
      recognizedLossCents: p.recognizedLossCents,
      payoutCents: p.payoutCents,
      claimVersion: versions.get(p.claimId)!,
      explanation: { ...explainPayout(plan, p.claimId) },
    });
  }
  for (const e of plan.excluded) {
    lines.push({
      claimId: e.claimId,
      recognizedLossCents: e.recognizedLossCents,
      payoutCents: 0,
      claimVersion: versions.get(e.claimId)!,
      excluded: { reason: e.reason, exactShareCents: e.exactShareCents, round: e.round },
      explanation: { ...explainPayout(plan, e.claimId) },
    });
  }
  return lines;
}

function toPlanView(header: DistributionHeader, payouts: Page<PlanLine>, excluded: Page<PlanLine>): PlanView {
  return {
    ...header,
    payouts: payouts.items.map((l) => ({
      claimId: l.claimId,
      recognizedLossCents: l.recognizedLossCents,
      payoutCents: l.payoutCents,
    })),
    excluded: excluded.items.map((l) => ({
      claimId: l.claimId,
      recognizedLossCents: l.recognizedLossCents,
      reason: l.excluded?.reason ?? 'BELOW_MINIMUM_PAYOUT',
      exactShareCents: l.excluded?.exactShareCents ?? '0.00',
      round: l.excluded?.round ?? 1,
    })),
    ...(payouts.cursor ? { payoutsCursor: payouts.cursor } : {}),
    ...(excluded.cursor ? { excludedCursor: excluded.cursor } : {}),
  };
}

export async function createPlan(typedPoolId: string, by: string, deps: DistributionDeps): Promise<PlanView> {
  const now = (deps.now ?? (() => new Date()))();
  const pool = await loadPool(typedPoolId, deps.pools);
  if (pool.activeDistributionId) {
    throw new ConflictError(
      `Plan ${pool.activeDistributionId} is already approved for this pool; a second plan cannot spend the same money.`,
      'POOL_ALREADY_DISTRIBUTED',
    );
  }
  const rows = await deps.claims.approvedForPool(pool.poolId);
  if (rows.length === 0) {
    throw new ConflictError(
      'This pool has no approved claims yet. Approve at least one claim, then compute the plan.',
      'NO_APPROVED_CLAIMS',
    );
  }
  const plan = computeDistribution({
    poolAmountCents: pool.amountCents,
    minimumPayoutCents: pool.minimumPayoutCents,
    claims: rows.map((r) => ({ claimId: r.claimId, recognizedLossCents: r.recognizedLossCents })),
  });
  const versions = new Map(rows.map((r) => [r.claimId, r.version]));
  const lines = linesOf(plan, versions);
  const header: DistributionHeader = {
    distributionId: (deps.newId ?? newDistributionId)(),
    poolId: pool.poolId,
    status: 'PLANNED',
    currency: pool.currency,
    poolAmountCents: plan.poolAmountCents,
    minimumPayoutCents: plan.minimumPayoutCents,
    basis: plan.basis,
    totalRecognizedLossCents: plan.totalRecognizedLossCents,
    totalPayoutCents: plan.totalPayoutCents,
    leftoverCents: plan.leftoverCents,
    rounds: plan.rounds,
    payoutCount: plan.payouts.length,
    excludedCount: plan.excluded.length,
    fingerprint: fingerprint(pool, rows),
    createdBy: by,
    createdAt: now.toISOString(),
  };
  await deps.distributions.putPlan(header, lines);
  const payoutLines = lines.filter((l) => !l.excluded);
  const excludedLines = lines.filter((l) => l.excluded);
  if (payoutLines.length <= INLINE_PAYOUTS && excludedLines.length <= INLINE_PAYOUTS) {
    return toPlanView(header, { items: payoutLines }, { items: excludedLines });
  }
  // A big plan: answer with its first page, and cursors to read the rest (GET the plan).
  const [payouts, excluded] = await Promise.all([
    deps.distributions.listLines(header.distributionId, 'payouts', { limit: INLINE_PAYOUTS }),
    deps.distributions.listLines(header.distributionId, 'excluded', { limit: INLINE_PAYOUTS }),
  ]);
  return toPlanView(header, payouts, excluded);
}

async function loadPlan(typedPoolId: string, typedDistributionId: string, deps: DistributionDeps) {
  const pool = await loadPool(typedPoolId, deps.pools);
  const distributionId = parseDistributionId(typedDistributionId);
  const header = distributionId ? await deps.distributions.getHeader(pool.poolId, distributionId) : undefined;
  if (!header) throw planNotFound();
  return { pool, header };
}

export async function getPlan(
  typedPoolId: string,
  typedDistributionId: string,
  query: { cursor?: string; excludedCursor?: string; limit?: number },
  deps: DistributionDeps,
): Promise<PlanView> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  const limit = query.limit ?? INLINE_PAYOUTS;
  const payouts = await deps.distributions.listLines(header.distributionId, 'payouts', {
    limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const excluded = await deps.distributions.listLines(header.distributionId, 'excluded', {
    limit,
    ...(query.excludedCursor ? { cursor: query.excludedCursor } : {}),
  });
  return toPlanView(header, payouts, excluded);
}

export interface ApprovalResult {
  distributionId: string;
  poolId: string;
  status: 'APPROVED';
  approvedAt: string;
  approvedBy: string;
  scheduledAt: string;
  paymentsScheduled: number;
  claimsClosed: number;
  /** Claims that changed after the plan was locked; their payments were not scheduled. */
  held: string[];
}

export async function approvePlan(
  typedPoolId: string,
  typedDistributionId: string,
  by: string,
  deps: DistributionDeps,
): Promise<ApprovalResult> {
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const { pool, header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  const { poolId, distributionId } = header;

  if (header.status === 'APPROVED' && header.scheduledAt) {
    throw new ConflictError(
      `Plan ${distributionId} was already approved on ${header.approvedAt ?? header.scheduledAt} and cannot be approved again. An approved plan never changes.`,
      'ALREADY_APPROVED',
    );
  }
  if (header.status === 'PLANNED') {
    if (pool.activeDistributionId && pool.activeDistributionId !== distributionId) {
      throw new ConflictError(
        `Plan ${pool.activeDistributionId} is already approved for this pool; a second plan cannot spend the same money.`,
        'POOL_ALREADY_DISTRIBUTED',
      );
    }
    const current = fingerprint(pool, await deps.claims.approvedForPool(poolId));
    if (current !== header.fingerprint) {
      throw new ConflictError(
        'Claims or pool terms changed since this plan was computed (a claim was approved, revised or denied, or the pool amount changed). Compute a new plan and approve that one.',
        'STALE_PLAN',
      );
    }
  }

  if (!(await deps.pools.lockDistribution(poolId, distributionId))) {
    const holder = (await deps.pools.get(poolId))?.activeDistributionId ?? 'another plan';
    throw new ConflictError(
      `Plan ${holder} is already approved for this pool; a second plan cannot spend the same money.`,
      'POOL_ALREADY_DISTRIBUTED',
    );
  }
  if (header.status === 'PLANNED') await deps.distributions.approve(poolId, distributionId, by, at);

  const lines = await deps.distributions.allLines(distributionId);
  let scheduled = 0;
  let closed = 0;
  const held: string[] = [];
  for (let i = 0; i < lines.length; i += 100) {
    const chunk = lines.slice(i, i + 100);
    const claims = await deps.claims.getMany(chunk.map((l) => l.claimId));
    await mapLimit(chunk, 8, async (line) => {
      const claim = claims.get(line.claimId);
      if (claim?.payout?.distributionId === distributionId) {
        if (line.excluded) closed++;
        else scheduled++;
        return; // moved by an earlier run
      }
      if (claim?.status !== 'APPROVED' || claim.version !== line.claimVersion) {
        held.push(line.claimId);
        return;
      }
      const change: ClaimTransition = line.excluded
        ? {
            status: 'CLOSED',
            timeline: {
              status: 'CLOSED',
              at,
              note: `Your share would have been below the programme's minimum payment of ${formatCents(header.minimumPayoutCents, header.currency)}, so it was shared among the other victims.`,
            },
            payout: { distributionId, payoutCents: 0, explanation: line.explanation },
          }
        : {
            status: 'PAYMENT_SCHEDULED',
            timeline: {
              status: 'PAYMENT_SCHEDULED',
              at,
              note: `A payment of ${formatCents(line.payoutCents, header.currency)} is scheduled.`,
            },
            payout: { distributionId, payoutCents: line.payoutCents, explanation: line.explanation },
          };
      let moved = await deps.claims.transition(claim, change, at);
      if (!moved) {
        // Lost a race: a concurrent approval of this same plan may have moved it first.
        const fresh = (await deps.claims.getMany([line.claimId])).get(line.claimId);
        moved = fresh?.payout?.distributionId === distributionId;
      }
      if (!moved) held.push(line.claimId);
      else if (line.excluded) closed++;
      else scheduled++;
    });
  }
  held.sort();
  await deps.distributions.markScheduled(poolId, distributionId, at, held);
  return {
    distributionId,
    poolId,
    status: 'APPROVED',
    approvedAt: header.approvedAt ?? at,
    approvedBy: header.approvedBy ?? by,
    scheduledAt: header.scheduledAt ?? at,
    paymentsScheduled: scheduled,
    claimsClosed: closed,
    held,
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
] as const;

/**
 * One CSV cell, safe to open in a spreadsheet: always quoted, quotes doubled, line breaks
 * flattened, and text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed
 * with an apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '""';
  if (typeof value === 'number') return `"${value}"`;
  let s = value.replace(/\r\n|\r|\n/g, ' ');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const amount = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export interface PaymentFilePart {
  csv: string;
  /** More rows follow: ask again with this cursor (the header row comes only in the first part). */
  cursor?: string;
  rows: number;
}

/** Rows per response: ~300 bytes each keeps a part well under Lambda's 6 MB response limit. */
export const CSV_ROWS_PER_PART = 10_000;

export async function paymentFile(
  typedPoolId: string,
  typedDistributionId: string,
  cursor: string | undefined,
  deps: DistributionDeps,
): Promise<PaymentFilePart> {
  const { header } = await loadPlan(typedPoolId, typedDistributionId, deps);
  if (header.status !== 'APPROVED') {
    throw new ConflictError(
      'This plan is not approved yet: approve it before downloading the payment file.',
      'PLAN_NOT_APPROVED',
    );
  }
  const held = new Set(header.heldClaimIds ?? []);
  const out: string[] = cursor === undefined ? [CSV_COLUMNS.join(',')] : [];
  let next = cursor;
  let rows = 0;
  do {
    const page = await deps.distributions.listLines(header.distributionId, 'payouts', {
      limit: 100,
      ...(next ? { cursor: next } : {}),
    });
    const claims = await deps.claims.getMany(page.items.map((l) => l.claimId));
    for (const line of page.items) {
      if (line.payoutCents <= 0 || held.has(line.claimId)) continue;
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
        ].join(','),
      );
      rows++;
    }
    next = page.cursor;
  } while (next && rows < CSV_ROWS_PER_PART);
  return { csv: `${out.join('\r\n')}\r\n`, rows, ...(next ? { cursor: next } : {}) };
}
