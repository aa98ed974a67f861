/**
 * In-memory stand-ins for the stores and queue the use cases depend on (the interfaces they own,
 * gathered in functions/provided.ts), for handler tests. They keep state the way the repositories
 * do (create-if-absent, version checks, one partition per identifier shared by reports, claims and
 * seized-identifier markers), log every call in order, and can be told to fail a method or to run
 * something just before one (a racing writer). Keys and DynamoDB write order are the integration
 * tests' business, not these.
 */

import type { ClaimStore, Dependencies, PoolsStore, ReportStore, StatsStore } from '#functions/provided.ts';
import type {
  ApprovedClaimRow,
  Claim,
  ClaimStatus,
  ClaimTransition,
  LinkedClaim,
} from '#shared/domain/claim.ts';
import {
  type ContactKey,
  type ContactNeighbour,
  claimantIdentity,
  contactKeysOf,
} from '#shared/domain/claim-flags.ts';
import { type ClaimPlace, claimMoves } from '#shared/domain/dashboard.ts';
import { ConflictError, ValidationError } from '#shared/domain/errors.ts';
import type { IndicatorType } from '#shared/domain/indicators/types.ts';
import type { Page } from '#shared/domain/page.ts';
import type { Invitation, LinkedSubject, MatchKind, Pool, PoolMatch } from '#shared/domain/pool.ts';
import {
  type IndicatorLink,
  type IndicatorRef,
  type LinkedReport,
  paymentLinksOf,
  type ReportContent,
  type StoredReport,
  totalsByCurrency,
} from '#shared/domain/report-content.ts';
import type { ReportReceivedV1 } from '#shared/messages/report-received.ts';
import type { ClaimContactIndex } from '#shared/use-cases/claim-flags.ts';
import type { DistributionHeader, DistributionStore, PlanLine } from '#shared/use-cases/distribute.ts';
import type { FailureCounter } from '#shared/use-cases/guess-guard.ts';
import type { ReportQueue } from '#shared/use-cases/submit-report.ts';

type Opts = { limit: number; cursor?: string };

const copy = <T>(v: T): T => structuredClone(v);
const idKey = (type: string, value: string) => `${type}\u0000${value}`;

/** Offset cursors tied to one listing; anything else coming back is the same 400 as the real one. */
function pageOf<T>(all: readonly T[], opts: Opts, scope: string): Page<T> {
  let start = 0;
  if (opts.cursor !== undefined) {
    let c: { s?: unknown; i?: unknown } | undefined;
    try {
      c = JSON.parse(Buffer.from(opts.cursor, 'base64url').toString('utf8'));
    } catch {
      c = undefined;
    }
    if (!c || c.s !== scope || typeof c.i !== 'number') {
      throw new ValidationError([
        { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
      ]);
    }
    start = c.i;
  }
  const items = all.slice(start, start + opts.limit).map(copy);
  const next = start + opts.limit;
  if (next >= all.length) return { items };
  return { items, cursor: Buffer.from(JSON.stringify({ s: scope, i: next })).toString('base64url') };
}

type Entry =
  | { kind: 'REPORT'; id: string; link: LinkedReport }
  | { kind: 'CLAIM'; id: string; link: LinkedClaim & { roles: IndicatorLink['roles'] } }
  | { kind: 'POOL'; id: string };

abstract class FakePart {
  readonly #name: string;
  protected readonly world: Fakes;
  #failing = new Map<string, unknown>();
  #before = new Map<string, () => void | Promise<void>>();

  constructor(name: string, world: Fakes) {
    this.#name = name;
    this.world = world;
  }

  /** Every later call of `method` throws `error`. */
  failOn(method: string, error: unknown = new Error(`${method} failed`)): void {
    this.#failing.set(method, error);
  }

  /** Runs `fn` once, just before the next call of `method` does its work (another writer's race). */
  before(method: string, fn: () => void | Promise<void>): void {
    this.#before.set(method, fn);
  }

  protected async step(method: string): Promise<void> {
    this.world.log.push(`${this.#name}.${method}`);
    const hook = this.#before.get(method);
    if (hook) {
      this.#before.delete(method);
      await hook();
    }
    if (this.#failing.has(method)) throw this.#failing.get(method);
  }

  reset(): void {
    this.#failing.clear();
    this.#before.clear();
  }
}

export class FakeReports extends FakePart implements ReportStore {
  readonly items = new Map<string, StoredReport>();

  constructor(world: Fakes) {
    super('reports', world);
  }

  seed(report: StoredReport): void {
    this.items.set(report.reportId, copy(report));
  }

  async putReceived(reportId: string, receivedAt: string, content: ReportContent): Promise<boolean> {
    await this.step('putReceived');
    if (this.items.has(reportId)) return false;
    this.seed({
      reportId,
      status: 'RECEIVED',
      receivedAt,
      content,
      lossByCurrency: totalsByCurrency(content.payments),
    });
    return true;
  }

  async putLinks(
    reportId: string,
    receivedAt: string,
    content: ReportContent,
    links: readonly IndicatorLink[],
  ): Promise<void> {
    await this.step('putLinks');
    for (const l of links) {
      this.world.index(l.type, l.value).set(`REPORT#${reportId}`, {
        kind: 'REPORT',
        id: reportId,
        link: {
          reportId,
          receivedAt,
          category: content.incident.category,
          roles: l.roles,
          paid: l.paid,
          contactAboutRecovery: content.consents.contactAboutRecovery,
          shareWithLawEnforcement: content.consents.shareWithLawEnforcement,
        },
      });
    }
  }

  async markEnriched(reportId: string, receivedAt: string, content: ReportContent, enrichedAt: string) {
    await this.step('markEnriched');
    const stored = this.items.get(reportId) ?? {
      reportId,
      status: 'RECEIVED' as const,
      receivedAt,
      content,
      lossByCurrency: totalsByCurrency(content.payments),
    };
    this.items.set(reportId, { ...stored, status: 'ENRICHED', enrichedAt: stored.enrichedAt ?? enrichedAt });
  }

  async get(reportId: string): Promise<StoredReport | undefined> {
    await this.step('get');
    const r = this.items.get(reportId);
    return r && copy(r);
  }

  async getMany(reportIds: readonly string[]): Promise<StoredReport[]> {
    await this.step('getMany');
    return reportIds.flatMap((id) => (this.items.has(id) ? [copy(this.items.get(id)!)] : []));
  }

  async linkedReports(type: IndicatorType, value: string, opts: Opts): Promise<Page<LinkedReport>> {
    await this.step('linkedReports');
    const links = this.world.entries(type, value).flatMap((e) => (e.kind === 'REPORT' ? [e.link] : []));
    return pageOf(links, opts, `reports:${idKey(type, value)}`);
  }

  async searchByTime(opts: {
    from: string;
    to: string;
    category?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<StoredReport>> {
    await this.step('searchByTime');
    const found = [...this.items.values()]
      .filter((r) => r.receivedAt >= opts.from && r.receivedAt <= opts.to)
      .filter((r) => !opts.category || r.content.incident.category === opts.category)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
    return pageOf(found, opts, `search:${opts.from}:${opts.to}:${opts.category ?? ''}`);
  }
}

export class FakePools extends FakePart implements PoolsStore {
  readonly items = new Map<string, Pool>();
  readonly matches = new Map<string, PoolMatch>();
  readonly invitations = new Map<string, Invitation>();

  constructor(world: Fakes) {
    super('pools', world);
  }

  seed(pool: Pool): void {
    this.items.set(pool.poolId, copy(pool));
  }

  async create(pool: Pool): Promise<void> {
    await this.step('create');
    if (this.items.has(pool.poolId)) throw new Error(`pool ${pool.poolId} exists`);
    this.seed(pool);
  }

  async get(poolId: string): Promise<Pool | undefined> {
    await this.step('get');
    const p = this.items.get(poolId);
    return p && copy(p);
  }

  async replace(pool: Pool, expectedVersion: number): Promise<void> {
    await this.step('replace');
    if (this.items.get(pool.poolId)?.version !== expectedVersion) {
      throw new ConflictError(
        'Someone else changed this pool while you were editing it. Reload it and make your change again.',
        'POOL_CHANGED',
      );
    }
    this.seed(pool);
  }

  async lockDistribution(poolId: string, distributionId: string): Promise<boolean> {
    await this.step('lockDistribution');
    const p = this.items.get(poolId);
    if (!p || (p.activeDistributionId && p.activeDistributionId !== distributionId)) return false;
    p.activeDistributionId = distributionId;
    return true;
  }

  async listByDeadline(fromDate?: string): Promise<Pool[]> {
    await this.step('listByDeadline');
    const order = (p: Pool) => `${p.claimDeadline}#${p.poolId}`;
    return [...this.items.values()]
      .filter((p) => fromDate === undefined || p.claimDeadline >= fromDate)
      .sort((a, b) => (order(a) < order(b) ? -1 : 1))
      .map(copy);
  }

  async putSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await this.step('putSeizedMarker');
    this.world.index(ref.type, ref.value).set(`POOL#${poolId}`, { kind: 'POOL', id: poolId });
  }

  async deleteSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await this.step('deleteSeizedMarker');
    this.world.index(ref.type, ref.value).delete(`POOL#${poolId}`);
  }

  async poolsSeizing(type: IndicatorType, value: string): Promise<string[]> {
    await this.step('poolsSeizing');
    return this.world.entries(type, value).flatMap((e) => (e.kind === 'POOL' ? [e.id] : []));
  }

  async linkedSubjects(type: IndicatorType, value: string): Promise<LinkedSubject[]> {
    await this.step('linkedSubjects');
    return this.world.entries(type, value).flatMap((e): LinkedSubject[] => {
      if (e.kind === 'REPORT') {
        const { roles, paid, contactAboutRecovery, receivedAt } = e.link;
        return [{ kind: 'REPORT', id: e.id, roles, paid, contactAboutRecovery, at: receivedAt }];
      }
      if (e.kind === 'CLAIM')
        return [{ kind: 'CLAIM', id: e.id, roles: ['payment'], paid: e.link.paid, at: e.link.filedAt }];
      return [];
    });
  }

  async putMatches(matches: readonly PoolMatch[]): Promise<void> {
    await this.step('putMatches');
    for (const m of matches) {
      this.matches.set(
        [m.poolId, m.kind, m.subjectId, m.indicator.type, m.indicator.value].join('|'),
        copy(m),
      );
    }
  }

  async deleteMatchesExcept(poolId: string, keep: readonly IndicatorRef[]): Promise<number> {
    await this.step('deleteMatchesExcept');
    const kept = new Set(keep.map((r) => idKey(r.type, r.value)));
    let removed = 0;
    for (const [k, m] of this.matches) {
      if (m.poolId === poolId && !kept.has(idKey(m.indicator.type, m.indicator.value))) {
        this.matches.delete(k);
        removed += 1;
      }
    }
    return removed;
  }

  async listMatches(poolId: string, kind: MatchKind, opts: Opts): Promise<Page<PoolMatch>> {
    await this.step('listMatches');
    const found = [...this.matches.entries()]
      .filter(([, m]) => m.poolId === poolId && m.kind === kind)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, m]) => m);
    return pageOf(found, opts, `matches:${poolId}:${kind}`);
  }

  async putInvitation(inv: Invitation): Promise<boolean> {
    await this.step('putInvitation');
    const k = `${inv.poolId}|${inv.reportId}`;
    if (this.invitations.has(k)) return false;
    this.invitations.set(k, copy(inv));
    return true;
  }

  async invitationByCode(code: string): Promise<Invitation | undefined> {
    await this.step('invitationByCode');
    const inv = [...this.invitations.values()].find((i) => i.code === code);
    return inv && copy(inv);
  }

  async listInvitations(poolId: string): Promise<Invitation[]> {
    await this.step('listInvitations');
    return [...this.invitations.values()].filter((i) => i.poolId === poolId).map(copy);
  }

  async claimInvitation(inv: Invitation, claimId: string): Promise<string> {
    await this.step('claimInvitation');
    const stored = this.invitations.get(`${inv.poolId}|${inv.reportId}`);
    if (!stored) return claimId;
    stored.claimId ??= claimId;
    return stored.claimId;
  }
}

export class FakeClaims extends FakePart implements ClaimStore {
  readonly items = new Map<string, Claim>();
  /** `<reportId>|<claimId>`: "this report has a claim". */
  readonly reportMarkers = new Set<string>();

  constructor(world: Fakes) {
    super('claims', world);
  }

  seed(claim: Claim): void {
    this.items.set(claim.claimId, copy(claim));
  }

  async create(claim: Claim): Promise<void> {
    await this.step('create');
    if (this.items.has(claim.claimId)) throw new Error(`claim ${claim.claimId} exists`);
    this.seed(claim);
  }

  async get(claimId: string): Promise<Claim | undefined> {
    await this.step('get');
    const c = this.items.get(claimId);
    return c && copy(c);
  }

  async getMany(claimIds: readonly string[]): Promise<Map<string, Claim>> {
    await this.step('getMany');
    return new Map(claimIds.flatMap((id) => (this.items.has(id) ? [[id, copy(this.items.get(id)!)]] : [])));
  }

  async transition(expected: Claim, change: ClaimTransition, now: string): Promise<boolean> {
    await this.step('transition');
    const stored = this.items.get(expected.claimId);
    if (!stored || stored.version !== expected.version) return false;
    const next: Claim = { ...stored, version: stored.version + 1, updatedAt: now };
    if (change.status !== undefined) next.status = change.status;
    if (change.poolId !== undefined) next.poolId = change.poolId;
    if (change.recognizedLossCents !== undefined) next.recognizedLossCents = change.recognizedLossCents;
    else if (change.clearRecognizedLoss) delete next.recognizedLossCents;
    if (change.payout !== undefined) next.payout = change.payout;
    if (change.reconsideration !== undefined) next.reconsideration = change.reconsideration;
    if (change.flags !== undefined) next.flags = change.flags;
    if (change.timeline !== undefined) next.timeline = [...stored.timeline, change.timeline];
    if (change.decision !== undefined) next.decisions = [...stored.decisions, change.decision];
    this.seed(next);
    return true;
  }

  async transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void> {
    if (!(await this.transition(expected, change, now))) {
      throw new ConflictError(
        `Claim ${expected.claimId} changed while you were working on it. Reload it and try again.`,
        'CLAIM_CHANGED',
      );
    }
  }

  async putLinks(claim: Claim): Promise<void> {
    await this.step('putLinks');
    for (const l of paymentLinksOf(claim.payments)) {
      this.world.index(l.type, l.value).set(`CLAIM#${claim.claimId}`, {
        kind: 'CLAIM',
        id: claim.claimId,
        link: {
          claimId: claim.claimId,
          filedAt: claim.filedAt,
          ...(claim.poolId ? { poolId: claim.poolId } : {}),
          roles: l.roles,
          paid: l.paid,
        },
      });
    }
  }

  async putReportMarkers(claim: Claim): Promise<void> {
    await this.step('putReportMarkers');
    for (const reportId of claim.reportIds) this.reportMarkers.add(`${reportId}|${claim.claimId}`);
  }

  async reportHasClaim(reportId: string): Promise<boolean> {
    await this.step('reportHasClaim');
    return [...this.reportMarkers].some((m) => m.startsWith(`${reportId}|`));
  }

  async linkedClaims(type: IndicatorType, value: string, opts: Opts): Promise<Page<LinkedClaim>> {
    await this.step('linkedClaims');
    const links = this.world.entries(type, value).flatMap((e) =>
      e.kind === 'CLAIM'
        ? [
            {
              claimId: e.link.claimId,
              filedAt: e.link.filedAt,
              ...(e.link.poolId ? { poolId: e.link.poolId } : {}),
              paid: e.link.paid,
            },
          ]
        : [],
    );
    return pageOf(links, opts, `claims:${idKey(type, value)}`);
  }

  async queue(opts: {
    poolId?: string | null;
    status?: ClaimStatus;
    limit: number;
    cursor?: string;
  }): Promise<Page<Claim>> {
    await this.step('queue');
    const byPool = opts.poolId !== undefined;
    const status = byPool ? opts.status : (opts.status ?? 'SUBMITTED');
    const order = (c: Claim) =>
      byPool ? `${c.status}#${c.filedAt}#${c.claimId}` : `${c.filedAt}#${c.claimId}`;
    const found = [...this.items.values()]
      .filter((c) => !byPool || (c.poolId ?? null) === opts.poolId)
      .filter((c) => status === undefined || c.status === status)
      .sort((a, b) => (order(a) < order(b) ? -1 : 1));
    return pageOf(found, opts, `queue:${opts.poolId}:${status}`);
  }

  async approvedForPool(poolId: string): Promise<ApprovedClaimRow[]> {
    await this.step('approvedForPool');
    return [...this.items.values()]
      .filter((c) => c.poolId === poolId && c.status === 'APPROVED')
      .sort((a, b) => (a.claimId < b.claimId ? -1 : 1))
      .map((c) => ({
        claimId: c.claimId,
        recognizedLossCents: c.recognizedLossCents ?? 0,
        version: c.version,
      }));
  }
}

export class FakeDistributions extends FakePart implements DistributionStore {
  readonly headers = new Map<string, DistributionHeader>();
  readonly lines = new Map<string, PlanLine[]>();

  constructor(world: Fakes) {
    super('distributions', world);
  }

  seed(header: DistributionHeader, lines: readonly PlanLine[] = []): void {
    this.headers.set(`${header.poolId}|${header.distributionId}`, copy(header));
    this.lines.set(header.distributionId, copy([...lines]));
  }

  async putPlan(header: DistributionHeader, lines: readonly PlanLine[]): Promise<void> {
    await this.step('putPlan');
    if (this.headers.has(`${header.poolId}|${header.distributionId}`)) throw new Error('plan exists');
    this.seed(header, lines);
  }

  async getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined> {
    await this.step('getHeader');
    const h = this.headers.get(`${poolId}|${distributionId}`);
    return h && copy(h);
  }

  async approve(poolId: string, distributionId: string, by: string, at: string): Promise<boolean> {
    await this.step('approve');
    const h = this.headers.get(`${poolId}|${distributionId}`);
    if (h?.status !== 'PLANNED') return false;
    Object.assign(h, { status: 'APPROVED', approvedBy: by, approvedAt: at });
    return true;
  }

  async markScheduled(poolId: string, distributionId: string, at: string, held: readonly string[]) {
    await this.step('markScheduled');
    const h = this.headers.get(`${poolId}|${distributionId}`);
    if (h) Object.assign(h, { scheduledAt: h.scheduledAt ?? at, heldClaimIds: [...held] });
  }

  #sorted(distributionId: string, which: 'payouts' | 'excluded'): PlanLine[] {
    return (this.lines.get(distributionId) ?? [])
      .filter((l) => (which === 'excluded') === Boolean(l.excluded))
      .sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
  }

  async listLines(
    distributionId: string,
    which: 'payouts' | 'excluded',
    opts: Opts,
  ): Promise<Page<PlanLine>> {
    await this.step('listLines');
    return pageOf(this.#sorted(distributionId, which), opts, `lines:${distributionId}:${which}`);
  }

  async allLines(distributionId: string): Promise<PlanLine[]> {
    await this.step('allLines');
    return [...this.#sorted(distributionId, 'excluded'), ...this.#sorted(distributionId, 'payouts')].map(
      copy,
    );
  }
}

export class FakeFailures extends FakePart implements FailureCounter {
  /** `<scope>|<clientHash>|<windowStart>` -> failures counted. */
  readonly counts = new Map<string, number>();
  /** Failures every client starts a window with (to test the limit without many requests). */
  startAt = 0;

  constructor(world: Fakes) {
    super('failures', world);
  }

  async failures(scope: string, clientHash: string, windowStart: number): Promise<number> {
    await this.step('failures');
    return this.counts.get(`${scope}|${clientHash}|${windowStart}`) ?? this.startAt;
  }

  async recordFailure(scope: string, clientHash: string, windowStart: number, _expiresAt: number) {
    await this.step('recordFailure');
    const k = `${scope}|${clientHash}|${windowStart}`;
    const n = (this.counts.get(k) ?? this.startAt) + 1;
    this.counts.set(k, n);
    return n;
  }

  override reset(): void {
    super.reset();
    this.counts.clear();
    this.startAt = 0;
  }
}

export class FakeQueue extends FakePart implements ReportQueue {
  readonly sent: ReportReceivedV1[] = [];

  constructor(world: Fakes) {
    super('queue', world);
  }

  async send(message: ReportReceivedV1): Promise<void> {
    await this.step('send');
    this.sent.push(copy(message));
  }
}

/**
 * The dashboard's counters, in memory, with the same exactly-once rule as the stats repository:
 * each counter key remembers the tokens it counted. Not logged: the call log is about the stores
 * the other use cases assert on.
 */
export class FakeStats implements StatsStore {
  readonly counters = new Map<string, { n: Record<string, number>; seen: Set<string> }>();

  #addOnce(key: string, token: string, deltas: Readonly<Record<string, number>>) {
    const c = this.counters.get(key) ?? { n: {}, seen: new Set<string>() };
    this.counters.set(key, c);
    if (c.seen.has(token)) return;
    c.seen.add(token);
    for (const [k, v] of Object.entries(deltas)) c.n[k] = (c.n[k] ?? 0) + v;
  }

  async countReport(
    reportId: string,
    week: string,
    counters: Readonly<Record<string, number>>,
    identifiers: readonly { type: string; value: string }[],
  ) {
    this.#addOnce(`week|${week}`, reportId, counters);
    for (const id of identifiers) this.#addOnce(`id|${id.type}|${id.value}`, reportId, { n: 1 });
  }

  async claimMoved(claimId: string, version: number, from: ClaimPlace | undefined, to: ClaimPlace) {
    for (const { key, delta } of claimMoves(from, to))
      this.#addOnce(`claims|${key}`, `${claimId}@${version}`, { n: delta });
  }

  async weekCounters(week: string) {
    return { ...(this.counters.get(`week|${week}`)?.n ?? {}) };
  }

  async claimCounts() {
    return [...this.counters.entries()]
      .filter(([k]) => k.startsWith('claims|'))
      .map(([k, c]) => ({ key: k.slice('claims|'.length), n: c.n['n'] ?? 0 }));
  }

  async topIdentifiers(limit: number) {
    return [...this.counters.entries()]
      .filter(([k, c]) => k.startsWith('id|') && (c.n['n'] ?? 0) >= 2)
      .map(([k, c]) => {
        const [, type = '', value = ''] = k.split('|');
        return {
          type,
          display: value,
          reports: c.n['n'] ?? 0,
          href: `/v1/admin/indicators/${type}/${value}`,
        };
      })
      .sort((a, b) => b.reports - a.reports)
      .slice(0, limit);
  }
}

/** The claimant contact index, in memory. */
export class FakeContacts implements ClaimContactIndex {
  readonly items = new Map<string, Map<string, ContactNeighbour>>();

  async put(claim: Claim) {
    for (const key of contactKeysOf(claim)) {
      const k = `${key.kind}|${key.value}`;
      const m = this.items.get(k) ?? new Map<string, ContactNeighbour>();
      this.items.set(k, m);
      m.set(claim.claimId, {
        kind: key.kind,
        claimId: claim.claimId,
        ...(claim.poolId ? { poolId: claim.poolId } : {}),
        claimant: claimantIdentity(claim.claimant.name),
      });
    }
  }

  async neighbours(keys: readonly ContactKey[]) {
    return keys.flatMap((key) => [...(this.items.get(`${key.kind}|${key.value}`)?.values() ?? [])]);
  }
}

const WRITES = new Set([
  'putReceived',
  'putLinks',
  'markEnriched',
  'create',
  'replace',
  'lockDistribution',
  'putSeizedMarker',
  'deleteSeizedMarker',
  'putMatches',
  'deleteMatchesExcept',
  'putInvitation',
  'claimInvitation',
  'transition',
  'putReportMarkers',
  'putPlan',
  'approve',
  'markScheduled',
  'recordFailure',
  'send',
]);

/** One world of stand-ins sharing a call log and the identifier partitions. */
export class Fakes {
  readonly log: string[] = [];
  readonly #index = new Map<string, Map<string, Entry>>();
  readonly reports = new FakeReports(this);
  readonly pools = new FakePools(this);
  readonly claims = new FakeClaims(this);
  readonly distributions = new FakeDistributions(this);
  readonly failures = new FakeFailures(this);
  readonly reportQueue = new FakeQueue(this);
  readonly stats = new FakeStats();
  readonly contacts = new FakeContacts();

  /** What functions/provided.ts `provide` takes. */
  get deps(): Dependencies {
    return {
      reports: this.reports,
      pools: this.pools,
      claims: this.claims,
      distributions: this.distributions,
      failures: this.failures,
      reportQueue: this.reportQueue,
      stats: this.stats,
      contacts: this.contacts,
    };
  }

  index(type: string, value: string): Map<string, Entry> {
    const k = idKey(type, value);
    const m = this.#index.get(k) ?? new Map<string, Entry>();
    this.#index.set(k, m);
    return m;
  }

  /** One identifier's partition, in sort-key order (claims, pools, reports), like a Query. */
  entries(type: string, value: string): Entry[] {
    return [...this.index(type, value).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  }

  /** The write calls in the log, in order (reads are left out). */
  writes(): string[] {
    return this.log.filter((c) => WRITES.has(c.slice(c.indexOf('.') + 1)));
  }

  reset(): void {
    this.log.length = 0;
    this.#index.clear();
    this.reports.items.clear();
    this.pools.items.clear();
    this.pools.matches.clear();
    this.pools.invitations.clear();
    this.claims.items.clear();
    this.claims.reportMarkers.clear();
    this.distributions.headers.clear();
    this.distributions.lines.clear();
    this.reportQueue.sent.length = 0;
    for (const part of [
      this.reports,
      this.pools,
      this.claims,
      this.distributions,
      this.failures,
      this.reportQueue,
    ]) {
      part.reset();
    }
  }
}
