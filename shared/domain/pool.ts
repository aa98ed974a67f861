/**
 * A restoration pool: money forfeited or seized in one case, the scammer identifiers it was seized
 * from, and the window in which victims may claim (28 CFR Part 9 remission; docs/domain.md).
 *
 * The pool's shape and the rules matching and claiming use. Kept free of parsing code (the schemas
 * and normalisers are in pool-schema.ts) so the enrichment consumer, which matches reports against
 * pools, loads none of it.
 */
import type { IndicatorType } from './indicators/types.ts';
import type { IndicatorLink, IndicatorRef } from './report-content.ts';

export const poolStatuses = ['OPEN', 'CLOSED'] as const;
export type PoolStatus = (typeof poolStatuses)[number];

/**
 * "Today" for a claim deadline, judged in the earliest time zone on Earth (UTC-12): a claim is on
 * time if the deadline has not passed anywhere, so nobody loses a day to their time zone.
 */
export function deadlineToday(now: Date): string {
  return new Date(now.getTime() - 12 * 3600_000).toISOString().slice(0, 10);
}

/** A pool's text in Spanish; any field left out is shown in English. */
export interface PoolSpanish {
  name?: string;
  description?: string;
  eligibility?: string;
}

/** Trimmed Spanish text, blank fields dropped; undefined when nothing is left. */
export function spanishText(es: PoolSpanish | undefined): PoolSpanish | undefined {
  if (!es) return undefined;
  const out: PoolSpanish = {};
  for (const k of ['name', 'description', 'eligibility'] as const) {
    const v = es[k]?.trim();
    if (v) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface Pool {
  poolId: string;
  name: string;
  caseNumber: string;
  court: string;
  description?: string;
  eligibility: string;
  es?: PoolSpanish;
  amountCents: number;
  currency: string;
  seizedIndicators: IndicatorRef[];
  claimDeadline: string;
  minimumPayoutCents: number;
  status: PoolStatus;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedBy?: string;
  updatedAt?: string;
  /** The plan approved last: a later round must be computed on top of it (after its release). */
  activeDistributionId?: string;
  /** Who last changed `amountCents` after creation; may not approve a plan spending it. */
  amountChangedBy?: string;
}

/** Whether victims may still claim against the pool. */
export function isOpen(pool: Pick<Pool, 'status' | 'claimDeadline'>, now: Date): boolean {
  return pool.status === 'OPEN' && pool.claimDeadline >= deadlineToday(now);
}

export const indicatorKeyOf = (ref: { type: string; value: string }): string =>
  `${ref.type}\u0000${ref.value}`;

/** Identifiers added to and removed from a pool's seizure list by an edit. */
export function seizedChanges(before: readonly IndicatorRef[], after: readonly IndicatorRef[]) {
  const had = new Set(before.map(indicatorKeyOf));
  const has = new Set(after.map(indicatorKeyOf));
  return {
    added: after.filter((r) => !had.has(indicatorKeyOf(r))),
    removed: before.filter((r) => !has.has(indicatorKeyOf(r))),
  };
}

/** What the public sees of an open pool: no seized identifiers, no staff names. */
export type PublicPool = Pick<
  Pool,
  | 'poolId'
  | 'name'
  | 'caseNumber'
  | 'court'
  | 'description'
  | 'eligibility'
  | 'es'
  | 'amountCents'
  | 'currency'
  | 'claimDeadline'
>;

export function toPublicPool(p: Pool): PublicPool {
  return {
    poolId: p.poolId,
    name: p.name,
    caseNumber: p.caseNumber,
    court: p.court,
    ...(p.description ? { description: p.description } : {}),
    eligibility: p.eligibility,
    ...(p.es ? { es: { ...p.es } } : {}),
    amountCents: p.amountCents,
    currency: p.currency,
    claimDeadline: p.claimDeadline,
  };
}

/**
 * Which of an identifier's roles count as a match. Payments count for every type. Phones, emails,
 * websites and social handles cannot receive money directly, so for a seized identifier of those
 * types, having been contacted through it counts too (same scheme, same victims).
 */
const CONTACT_TYPES: ReadonlySet<IndicatorType> = new Set(['phone', 'email', 'domain', 'social-handle']);

export function linkMatches(type: IndicatorType, roles: readonly ('payment' | 'contact')[]): boolean {
  return roles.includes('payment') || (CONTACT_TYPES.has(type) && roles.includes('contact'));
}

/** What a pool can match through an identifier: a victim's report or a filed claim. */
export type MatchKind = 'REPORT' | 'CLAIM';

/** A report or claim linked to one identifier. */
export interface LinkedSubject {
  kind: MatchKind;
  id: string;
  roles: IndicatorLink['roles'];
  paid: IndicatorLink['paid'];
  /** Reports: whether the filer agreed to be contacted about recovered money. */
  contactAboutRecovery?: boolean;
  /** Report received / claim filed. */
  at: string;
}

/** A report or claim that names an identifier the pool seized. */
export interface PoolMatch {
  poolId: string;
  kind: MatchKind;
  subjectId: string;
  indicator: IndicatorRef;
  roles: IndicatorLink['roles'];
  paid: IndicatorLink['paid'];
  contactAboutRecovery?: boolean;
  at: string;
  matchedAt: string;
}

/** The one invitation to claim from a pool that a matched report's filer gets. */
export interface Invitation {
  poolId: string;
  reportId: string;
  code: string;
  createdAt: string;
  /** The claim filed with this code, once one is. */
  claimId?: string;
}
