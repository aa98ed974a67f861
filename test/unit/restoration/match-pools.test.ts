/**
 * Matching, both ways, against an in-memory store that behaves like the index: partitions keyed
 * by identifier, one invitation per (pool, report), identical overwrites for matches.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorType } from '#shared/domain/indicators/types.ts';
import type { Invitation, LinkedSubject, Pool, PoolMatch } from '#shared/domain/pool.ts';
import type { IndicatorLink, IndicatorRef } from '#shared/domain/report-content.ts';
import { type MatchStore, matchPool, matchSubject } from '#shared/use-cases/match-pools.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const W1: IndicatorRef = { type: 'crypto-wallet', value: 'btc:w1', display: 'w1' };
const W2: IndicatorRef = { type: 'crypto-wallet', value: 'btc:w2', display: 'w2' };
const PHONE: IndicatorRef = { type: 'phone', value: '+12025550143', display: '+1 202 555 0143' };

class FakeIndex implements MatchStore {
  readonly pools = new Map<string, Pool>();
  readonly partitions = new Map<string, LinkedSubject[]>();
  readonly markers = new Map<string, Set<string>>();
  readonly matches = new Map<string, PoolMatch>();
  readonly invitations = new Map<string, Invitation>();
  readonly calls: string[] = [];

  link(ref: IndicatorRef, subject: LinkedSubject) {
    const k = `${ref.type}#${ref.value}`;
    this.partitions.set(k, [...(this.partitions.get(k) ?? []), subject]);
  }
  async get(poolId: string) {
    return this.pools.get(poolId);
  }
  async putSeizedMarker(poolId: string, ref: IndicatorRef) {
    this.calls.push('putSeizedMarker');
    const k = `${ref.type}#${ref.value}`;
    this.markers.set(k, new Set([...(this.markers.get(k) ?? []), poolId]));
  }
  async deleteSeizedMarker(poolId: string, ref: IndicatorRef) {
    this.markers.get(`${ref.type}#${ref.value}`)?.delete(poolId);
  }
  async poolsSeizing(type: IndicatorType, value: string) {
    return [...(this.markers.get(`${type}#${value}`) ?? [])];
  }
  async linkedSubjects(type: IndicatorType, value: string) {
    this.calls.push('linkedSubjects');
    return this.partitions.get(`${type}#${value}`) ?? [];
  }
  async putMatches(matches: readonly PoolMatch[]) {
    for (const m of matches)
      this.matches.set(`${m.poolId}|${m.kind}|${m.subjectId}|${m.indicator.type}|${m.indicator.value}`, m);
  }
  async deleteMatchesExcept(poolId: string, keep: readonly IndicatorRef[]) {
    let n = 0;
    for (const [k, m] of this.matches) {
      if (
        m.poolId !== poolId ||
        keep.some((r) => r.type === m.indicator.type && r.value === m.indicator.value)
      )
        continue;
      this.matches.delete(k);
      n++;
    }
    return n;
  }
  async putInvitation(inv: Invitation) {
    const k = `${inv.poolId}|${inv.reportId}`;
    if (this.invitations.has(k)) return false;
    this.invitations.set(k, inv);
    return true;
  }
}

const pool = (over: Partial<Pool> = {}): Pool => ({
  poolId: 'POOL-A',
  name: 'A',
  caseNumber: '1',
  court: 'c',
  eligibility: 'e',
  amountCents: 100,
  currency: 'USD',
  seizedIndicators: [W1, PHONE],
  claimDeadline: '2026-12-31',
  minimumPayoutCents: 10,
  status: 'OPEN',
  version: 1,
  createdBy: 'a',
  createdAt: NOW.toISOString(),
  ...over,
});

const report = (
  id: string,
  consent: boolean,
  roles: LinkedSubject['roles'] = ['payment'],
): LinkedSubject => ({
  kind: 'REPORT',
  id,
  roles,
  paid: roles.includes('payment') ? [{ currency: 'USD', amountCents: 500 }] : [],
  contactAboutRecovery: consent,
  at: NOW.toISOString(),
});

function setup(claimed: string[] = []) {
  const index = new FakeIndex();
  const deps = {
    pools: index,
    claims: { reportHasClaim: async (id: string) => claimed.includes(id) },
    now: () => NOW,
  };
  return { index, deps };
}

describe('matchPool (pool side)', () => {
  it('matches reports and claims that paid a seized identifier and invites only consenting, unclaimed victims', async () => {
    const { index, deps } = setup(['R3']);
    index.link(W1, report('R1', true));
    index.link(W1, report('R2', false));
    index.link(W1, report('R3', true)); // already claimed
    index.link(W1, {
      kind: 'CLAIM',
      id: 'C1',
      roles: ['payment'],
      paid: [{ currency: 'USD', amountCents: 9 }],
      at: 'x',
    });
    index.link(W2, report('R9', true)); // not seized
    index.link(PHONE, report('R4', true, ['contact'])); // contacted through a seized phone
    const p = pool();
    index.pools.set(p.poolId, p);

    const summary = await matchPool(p, deps);
    expect(summary).toMatchObject({ matchedReports: 4, matchedClaims: 1, matches: 5, invitationsCreated: 2 });
    expect([...index.invitations.keys()].sort()).toEqual(['POOL-A|R1', 'POOL-A|R4']);
    // Markers are written before any partition is read (see the race note in match-pools.ts).
    expect(index.calls.lastIndexOf('putSeizedMarker')).toBeLessThan(index.calls.indexOf('linkedSubjects'));

    // Running it again changes nothing: same matches, no second invitation.
    const again = await matchPool(p, deps);
    expect(again.invitationsCreated).toBe(0);
    expect(index.matches.size).toBe(5);
  });

  it('does not invite for a closed pool, but still records its matches', async () => {
    const { index, deps } = setup();
    index.link(W1, report('R1', true));
    const summary = await matchPool(pool({ status: 'CLOSED' }), deps);
    expect(summary).toMatchObject({ matches: 1, invitationsCreated: 0 });
  });

  it('removes the marker and the matches of an identifier taken off the list', async () => {
    const { index, deps } = setup();
    index.link(W1, report('R1', true));
    index.link(PHONE, report('R4', true, ['contact']));
    const before = pool();
    await matchPool(before, deps);
    const after = pool({ seizedIndicators: [PHONE] });
    const summary = await matchPool(after, deps, { removed: [W1] });
    expect(summary.removedMatches).toBe(1);
    expect([...index.matches.values()].map((m) => m.subjectId)).toEqual(['R4']);
    expect(await index.poolsSeizing(W1.type, W1.value)).toEqual([]);
  });
});

describe('matchSubject (report or claim side)', () => {
  const link = (ref: IndicatorRef, roles: IndicatorLink['roles'] = ['payment']): IndicatorLink => ({
    ...ref,
    roles,
    paid: [{ currency: 'USD', amountCents: 700 }],
    paymentIndexes: [0],
  });

  it('matches a new report against open pools that still seize its identifier, and invites once', async () => {
    const { index, deps } = setup();
    const open = pool();
    const closed = pool({ poolId: 'POOL-B', status: 'CLOSED' });
    const edited = pool({ poolId: 'POOL-C', seizedIndicators: [PHONE] }); // stale marker on W1
    for (const p of [open, closed, edited]) {
      index.pools.set(p.poolId, p);
      await index.putSeizedMarker(p.poolId, W1);
    }
    const subject = {
      kind: 'REPORT' as const,
      id: 'R1',
      at: NOW.toISOString(),
      links: [link(W1)],
      contactAboutRecovery: true,
    };
    const result = await matchSubject(subject, deps);
    expect(result).toEqual({ poolIds: ['POOL-A'], matches: 1, invitationsCreated: 1 });
    expect((await matchSubject(subject, deps)).invitationsCreated).toBe(0);
  });

  it('ignores contact-only links to wallets and invites nobody for a claim or a report without consent', async () => {
    const { index, deps } = setup();
    index.pools.set('POOL-A', pool());
    await index.putSeizedMarker('POOL-A', W1);
    const contactOnly = await matchSubject(
      { kind: 'REPORT', id: 'R1', at: 'x', links: [link(W1, ['contact'])], contactAboutRecovery: true },
      deps,
    );
    expect(contactOnly.matches).toBe(0);
    const claim = await matchSubject({ kind: 'CLAIM', id: 'C1', at: 'x', links: [link(W1)] }, deps);
    expect(claim).toEqual({ poolIds: ['POOL-A'], matches: 1, invitationsCreated: 0 });
    const silent = await matchSubject(
      { kind: 'REPORT', id: 'R2', at: 'x', links: [link(W1)], contactAboutRecovery: false },
      deps,
    );
    expect(silent.invitationsCreated).toBe(0);
  });
});
