/**
 * Reading pools: staff see a pool and what it matched; the public lists the open ones.
 */
import * as z from 'zod/mini';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Page } from '../domain/page.ts';
import {
  deadlineToday,
  type Invitation,
  isOpen,
  type MatchKind,
  type Pool,
  type PoolMatch,
  type PublicPool,
  toPublicPool,
} from '../domain/pool.ts';
import { parsePoolId } from '../domain/secrets.ts';
import { parseWith } from '../domain/validation.ts';
import type { MatchDeps, MatchStore } from './match-pools.ts';

export interface PoolStore extends MatchStore {
  create(pool: Pool): Promise<void>;
  replace(pool: Pool, expectedVersion: number): Promise<void>;
  listByDeadline(fromDate?: string): Promise<Pool[]>;
  listMatches(
    poolId: string,
    kind: MatchKind,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PoolMatch>>;
  listInvitations(poolId: string): Promise<Invitation[]>;
}

export interface PoolDeps extends MatchDeps {
  pools: PoolStore;
  key: Uint8Array;
  newId?: () => string;
}

export interface PoolView extends Pool {
  open: boolean;
}

export const poolView = (pool: Pool, now: Date): PoolView => ({ ...pool, open: isOpen(pool, now) });

const poolNotFound = () => new NotFoundError('No pool has this id. Check it and try again.');

export async function loadPool(typedId: string, pools: Pick<PoolStore, 'get'>): Promise<Pool> {
  const poolId = parsePoolId(typedId);
  const pool = poolId ? await pools.get(poolId) : undefined;
  if (!pool) throw poolNotFound();
  return pool;
}

export async function getPool(typedId: string, deps: Pick<PoolDeps, 'pools' | 'now'>): Promise<PoolView> {
  const now = (deps.now ?? (() => new Date()))();
  return poolView(await loadPool(typedId, deps.pools), now);
}

export async function listPools(deps: Pick<PoolDeps, 'pools' | 'now'>): Promise<{ pools: PoolView[] }> {
  const now = (deps.now ?? (() => new Date()))();
  return { pools: (await deps.pools.listByDeadline()).map((p) => poolView(p, now)) };
}

/** Public: pools open for claims, soonest deadline first. One Query from today's date on. */
export async function listOpenPools(
  pools: Pick<PoolStore, 'listByDeadline'>,
  now: Date = new Date(),
): Promise<{ pools: PublicPool[] }> {
  const open = (await pools.listByDeadline(deadlineToday(now))).filter((p) => isOpen(p, now));
  return { pools: open.map(toPublicPool) };
}

// ---------------------------------------------------------------------------------------------
// Matches

const matchesQuery = z.object({
  kind: z.optional(z.enum(['claims', 'reports'], { error: 'kind must be claims or reports.' })),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/, 'Use a whole number from 1 to 1000.'))),
  cursor: z.optional(z.string().check(z.maxLength(2000, 'This page link is not valid.'))),
});

interface MatchedIdentifier {
  type: string;
  value: string;
  display: string;
  roles: string[];
  paid: { currency: string; amountCents: number }[];
  /** What was paid to this identifier in the pool's currency. */
  paidCents: number;
}

export interface MatchedClaimView {
  claimId: string;
  href: string;
  filedAt: string;
  identifiers: MatchedIdentifier[];
}

export interface MatchedReportView {
  reportId: string;
  href: string;
  receivedAt: string;
  identifiers: MatchedIdentifier[];
  invitation?: { code: string; createdAt: string; claimId?: string };
}

export interface PoolMatchesView {
  poolId: string;
  poolName: string;
  currency: string;
  claims: MatchedClaimView[];
  reports: MatchedReportView[];
  /** Matched reports on this page not listed because their filers did not agree to be contacted. */
  reportsWithoutConsent: number;
  cursors?: { claims?: string; reports?: string };
}

function group<T extends { identifiers: MatchedIdentifier[] }>(
  matches: readonly PoolMatch[],
  currency: string,
  make: (m: PoolMatch) => T,
): T[] {
  const bySubject = new Map<string, T>();
  for (const m of matches) {
    let entry = bySubject.get(m.subjectId);
    if (!entry) {
      entry = make(m);
      bySubject.set(m.subjectId, entry);
    }
    entry.identifiers.push({
      type: m.indicator.type,
      value: m.indicator.value,
      display: m.indicator.display,
      roles: m.roles,
      paid: m.paid,
      paidCents: m.paid.filter((p) => p.currency === currency).reduce((s, p) => s + p.amountCents, 0),
    });
  }
  return [...bySubject.values()];
}

export async function poolMatches(
  typedId: string,
  rawQuery: Record<string, string | undefined>,
  deps: Pick<PoolDeps, 'pools'>,
): Promise<PoolMatchesView> {
  const q = parseWith(matchesQuery, rawQuery);
  const limit = q.limit === undefined ? 500 : Number(q.limit);
  if (limit < 1 || limit > 1000) {
    throw new ValidationError([{ path: 'limit', message: 'Use a whole number from 1 to 1000.' }]);
  }
  if (q.cursor !== undefined && q.kind === undefined) {
    throw new ValidationError([
      { path: 'kind', message: 'Say which list the page link is for: claims or reports.' },
    ]);
  }
  const pool = await loadPool(typedId, deps.pools);
  const want = (k: 'claims' | 'reports') => q.kind === undefined || q.kind === k;
  const page = (kind: MatchKind) =>
    deps.pools.listMatches(pool.poolId, kind, { limit, ...(q.cursor ? { cursor: q.cursor } : {}) });

  const claimPage = want('claims') ? await page('CLAIM') : { items: [] };
  const reportPage = want('reports') ? await page('REPORT') : { items: [] };
  const consenting = reportPage.items.filter((m) => m.contactAboutRecovery === true);
  const invitations = consenting.length > 0 ? await deps.pools.listInvitations(pool.poolId) : [];
  const inviteByReport = new Map(invitations.map((i) => [i.reportId, i]));

  const claims = group(claimPage.items, pool.currency, (m) => ({
    claimId: m.subjectId,
    href: `/v1/admin/claims/${m.subjectId}`,
    filedAt: m.at,
    identifiers: [],
  }));
  const reports = group(consenting, pool.currency, (m): MatchedReportView => {
    const inv = inviteByReport.get(m.subjectId);
    return {
      reportId: m.subjectId,
      href: `/v1/admin/reports/${m.subjectId}`,
      receivedAt: m.at,
      identifiers: [],
      ...(inv
        ? {
            invitation: {
              code: inv.code,
              createdAt: inv.createdAt,
              ...(inv.claimId ? { claimId: inv.claimId } : {}),
            },
          }
        : {}),
    };
  });
  const withoutConsent = new Set(
    reportPage.items.filter((m) => m.contactAboutRecovery !== true).map((m) => m.subjectId),
  );
  const cursors = {
    ...('cursor' in claimPage && claimPage.cursor ? { claims: claimPage.cursor } : {}),
    ...('cursor' in reportPage && reportPage.cursor ? { reports: reportPage.cursor } : {}),
  };
  return {
    poolId: pool.poolId,
    poolName: pool.name,
    currency: pool.currency,
    claims,
    reports,
    reportsWithoutConsent: withoutConsent.size,
    ...(Object.keys(cursors).length > 0 ? { cursors } : {}),
  };
}
