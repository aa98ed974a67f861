/**
 * Use case: match pools with the reports and claims whose money went to a seized identifier, both
 * ways, through the identifier index (Queries of `IND#<type>#<value>`, never a scan). The work
 * grows with the number of matches, not with the number of reports stored.
 *
 * Pool side (`matchPool`, after a pool is created or its seizure list changes):
 *   1. Drop the markers of identifiers no longer seized, and the matches through them
 *      (`reconcile` also sweeps matches left by an edit whose matching never finished).
 *   2. Put a marker `IND#t#v / POOL#<poolId>` for every seized identifier (before reading, so a
 *      report enriched at the same moment sees the pool, or the pool sees the report: both
 *      sides write first, then read).
 *   3. Query each seized identifier's partition: every report and claim linked to it.
 *   4. Put one match item per (subject, identifier) (identical overwrites: idempotent).
 *   5. While the pool is open, invite every matched report whose filer agreed to be contacted and
 *      who has not claimed yet: one invitation per (pool, report), by a conditional put.
 *
 * Subject side (`matchSubject`, after a report is enriched or a claim is filed):
 *   1. For each identifier of the report or claim, Query its partition for pool markers.
 *   2. Keep the open pools that still seize it; put the match items; invite as in step 5.
 */
import type { IndicatorType } from '../domain/indicators/types.ts';
import {
  type Invitation,
  indicatorKeyOf,
  isOpen,
  type LinkedSubject,
  linkMatches,
  type MatchKind,
  type Pool,
  type PoolMatch,
} from '../domain/pool.ts';
import type { IndicatorLink, IndicatorRef } from '../domain/report-content.ts';
import { newInvitationCode } from '../domain/secrets.ts';

export interface MatchStore {
  get(poolId: string): Promise<Pool | undefined>;
  putSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void>;
  deleteSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void>;
  poolsSeizing(type: IndicatorType, value: string): Promise<string[]>;
  linkedSubjects(type: IndicatorType, value: string): Promise<LinkedSubject[]>;
  putMatches(matches: readonly PoolMatch[]): Promise<void>;
  deleteMatchesExcept(poolId: string, keep: readonly IndicatorRef[]): Promise<number>;
  putInvitation(inv: Invitation): Promise<boolean>;
}

export interface ClaimMarkers {
  reportHasClaim(reportId: string): Promise<boolean>;
}

export interface MatchDeps {
  pools: MatchStore;
  claims: ClaimMarkers;
  now?: () => Date;
  newCode?: () => string;
  /** Parallel requests per step (DynamoDB is happy with more; a Lambda's sockets too). */
  concurrency?: number;
}

export interface MatchSummary {
  poolId: string;
  identifiers: number;
  matchedReports: number;
  matchedClaims: number;
  matches: number;
  invitationsCreated: number;
  removedMatches: number;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function toMatch(poolId: string, s: LinkedSubject, ref: IndicatorRef, matchedAt: string): PoolMatch {
  return {
    poolId,
    kind: s.kind,
    subjectId: s.id,
    indicator: { type: ref.type, value: ref.value, display: ref.display },
    roles: s.roles,
    paid: s.paid,
    ...(s.kind === 'REPORT' ? { contactAboutRecovery: s.contactAboutRecovery === true } : {}),
    at: s.at,
    matchedAt,
  };
}

/** Step 5 of both sides: one invitation per consenting, matched, not-yet-claimed report. */
async function invite(pool: Pool, reportIds: readonly string[], deps: MatchDeps, now: Date): Promise<number> {
  if (!isOpen(pool, now)) return 0;
  const created = await mapLimit(reportIds, deps.concurrency ?? 8, async (reportId) => {
    if (await deps.claims.reportHasClaim(reportId)) return false;
    return deps.pools.putInvitation({
      poolId: pool.poolId,
      reportId,
      code: (deps.newCode ?? newInvitationCode)(),
      createdAt: now.toISOString(),
    });
  });
  return created.filter(Boolean).length;
}

export async function matchPool(
  pool: Pool,
  deps: MatchDeps,
  opts: { removed?: readonly IndicatorRef[]; reconcile?: boolean } = {},
): Promise<MatchSummary> {
  const now = (deps.now ?? (() => new Date()))();
  const limit = deps.concurrency ?? 8;
  const removed = opts.removed ?? [];

  let removedMatches = 0;
  if (removed.length > 0 || opts.reconcile) {
    await mapLimit(removed, limit, (ref) => deps.pools.deleteSeizedMarker(pool.poolId, ref));
    removedMatches = await deps.pools.deleteMatchesExcept(pool.poolId, pool.seizedIndicators);
  }

  await mapLimit(pool.seizedIndicators, limit, (ref) => deps.pools.putSeizedMarker(pool.poolId, ref));
  const linked = await mapLimit(pool.seizedIndicators, limit, (ref) =>
    deps.pools.linkedSubjects(ref.type, ref.value),
  );

  const matchedAt = now.toISOString();
  const matches: PoolMatch[] = [];
  const reports = new Map<string, boolean>();
  const claims = new Set<string>();
  pool.seizedIndicators.forEach((ref, i) => {
    for (const s of linked[i]!) {
      if (!linkMatches(ref.type, s.roles)) continue;
      matches.push(toMatch(pool.poolId, s, ref, matchedAt));
      if (s.kind === 'CLAIM') claims.add(s.id);
      else reports.set(s.id, (reports.get(s.id) ?? false) || s.contactAboutRecovery === true);
    }
  });
  await deps.pools.putMatches(matches);

  const consenting = [...reports].filter(([, consent]) => consent).map(([id]) => id);
  const invitationsCreated = await invite(pool, consenting, deps, now);
  return {
    poolId: pool.poolId,
    identifiers: pool.seizedIndicators.length,
    matchedReports: reports.size,
    matchedClaims: claims.size,
    matches: matches.length,
    invitationsCreated,
    removedMatches,
  };
}

export interface MatchSubject {
  kind: MatchKind;
  id: string;
  /** Report received / claim filed. */
  at: string;
  links: readonly IndicatorLink[];
  /** Reports only. */
  contactAboutRecovery?: boolean;
}

export interface SubjectMatchSummary {
  poolIds: string[];
  matches: number;
  invitationsCreated: number;
}

export async function matchSubject(subject: MatchSubject, deps: MatchDeps): Promise<SubjectMatchSummary> {
  const now = (deps.now ?? (() => new Date()))();
  const limit = deps.concurrency ?? 8;
  const candidates = subject.links.filter((l) => linkMatches(l.type, l.roles));
  const poolIdsPerLink = await mapLimit(candidates, limit, (l) => deps.pools.poolsSeizing(l.type, l.value));

  const poolIds = [...new Set(poolIdsPerLink.flat())];
  const pools = new Map<string, Pool>();
  await mapLimit(poolIds, limit, async (id) => {
    const pool = await deps.pools.get(id);
    // Markers can outlive an edit by a moment; the pool's own list is the truth.
    if (pool && isOpen(pool, now)) pools.set(id, pool);
  });

  const matchedAt = now.toISOString();
  const matches: PoolMatch[] = [];
  candidates.forEach((link, i) => {
    for (const poolId of poolIdsPerLink[i]!) {
      const pool = pools.get(poolId);
      if (!pool?.seizedIndicators.some((s) => indicatorKeyOf(s) === indicatorKeyOf(link))) continue;
      const linked: LinkedSubject = {
        kind: subject.kind,
        id: subject.id,
        roles: link.roles,
        paid: link.paid,
        at: subject.at,
        ...(subject.contactAboutRecovery === undefined
          ? {}
          : { contactAboutRecovery: subject.contactAboutRecovery }),
      };
      matches.push(toMatch(poolId, linked, link, matchedAt));
    }
  });
  await deps.pools.putMatches(matches);

  const matchedPools = [...new Set(matches.map((m) => m.poolId))];
  let invitationsCreated = 0;
  if (subject.kind === 'REPORT' && subject.contactAboutRecovery === true) {
    for (const poolId of matchedPools) {
      invitationsCreated += await invite(pools.get(poolId)!, [subject.id], deps, now);
    }
  }
  return { poolIds: matchedPools, matches: matches.length, invitationsCreated };
}
