/**
 * Use cases for the supervisors' dashboard (GET /v1/admin/dashboard, docs/dashboard.md).
 *
 * Counters are kept as reports and claims arrive, so a view reads a few small items per week
 * instead of every report:
 * - enrichment counts each report once in its week (category, payment methods, age range, losses
 *   by method) and once per identifier it names (countReport, below);
 * - every claim status change moves that claim's programme counts (ClaimCounter), except those
 *   a job step makes, which it counts once for the whole step (StepClaimCounter);
 * - getDashboard reads the weeks asked for, the claim counts and the most-reported identifiers.
 */
import * as z from 'zod/mini';
import type { Claim, ClaimStatus } from '../domain/claim.ts';
import {
  assembleDashboard,
  type ClaimPlace,
  type Dashboard,
  lastWeeks,
  type PendingClaimMove,
  reportCounters,
  weekOf,
} from '../domain/dashboard.ts';
import type { IndicatorLink, ReportContent } from '../domain/report-content.ts';
import { parseWith } from '../domain/validation.ts';

/** Counts a report exactly once: a second call for the same report changes nothing. */
export interface ReportCounter {
  countReport(
    reportId: string,
    week: string,
    counters: Readonly<Record<string, number>>,
    identifiers: readonly Pick<IndicatorLink, 'type' | 'value' | 'display'>[],
  ): Promise<void>;
}

export interface DashboardReader {
  /** Summed counters of one week (Monday, YYYY-MM-DD); empty when nothing arrived. */
  weekCounters(week: string): Promise<Record<string, number>>;
  /** `<poolId|none>#<status>` with its count. */
  claimCounts(): Promise<{ key: string; n: number }[]>;
  topIdentifiers(limit: number): Promise<Dashboard['topIdentifiers']>;
}

/** Enrichment's step: count the report in its week and against each identifier it names. */
export async function countReport(
  counter: ReportCounter,
  reportId: string,
  receivedAt: string,
  content: ReportContent,
  links: readonly IndicatorLink[],
): Promise<void> {
  await counter.countReport(reportId, weekOf(receivedAt), reportCounters(content), links);
}

const dashboardQuery = z.object({
  weeks: z.optional(z.string().check(z.regex(/^\d{1,2}$/, 'Use a whole number of weeks from 1 to 52.'))),
  top: z.optional(z.string().check(z.regex(/^\d{1,2}$/, 'Use a whole number from 1 to 50.'))),
});

export const MAX_DASHBOARD_WEEKS = 52;

export async function getDashboard(
  rawQuery: Record<string, string | undefined>,
  deps: {
    reader: DashboardReader;
    pools: { get(poolId: string): Promise<{ name: string } | undefined> };
    now?: () => Date;
    /** Claim moves a crash left uncounted are finished first, so the claim counts are exact. */
    pending?: { claims: ClaimCountOutbox; counter: ClaimCounter };
  },
): Promise<Dashboard> {
  const q = parseWith(dashboardQuery, rawQuery);
  if (deps.pending) await settlePendingClaimCounts(deps.pending);
  const weekCount = Math.min(MAX_DASHBOARD_WEEKS, Math.max(1, Number(q.weeks ?? '12')));
  const top = Math.min(50, Math.max(1, Number(q.top ?? '10')));
  const now = (deps.now ?? (() => new Date()))();
  const weeks = lastWeeks(now, weekCount);
  const [weekCounters, claimCounts, topIdentifiers] = await Promise.all([
    Promise.all(weeks.map((w) => deps.reader.weekCounters(w))),
    deps.reader.claimCounts(),
    deps.reader.topIdentifiers(top),
  ]);
  const poolIds = [...new Set(claimCounts.map((c) => c.key.split('#')[0]!))].filter((p) => p !== 'none');
  const poolNames = new Map<string, string>();
  for (const pool of await Promise.all(poolIds.map(async (id) => [id, await deps.pools.get(id)] as const))) {
    if (pool[1]) poolNames.set(pool[0], pool[1].name);
  }
  return assembleDashboard({ now, weeks, weekCounters, claimCounts, poolNames, topIdentifiers });
}

/** Moves a claim's programme/status counts; the (claim, version) pair makes a repeat harmless. */
export interface ClaimCounter {
  claimMoved(claimId: string, version: number, from: ClaimPlace | undefined, to: ClaimPlace): Promise<void>;
}

/**
 * The claim store's side of exact counting: every status or programme change of a claim writes
 * its move onto the claim item in the same write (an outbox), so a crash between the claim write
 * and the counting loses nothing; the moves stay listed until counted.
 */
export interface ClaimCountOutbox {
  /** Claims with moves not yet counted (a few at most: those in flight or after a crash). */
  pendingClaimCounts(limit: number): Promise<string[]>;
  claimCountMoves(claimId: string): Promise<{ version: number; moves: PendingClaimMove[] } | undefined>;
  /** Removes the moves if the claim is still at `version`; false if it changed meanwhile. */
  clearClaimCountMoves(claimId: string, version: number): Promise<boolean>;
}

/**
 * Counts a claim's pending moves, then clears them. Each move is counted under its own
 * `<claimId>@<version>` token, so counting one twice (a retry, a dashboard read racing the write
 * that made it) changes nothing; a claim that moved again meanwhile is read again.
 */
export async function settleClaimCounts(
  claimId: string,
  deps: { claims: ClaimCountOutbox; counter: ClaimCounter },
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const pending = await deps.claims.claimCountMoves(claimId);
    if (!pending || pending.moves.length === 0) return;
    for (const m of pending.moves) await deps.counter.claimMoved(claimId, m.version, m.from, m.to);
    if (await deps.claims.clearClaimCountMoves(claimId, pending.version)) return;
  }
}

/** How many waiting claims one dashboard read finishes (more are left for the next read). */
const SETTLE_PER_READ = 100;

/** Finishes every claim move still waiting (after a crash), so the counts read next are exact. */
export async function settlePendingClaimCounts(deps: {
  claims: ClaimCountOutbox;
  counter: ClaimCounter;
}): Promise<void> {
  const ids = await deps.claims.pendingClaimCounts(SETTLE_PER_READ);
  for (const id of ids) await settleClaimCounts(id, deps);
}

/**
 * Moves `n` claims' counts at once, harmless to repeat under the same `token`. Job steps count
 * this way (one token per step and kind of move) instead of one outbox move and token per claim,
 * so a million claims leave a few hundred tokens, not a million (docs/dashboard.md).
 */
export interface StepClaimCounter {
  claimsMoved(token: string, from: ClaimPlace, to: ClaimPlace, n: number): Promise<void>;
}

interface ClaimWrites extends ClaimCountOutbox {
  create(claim: Claim): Promise<void>;
  transition(
    expected: Claim,
    change: { status?: ClaimStatus; poolId?: string; countedByStep?: boolean },
    now: string,
  ): Promise<boolean>;
}

/**
 * Makes every claim write of `store` also count its move on the dashboard right away. Every status
 * change goes through `create` or `transition` (the repository's `transitionOrConflict` calls
 * `transition`), and the store writes the move onto the claim in that same write. Counting runs
 * after, and its failure is reported, not thrown: the claimant's or reviewer's action has
 * happened, and the move stays on the claim until the next dashboard read counts it.
 */
export function countClaimChanges<T extends ClaimWrites>(
  store: T,
  counter: ClaimCounter,
  onError: (error: unknown) => void,
): T {
  const create = store.create.bind(store);
  const transition = store.transition.bind(store);
  const settle = async (claimId: string) => {
    try {
      await settleClaimCounts(claimId, { claims: store, counter });
    } catch (e) {
      onError(e);
    }
  };
  store.create = async (claim) => {
    await create(claim);
    await settle(claim.claimId);
  };
  store.transition = async (expected, change, now) => {
    const moved = await transition(expected, change, now);
    const counted = change.countedByStep || (change.status === undefined && change.poolId === undefined);
    if (moved && !counted) await settle(expected.claimId);
    return moved;
  };
  return store;
}
