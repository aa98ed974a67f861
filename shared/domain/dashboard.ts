/**
 * The supervisors' dashboard, as plain data: what one report adds to the weekly counters, how a
 * claim's move between statuses changes the per-programme counts, and how the counters read back
 * become the charts' series. No storage here: shared/use-cases/dashboard.ts says when counters
 * move, the stats repository how they are kept (docs/dashboard.md).
 */
import type { ClaimStatus } from './claim-schema.ts';
import { ageRanges, categories, paymentMethods } from './enums.ts';
import type { ReportContent } from './report-content.ts';

/** Monday (UTC) of the week an instant falls in, as YYYY-MM-DD: the key of that week's counters. */
export function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/** The `count` Mondays ending with the week of `now`, oldest first. */
export function lastWeeks(now: Date, count: number): string[] {
  const last = Date.parse(`${weekOf(now.toISOString())}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(last - (count - 1 - i) * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * Counter names one report adds to in its week, with the amounts. Names are flat
 * (`category:romance`, `loss:wire-transfer:USD`) so each is one top-level attribute that an
 * atomic ADD can move.
 */
export function reportCounters(content: ReportContent): Record<string, number> {
  const out: Record<string, number> = { reports: 1 };
  out[`category:${content.incident.category}`] = 1;
  out[`age:${content.filer?.ageRange ?? 'unknown'}`] = 1;
  const methods = new Set<string>();
  for (const p of content.payments) {
    methods.add(p.method);
    const loss = `loss:${p.method}:${p.currency}`;
    out[loss] = (out[loss] ?? 0) + p.amountCents;
  }
  // A report counts once per method it used, however many payments went that way.
  for (const m of methods) out[`method:${m}`] = 1;
  if (methods.size === 0) out['method:none'] = 1;
  return out;
}

/** FNV-1a, so a report or claim always lands in the same counter shard. */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

export interface ClaimPlace {
  poolId?: string;
  status: ClaimStatus;
}

/** A claim's move, kept on the claim until the counts have it (docs/dashboard.md, "Claims"). */
export interface PendingClaimMove {
  /** The claim's version after the move: the counters' guard token is `<claimId>@<version>`. */
  version: number;
  /** Absent when the claim was created. */
  from?: ClaimPlace;
  to: ClaimPlace;
}

/** The per-programme status counts a claim's move changes: -1 where it was, +1 where it is. */
export function claimMoves(from: ClaimPlace | undefined, to: ClaimPlace): { key: string; delta: number }[] {
  const key = (p: ClaimPlace) => `${p.poolId ?? 'none'}#${p.status}`;
  if (from && key(from) === key(to)) return [];
  return [...(from ? [{ key: key(from), delta: -1 }] : []), { key: key(to), delta: 1 }];
}

export interface WeekSeries {
  /** Monday of each week, oldest first. */
  weeks: string[];
  /** One row per value (category, method, age range) with a count per week, in `weeks` order. */
  rows: { key: string; counts: number[]; total: number }[];
}

export interface LossSeries {
  currency: string;
  rows: { method: string; cents: number[]; totalCents: number }[];
}

export interface Dashboard {
  generatedAt: string;
  weeks: string[];
  reportsPerWeek: number[];
  byCategory: WeekSeries;
  byPaymentMethod: WeekSeries;
  byAgeRange: WeekSeries;
  lossesByPaymentMethod: LossSeries[];
  claimsByStatus: {
    poolId: string | null;
    poolName?: string;
    counts: Partial<Record<ClaimStatus, number>>;
    total: number;
  }[];
  topIdentifiers: { type: string; display: string; reports: number; href: string }[];
}

/** Rows of one dimension across the weeks, in the vocabulary's order, empty rows left out. */
function series(
  weeks: string[],
  counters: readonly Record<string, number>[],
  prefix: string,
  order: readonly string[],
): WeekSeries {
  const keys = new Set<string>();
  for (const c of counters)
    for (const k of Object.keys(c)) if (k.startsWith(prefix)) keys.add(k.slice(prefix.length));
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const rows = [...keys]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => {
      const counts = counters.map((c) => c[`${prefix}${key}`] ?? 0);
      return { key, counts, total: counts.reduce((s, n) => s + n, 0) };
    })
    .filter((r) => r.total > 0);
  return { weeks, rows };
}

function losses(counters: readonly Record<string, number>[]): LossSeries[] {
  const byCurrency = new Map<string, Set<string>>();
  for (const c of counters) {
    for (const k of Object.keys(c)) {
      const [kind, method, currency] = k.split(':');
      if (kind !== 'loss' || !method || !currency) continue;
      byCurrency.set(currency, (byCurrency.get(currency) ?? new Set()).add(method));
    }
  }
  const order: readonly string[] = paymentMethods;
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a === 'USD' ? -1 : b === 'USD' ? 1 : a.localeCompare(b)))
    .map(([currency, methods]) => ({
      currency,
      rows: [...methods]
        .sort((a, b) => order.indexOf(a) - order.indexOf(b))
        .map((method) => {
          const cents = counters.map((c) => c[`loss:${method}:${currency}`] ?? 0);
          return { method, cents, totalCents: cents.reduce((s, n) => s + n, 0) };
        })
        .filter((r) => r.totalCents > 0),
    }));
}

/** Builds the dashboard from the week counters (oldest first), claim counts and top identifiers. */
export function assembleDashboard(input: {
  now: Date;
  weeks: string[];
  weekCounters: readonly Record<string, number>[];
  claimCounts: readonly { key: string; n: number }[];
  poolNames: ReadonlyMap<string, string>;
  topIdentifiers: Dashboard['topIdentifiers'];
}): Dashboard {
  const { weeks, weekCounters } = input;
  const pools = new Map<string, Dashboard['claimsByStatus'][number]>();
  for (const { key, n } of input.claimCounts) {
    const [pool = 'none', status] = key.split('#');
    if (!status || n === 0) continue;
    let row = pools.get(pool);
    if (!row) {
      const poolId = pool === 'none' ? null : pool;
      const name = poolId ? input.poolNames.get(poolId) : undefined;
      row = { poolId, ...(name ? { poolName: name } : {}), counts: {}, total: 0 };
      pools.set(pool, row);
    }
    const s = status as ClaimStatus;
    row.counts[s] = (row.counts[s] ?? 0) + n;
    row.total += n;
  }
  return {
    generatedAt: input.now.toISOString(),
    weeks,
    reportsPerWeek: weekCounters.map((c) => c['reports'] ?? 0),
    byCategory: series(weeks, weekCounters, 'category:', categories),
    byPaymentMethod: series(weeks, weekCounters, 'method:', [...paymentMethods, 'none']),
    byAgeRange: series(weeks, weekCounters, 'age:', [...ageRanges, 'unknown']),
    lossesByPaymentMethod: losses(weekCounters),
    claimsByStatus: [...pools.values()].sort((a, b) => (a.poolId ?? '~').localeCompare(b.poolId ?? '~')),
    topIdentifiers: input.topIdentifiers,
  };
}
