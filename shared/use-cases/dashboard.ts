/**
 * Use cases for the supervisors' dashboard (GET /v1/admin/dashboard, docs/dashboard.md).
 *
 * Counters are kept as reports and claims arrive, so a view reads a few small items per week
 * instead of every report:
 * - enrichment counts each report once in its week (category, payment methods, age range, losses
 *   by method) and once per identifier it names (countReport, below);
 * - every claim status change moves that claim's programme counts (ClaimCounter);
 * - getDashboard reads the weeks asked for, the claim counts and the most-reported identifiers.
 */
import * as z from 'zod/mini';
import type { Claim, ClaimStatus } from '../domain/claim.ts';
import {
  assembleDashboard,
  type ClaimPlace,
  type Dashboard,
  lastWeeks,
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
  },
): Promise<Dashboard> {
  const q = parseWith(dashboardQuery, rawQuery);
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
 * Moves `n` claims' counts at once, made harmless to repeat by one `token` (a job step). Jobs that
 * move thousands of claims count this way: one counter write per step and kind of move, instead
 * of two per claim on the same counter items (docs/distribution-jobs.md).
 */
export interface BulkClaimCounter {
  claimsMoved(token: string, from: ClaimPlace, to: ClaimPlace, n: number): Promise<void>;
}

interface ClaimWrites {
  create(claim: Claim): Promise<void>;
  transition(
    expected: Claim,
    change: { status?: ClaimStatus; poolId?: string },
    now: string,
  ): Promise<boolean>;
}

/**
 * Makes every claim write of `store` also move the dashboard's claim counts. Every status change
 * of a claim goes through `create` or `transition` (the repository's `transitionOrConflict` calls
 * `transition`), so wrapping those two counts them all. Counting runs after the claim is written
 * and its failure is reported, not thrown: the claimant's or reviewer's action has happened, and a
 * count off by one is repaired by docs/dashboard.md's recount, not by failing their request.
 */
export function countClaimChanges<T extends ClaimWrites>(
  store: T,
  counter: ClaimCounter,
  onError: (error: unknown) => void,
): T {
  const create = store.create.bind(store);
  const transition = store.transition.bind(store);
  const count = async (move: () => Promise<void>) => {
    try {
      await move();
    } catch (e) {
      onError(e);
    }
  };
  store.create = async (claim) => {
    await create(claim);
    await count(() =>
      counter.claimMoved(claim.claimId, claim.version, undefined, place(claim.poolId, claim.status)),
    );
  };
  store.transition = async (expected, change, now) => {
    const moved = await transition(expected, change, now);
    if (moved && (change.status !== undefined || change.poolId !== undefined)) {
      await count(() =>
        counter.claimMoved(
          expected.claimId,
          expected.version + 1,
          place(expected.poolId, expected.status),
          place(change.poolId ?? expected.poolId, change.status ?? expected.status),
        ),
      );
    }
    return moved;
  };
  return store;
}

const place = (poolId: string | undefined, status: ClaimStatus): ClaimPlace => ({
  ...(poolId ? { poolId } : {}),
  status,
});
