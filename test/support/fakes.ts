/**
 * In-memory stand-ins for the stores and queue the use cases depend on (the interfaces they own,
 * gathered in functions/provided.ts), for handler tests. They keep state the way the repositories
 * do (create-if-absent, version checks, one partition per identifier shared by reports, claims and
 * seized-identifier markers), log every call in order, and can be told to fail a method or to run
 * something just before one (a racing writer). Keys and DynamoDB write order are the integration
 * tests' business, not these.
 */

import { createHash, randomBytes } from 'node:crypto';
import { encryptionSdkVault, localKeyring } from '#functions/payout-vault.ts';
import type {
  ClaimStore,
  Dependencies,
  PoolsStore,
  ReportStore,
  SharedIndicatorStore,
  StatsStore,
} from '#functions/provided.ts';
import type { AuditEntry } from '#shared/domain/audit.ts';
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
import type { DocumentState, FollowUpAnswer, FollowUpDocument } from '#shared/domain/follow-up.ts';
import type { IndicatorType } from '#shared/domain/indicators/types.ts';
import { type MailIntent, mailToken } from '#shared/domain/mail.ts';
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
import type { LedgerClaim } from '#shared/domain/rounds.ts';
import type { ExportJob, ExportPartRecord } from '#shared/domain/sharing/export-job.ts';
import { indicatorId } from '#shared/domain/sharing/stix.ts';
import { type ShareableType, summarise } from '#shared/domain/sharing/summary.ts';
import type { DistributionJobV1 } from '#shared/messages/distribution-job.ts';
import type { ReportReceivedV1 } from '#shared/messages/report-received.ts';
import type { SharingExportV1 } from '#shared/messages/sharing-export.ts';
import type { AuditStore } from '#shared/use-cases/audit-trail.ts';
import type { ClaimContactIndex } from '#shared/use-cases/claim-flags.ts';
import type {
  ArtefactStore,
  DistributionHeader,
  DistributionStore,
  JobQueue,
} from '#shared/use-cases/distribute.ts';
import type { ExportFileStore, ExportJobStore, ExportQueue } from '#shared/use-cases/export-job.ts';
import type { FollowUp, FollowUpStore, PresignedUpload, UploadBucket } from '#shared/use-cases/follow-up.ts';
import type { FailureCounter } from '#shared/use-cases/guess-guard.ts';
import type { PayoutVault } from '#shared/use-cases/payout-vault.ts';
import type { IndicatorSummary } from '#shared/use-cases/read-reports.ts';
import type {
  MailLedger,
  MailOutbox,
  MailOutcome,
  MailTransport,
  OutgoingMail,
} from '#shared/use-cases/send-mail.ts';
import type { ReportQueue } from '#shared/use-cases/submit-report.ts';
import type { SharedIndicatorVersion } from '#shared/use-cases/taxii.ts';

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

  async received(reportId: string): Promise<{ receivedAt: string; content: ReportContent } | undefined> {
    await this.step('received');
    const report = this.items.get(reportId);
    return report ? copy({ receivedAt: report.receivedAt, content: report.content }) : undefined;
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

  async indicatorSummary(type: IndicatorType, value: string): Promise<IndicatorSummary> {
    await this.step('indicatorSummary');
    const entries = this.world.entries(type, value);
    const reports = entries.flatMap((e) => (e.kind === 'REPORT' ? [e.link] : []));
    const paidByCurrency: Record<string, number> = {};
    for (const r of reports)
      for (const p of r.paid) paidByCurrency[p.currency] = (paidByCurrency[p.currency] ?? 0) + p.amountCents;
    return {
      reports: reports.length,
      paidByCurrency,
      consentingToContact: reports.filter((r) => r.contactAboutRecovery).length,
      claims: entries.filter((e) => e.kind === 'CLAIM').length,
    };
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

  async lockDistribution(poolId: string, distributionId: string, previous?: string): Promise<boolean> {
    await this.step('lockDistribution');
    const p = this.items.get(poolId);
    const holder = p?.activeDistributionId;
    if (!p || (holder !== undefined && holder !== distributionId && holder !== previous)) return false;
    if (previous !== undefined && holder === undefined) return false;
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

  async invitation(poolId: string, reportId: string): Promise<Invitation | undefined> {
    await this.step('invitation');
    const inv = this.invitations.get(`${poolId}|${reportId}`);
    return inv ? copy(inv) : undefined;
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

  // The fakes keep no dashboard moves on claims: FakeStats is moved by the tests that need it.
  async pendingClaimCounts(): Promise<string[]> {
    return [];
  }

  async claimCountMoves(): Promise<undefined> {
    return undefined;
  }

  async clearClaimCountMoves(): Promise<boolean> {
    return true;
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
    if (change.claimant !== undefined) next.claimant = change.claimant;
    if (change.paymentDetailsUpdatedAt !== undefined)
      next.paymentDetailsUpdatedAt = change.paymentDetailsUpdatedAt;
    if (change.addPaidCents !== undefined) next.paidCents = (stored.paidCents ?? 0) + change.addPaidCents;
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

  async countForPool(poolId: string): Promise<number> {
    await this.step('countForPool');
    return [...this.items.values()].filter((c) => c.poolId === poolId).length;
  }

  async ledgerPage(poolId: string, opts: Opts): Promise<Page<LedgerClaim>> {
    await this.step('ledgerPage');
    const rows: LedgerClaim[] = [...this.items.values()]
      .filter((c) => c.poolId === poolId)
      .sort((a, b) => (a.claimId < b.claimId ? -1 : 1))
      .map((c) => ({
        claimId: c.claimId,
        status: c.status,
        version: c.version,
        ...(c.recognizedLossCents !== undefined ? { recognizedLossCents: c.recognizedLossCents } : {}),
        ...(c.paidCents !== undefined ? { paidCents: c.paidCents } : {}),
        ...(c.payout
          ? {
              payout: {
                distributionId: c.payout.distributionId,
                payoutCents: c.payout.payoutCents,
                ...(c.payout.state ? { state: c.payout.state } : {}),
                ...(c.payout.returnedAt ? { returnedAt: c.payout.returnedAt } : {}),
              },
            }
          : {}),
        ...(c.paymentDetailsUpdatedAt ? { paymentDetailsUpdatedAt: c.paymentDetailsUpdatedAt } : {}),
      }));
    return pageOf(rows, opts, `ledger:${poolId}`);
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

  constructor(world: Fakes) {
    super('distributions', world);
  }

  seed(header: DistributionHeader): void {
    this.headers.set(`${header.poolId}|${header.distributionId}`, copy(header));
  }

  async create(header: DistributionHeader): Promise<void> {
    await this.step('create');
    if (this.headers.has(`${header.poolId}|${header.distributionId}`)) throw new Error('plan exists');
    this.seed(header);
  }

  async getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined> {
    await this.step('getHeader');
    const h = this.headers.get(`${poolId}|${distributionId}`);
    return h && copy(h);
  }

  async update(
    poolId: string,
    distributionId: string,
    fields: Partial<DistributionHeader>,
    expected: Parameters<DistributionStore['update']>[3],
  ): Promise<boolean> {
    await this.step('update');
    const h = this.headers.get(`${poolId}|${distributionId}`);
    if (!h) return false;
    if (expected.status !== undefined && h.status !== expected.status) return false;
    if (expected.jobStep !== undefined && h.job.step !== expected.jobStep) return false;
    if (expected.resultsFiles === null && h.results) return false;
    if (typeof expected.resultsFiles === 'number' && h.results?.files !== expected.resultsFiles) return false;
    if (expected.resultsStep !== undefined && h.results?.step !== expected.resultsStep) return false;
    if (expected.schedulingStep !== undefined && h.scheduling?.step !== expected.schedulingStep) return false;
    if (expected.paymentFileStep !== undefined && h.paymentFile?.step !== expected.paymentFileStep)
      return false;
    if (
      expected.checkingUpload !== undefined &&
      (h.resultsUpload?.uploadId !== expected.checkingUpload || h.resultsUpload.state !== 'CHECKING')
    )
      return false;
    for (const [k, v] of Object.entries(fields))
      if (v !== undefined) (h as unknown as Record<string, unknown>)[k] = copy(v);
    return true;
  }
}

/** S3 as the distribution use cases see it: whole objects by key. */
export class FakeArtefacts extends FakePart implements ArtefactStore {
  readonly objects = new Map<string, string>();
  readonly files = new Map<string, { body: Uint8Array; contentType: string; fileName: string }>();

  constructor(world: Fakes) {
    super('artefacts', world);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.step('putJson');
    this.objects.set(key, JSON.stringify(value));
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    await this.step('getJson');
    const text = this.objects.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async putFile(key: string, body: Uint8Array, contentType: string, fileName: string): Promise<void> {
    await this.step('putFile');
    this.files.set(key, { body: new Uint8Array(body), contentType, fileName });
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    await this.step('getBytes');
    return this.files.get(key)?.body;
  }

  async size(key: string): Promise<number | undefined> {
    await this.step('size');
    return this.files.get(key)?.body.length;
  }

  async downloadLink(key: string, fileName: string): Promise<{ url: string; expiresAt: string }> {
    await this.step('downloadLink');
    return { url: `https://artefacts.example/${key}?as=${fileName}`, expiresAt: '2099-01-01T00:00:00.000Z' };
  }

  async presignUpload(key: string, contentType: string, maxBytes: number) {
    await this.step('presignUpload');
    return {
      url: 'https://artefacts.example/',
      fields: { key, 'Content-Type': contentType, max: String(maxBytes) },
      expiresAt: '2099-01-01T00:00:00.000Z',
    };
  }
}

/** A claim's answers and documents, by claim id. */
export class FakeFollowUps extends FakePart implements FollowUpStore {
  readonly items = new Map<string, FollowUp>();

  constructor(world: Fakes) {
    super('followUps', world);
  }

  #of(claimId: string): FollowUp {
    const f = this.items.get(claimId) ?? { documents: [], answers: [] };
    this.items.set(claimId, f);
    return f;
  }

  async get(claimId: string): Promise<FollowUp> {
    await this.step('get');
    return copy(this.#of(claimId));
  }

  async addDocument(claimId: string, doc: FollowUpDocument): Promise<void> {
    await this.step('addDocument');
    this.#of(claimId).documents.push(copy(doc));
  }

  async decideDocument(
    claimId: string,
    documentId: string,
    decision: { state: Exclude<DocumentState, 'UPLOAD_REQUESTED'>; reason?: string; sizeBytes?: number },
    at: string,
  ): Promise<boolean> {
    await this.step('decideDocument');
    const doc = this.#of(claimId).documents.find((d) => d.documentId === documentId);
    if (doc?.state !== 'UPLOAD_REQUESTED') return false;
    Object.assign(doc, decision, { decidedAt: at });
    return true;
  }

  async addAnswer(claimId: string, answer: FollowUpAnswer): Promise<void> {
    await this.step('addAnswer');
    this.#of(claimId).answers.push(copy(answer));
  }
}

/** The uploads bucket: objects by key, and the POSTs it signed. */
export class FakeUploads extends FakePart implements UploadBucket {
  readonly objects = new Map<string, { bytes: Uint8Array; type: string }>();
  readonly signed: { key: string; contentType: string; maxBytes: number }[] = [];

  constructor(world: Fakes) {
    super('uploads', world);
  }

  async presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload> {
    await this.step('presignUpload');
    this.signed.push({ key, contentType, maxBytes });
    return { url: 'https://uploads.example/', fields: { key, 'Content-Type': contentType, Policy: 'p' } };
  }

  async readStart(key: string, bytes: number): Promise<{ sizeBytes: number; start: Uint8Array } | undefined> {
    await this.step('readStart');
    const o = this.objects.get(key);
    return o ? { sizeBytes: o.bytes.length, start: o.bytes.subarray(0, bytes) } : undefined;
  }

  async copy(from: string, to: string, contentType: string): Promise<void> {
    await this.step('copy');
    const o = this.objects.get(from);
    if (o) this.objects.set(to, { bytes: o.bytes, type: contentType });
  }

  async remove(key: string): Promise<void> {
    await this.step('remove');
    this.objects.delete(key);
  }

  async downloadLink(key: string): Promise<string> {
    await this.step('downloadLink');
    return `https://uploads.example/${key}?signed`;
  }
}

export class FakeJobs extends FakePart implements JobQueue {
  readonly sent: DistributionJobV1[] = [];

  constructor(world: Fakes) {
    super('jobs', world);
  }

  async send(message: DistributionJobV1): Promise<void> {
    await this.step('send');
    this.sent.push(copy(message));
  }
}

/** Sharing export jobs by id, advanced under the same step condition as the repository. */
export class FakeExportJobs extends FakePart implements ExportJobStore {
  readonly items = new Map<string, ExportJob>();

  constructor(world: Fakes) {
    super('exportJobs', world);
  }

  async create(job: ExportJob): Promise<void> {
    await this.step('create');
    if (this.items.has(job.exportId)) throw new Error(`export ${job.exportId} exists`);
    this.items.set(job.exportId, copy(job));
  }

  async get(exportId: string): Promise<ExportJob | undefined> {
    await this.step('get');
    const job = this.items.get(exportId);
    return job ? copy(job) : undefined;
  }

  async advance(next: ExportJob, expectedStep: number): Promise<boolean> {
    await this.step('advance');
    if (this.items.get(next.exportId)?.step !== expectedStep) return false;
    this.items.set(next.exportId, copy(next));
    return true;
  }
}

/** S3 multipart uploads as the export job sees them: parts by number, assembled on complete. */
export class FakeExportFiles extends FakePart implements ExportFileStore {
  readonly uploads = new Map<string, { key: string; parts: Map<number, Uint8Array> }>();
  readonly files = new Map<string, Buffer>();
  #uploads = 0;

  constructor(world: Fakes) {
    super('exportFiles', world);
  }

  async begin(key: string): Promise<string> {
    await this.step('begin');
    const id = `upload-${++this.#uploads}`;
    this.uploads.set(id, { key, parts: new Map() });
    return id;
  }

  async writePart(key: string, uploadId: string, n: number, body: Uint8Array): Promise<string> {
    await this.step('writePart');
    const upload = this.uploads.get(uploadId);
    if (upload?.key !== key) throw new Error('NoSuchUpload');
    upload.parts.set(n, Buffer.from(body));
    return `"${createHash('md5').update(body).digest('hex')}"`;
  }

  async complete(
    key: string,
    uploadId: string,
    parts: readonly ExportPartRecord[],
  ): Promise<'done' | 'lost'> {
    await this.step('complete');
    const upload = this.uploads.get(uploadId);
    if (!upload) return this.files.has(key) ? 'done' : 'lost';
    const bodies: Uint8Array[] = [];
    for (const p of parts) {
      const body = upload.parts.get(p.n);
      if (!body || `"${createHash('md5').update(body).digest('hex')}"` !== p.etag) return 'lost';
      bodies.push(body);
    }
    this.files.set(key, Buffer.concat(bodies));
    this.uploads.delete(uploadId);
    return 'done';
  }

  async digest(key: string): Promise<{ size: number; sha256: string }> {
    await this.step('digest');
    const file = this.files.get(key);
    if (!file) throw new Error(`NoSuchKey ${key}`);
    return { size: file.byteLength, sha256: createHash('sha256').update(file).digest('hex') };
  }

  async downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string> {
    await this.step('downloadLink');
    return `https://exports.example/${key}?name=${fileName}&expires=${expiresInSeconds}`;
  }
}

export class FakeExportQueue extends FakePart implements ExportQueue {
  readonly sent: SharingExportV1[] = [];

  constructor(world: Fakes) {
    super('exportQueue', world);
  }

  async send(message: SharingExportV1): Promise<void> {
    await this.step('send');
    this.sent.push(copy(message));
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

  async tryAttempt(
    scope: string,
    clientHash: string,
    windowStart: number,
    limit: number,
    _expiresAt: number,
  ) {
    await this.step('tryAttempt');
    const k = `${scope}|${clientHash}|${windowStart}`;
    const n = this.counts.get(k) ?? this.startAt;
    if (n >= limit) return undefined;
    this.counts.set(k, n + 1);
    return n + 1;
  }

  async forgive(scope: string, clientHash: string, windowStart: number) {
    await this.step('forgive');
    const k = `${scope}|${clientHash}|${windowStart}`;
    const n = this.counts.get(k) ?? this.startAt;
    if (n > 0) this.counts.set(k, n - 1);
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

/** Shared-indicator summaries, recomputed from the world's identifier partitions as the real one does. */
export class FakeSharedIndicators extends FakePart implements SharedIndicatorStore {
  readonly items = new Map<string, SharedIndicatorVersion>();

  constructor(world: Fakes) {
    super('shared', world);
  }

  async refresh(type: ShareableType, value: string, now: string): Promise<boolean> {
    await this.step('refresh');
    const links = this.world.entries(type, value).flatMap((e) => (e.kind === 'REPORT' ? [e.link] : []));
    const summary = summarise(type, value, links);
    const id = indicatorId(type, value);
    const stored = this.items.get(id);
    if (!summary || (stored && stored.reportCount >= summary.reportCount)) return false;
    this.items.set(id, { ...summary, id, created: stored?.created ?? now, modified: now, dateAdded: now });
    return true;
  }

  #sorted(): SharedIndicatorVersion[] {
    return [...this.items.values()].sort((a, b) =>
      `${a.dateAdded}#${a.id}` < `${b.dateAdded}#${b.id}` ? -1 : 1,
    );
  }

  async page(opts: { afterKey?: string; until?: string; limit: number }) {
    await this.step('page');
    const after = this.#sorted().filter(
      (s) =>
        `${s.dateAdded}#${s.id}` > (opts.afterKey ?? '') &&
        (opts.until === undefined || s.dateAdded <= opts.until),
    );
    return { items: after.slice(0, opts.limit).map(copy), more: after.length > opts.limit };
  }

  async getMany(ids: readonly string[]) {
    await this.step('getMany');
    return this.#sorted()
      .filter((s) => ids.includes(s.id))
      .map(copy);
  }

  async count(opts: { from: string; to: string }) {
    await this.step('count');
    return this.#sorted().filter((s) => s.dateAdded >= opts.from && s.dateAdded <= opts.to).length;
  }
}

/**
 * The audit trail in memory. Not in `world.log`: handler tests about other things see only their
 * own stores; test/integration/audit.test.ts covers the real table.
 */
export class FakeAudit implements AuditStore {
  readonly entries: AuditEntry[] = [];
  failing: unknown;

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (this.failing) throw this.failing;
    this.entries.push(...copy(entries));
  }

  async search(q: Parameters<AuditStore['search']>[0]): Promise<Page<AuditEntry>> {
    const items = this.entries
      .filter(
        (e) =>
          (q.actor === undefined || e.actor.sub === q.actor) &&
          (q.subjectId === undefined || e.subjectId === q.subjectId) &&
          e.at >= q.from &&
          e.at <= `${q.to}\uffff`,
      )
      .sort((a, b) => (a.at < b.at ? 1 : -1))
      .slice(0, q.limit);
    return { items };
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

  async claimsMoved(token: string, from: ClaimPlace, to: ClaimPlace, n: number) {
    for (const { key, delta } of claimMoves(from, to))
      this.#addOnce(`claims|${key}`, token, { n: delta * n });
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
/**
 * The payout vault over the real Encryption SDK with a raw AES keyring (no AWS in it), so a
 * handler test sees real ciphertext; calls are logged without the number.
 */
export class FakePayoutVault extends FakePart implements PayoutVault {
  readonly #vault = encryptionSdkVault(localKeyring(randomBytes(32)));

  constructor(world: Fakes) {
    super('payoutVault', world);
  }

  async seal(claimId: string, accountNumber: string) {
    await this.step('seal');
    return this.#vault.seal(claimId, accountNumber);
  }

  async open(claimId: string, sealed: string) {
    await this.step('open');
    return this.#vault.open(claimId, sealed);
  }
}

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
  'refresh',
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
  'update',
  'putJson',
  'putFile',
  'recordFailure',
  'tryAttempt',
  'forgive',
  'send',
]);

/** The mail queue: intents in the order recorded; `failNext` makes the next record throw. */
export class FakeMailOutbox implements MailOutbox {
  readonly intents: MailIntent[] = [];
  failNext = false;

  async record(intents: readonly MailIntent[]) {
    if (this.failNext) {
      this.failNext = false;
      throw Object.assign(new Error('queue down'), {
        name: 'ServiceUnavailable',
        $metadata: { httpStatusCode: 503 },
      });
    }
    this.intents.push(...intents.map(copy));
  }
}

/** The mail ledger and suppression list, with the repository's conditions. */
export class FakeMailLedger implements MailLedger {
  readonly entries = new Map<
    string,
    { state: 'SENDING' | MailOutcome; attempt: string; leaseUntil: number }
  >();
  readonly suppressed = new Map<string, string>();

  async begin(mailId: string, attempt: string, now: Date, leaseSeconds: number) {
    const e = this.entries.get(mailId);
    const nowS = Math.floor(now.getTime() / 1000);
    if (!e || (e.state === 'SENDING' && e.leaseUntil < nowS)) {
      this.entries.set(mailId, { state: 'SENDING', attempt, leaseUntil: nowS + leaseSeconds });
      return 'go' as const;
    }
    return e.state === 'SENDING' ? ('busy' as const) : ('done' as const);
  }

  async finish(mailId: string, attempt: string, outcome: MailOutcome) {
    const e = this.entries.get(mailId);
    if (e?.attempt !== attempt) throw new Error(`${mailId} is not held by ${attempt}`);
    this.entries.set(mailId, { ...e, state: outcome });
  }

  async release(mailId: string, attempt: string) {
    const e = this.entries.get(mailId);
    if (e?.attempt === attempt && e.state === 'SENDING') e.leaseUntil = 0;
  }

  async confirmSent(token: string) {
    for (const [mailId, e] of this.entries) {
      if (mailToken(mailId) === token && e.state === 'SENDING') {
        this.entries.set(mailId, { ...e, state: 'SENT' });
        return true;
      }
    }
    return false;
  }

  async isSuppressed(address: string) {
    return this.suppressed.has(address.trim().toLowerCase());
  }

  async suppress(address: string, reason: string) {
    this.suppressed.set(address.trim().toLowerCase(), reason);
  }
}

/** Collects what would have been sent; `fail` makes sends throw it. */
export class FakeMailTransport implements MailTransport {
  readonly sent: OutgoingMail[] = [];
  fail: Error | undefined;

  async send(mail: OutgoingMail) {
    if (this.fail) throw this.fail;
    this.sent.push(copy(mail));
    return `fake-${this.sent.length}`;
  }
}

/** One world of stand-ins sharing a call log and the identifier partitions. */
export class Fakes {
  readonly log: string[] = [];
  readonly #index = new Map<string, Map<string, Entry>>();
  readonly reports = new FakeReports(this);
  readonly pools = new FakePools(this);
  readonly claims = new FakeClaims(this);
  readonly distributions = new FakeDistributions(this);
  readonly artefacts = new FakeArtefacts(this);
  readonly jobs = new FakeJobs(this);
  readonly exportJobs = new FakeExportJobs(this);
  readonly exportFiles = new FakeExportFiles(this);
  readonly exportQueue = new FakeExportQueue(this);
  readonly failures = new FakeFailures(this);
  readonly reportQueue = new FakeQueue(this);
  readonly sharedIndicators = new FakeSharedIndicators(this);
  readonly followUps = new FakeFollowUps(this);
  readonly uploads = new FakeUploads(this);
  readonly audit = new FakeAudit();
  readonly stats = new FakeStats();
  readonly contacts = new FakeContacts();
  readonly payoutVault = new FakePayoutVault(this);
  readonly mail = new FakeMailOutbox();
  readonly mailLedger = new FakeMailLedger();
  readonly mailTransport = new FakeMailTransport();

  /** What functions/provided.ts `provide` takes. */
  get deps(): Dependencies {
    return {
      reports: this.reports,
      pools: this.pools,
      claims: this.claims,
      distributions: this.distributions,
      failures: this.failures,
      reportQueue: this.reportQueue,
      sharedIndicators: this.sharedIndicators,
      audit: this.audit,
      artefacts: this.artefacts,
      jobs: this.jobs,
      exportJobs: this.exportJobs,
      exportFiles: this.exportFiles,
      exportQueue: this.exportQueue,
      followUps: this.followUps,
      uploads: this.uploads,
      stats: this.stats,
      contacts: this.contacts,
      payoutVault: this.payoutVault,
      mail: this.mail,
      mailLedger: this.mailLedger,
      mailTransport: this.mailTransport,
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
    this.artefacts.objects.clear();
    this.followUps.items.clear();
    this.uploads.objects.clear();
    this.uploads.signed.length = 0;
    this.jobs.sent.length = 0;
    this.reportQueue.sent.length = 0;
    this.sharedIndicators.items.clear();
    this.mail.intents.length = 0;
    this.mail.failNext = false;
    this.mailLedger.entries.clear();
    this.mailLedger.suppressed.clear();
    this.mailTransport.sent.length = 0;
    this.mailTransport.fail = undefined;
    for (const part of [
      this.sharedIndicators,
      this.reports,
      this.pools,
      this.claims,
      this.distributions,
      this.artefacts,
      this.followUps,
      this.uploads,
      this.jobs,
      this.failures,
      this.reportQueue,
    ]) {
      part.reset();
    }
  }
}
