import { describe, expect, it } from 'vitest';
import type { Claim } from '#shared/domain/claim.ts';
import { claimantIdentity, flagsFor, normaliseAddress } from '#shared/domain/claim-flags.ts';
import {
  assembleDashboard,
  claimMoves,
  lastWeeks,
  reportCounters,
  shardOf,
  weekOf,
} from '#shared/domain/dashboard.ts';
import type { ReportContent } from '#shared/domain/report-content.ts';

const content = (over: Partial<ReportContent> = {}): ReportContent => ({
  filer: { ageRange: '70-79' },
  incident: { category: 'investment', narrative: 'x' },
  payments: [
    { amountCents: 100, currency: 'USD', method: 'wire-transfer' },
    { amountCents: 250, currency: 'USD', method: 'wire-transfer' },
    { amountCents: 900, currency: 'EUR', method: 'cryptocurrency' },
  ],
  scammer: { phones: [], emails: [], websites: [], socialHandles: [], namesUsed: [] },
  consents: { shareWithLawEnforcement: false, contactAboutRecovery: false },
  ...over,
});

describe('dashboard counters', () => {
  it('keys weeks by their Monday (UTC), Sunday night included', () => {
    expect(weekOf('2026-12-07T00:00:00Z')).toBe('2026-12-07'); // a Monday
    expect(weekOf('2026-12-13T23:59:59Z')).toBe('2026-12-07'); // the Sunday after
    expect(weekOf('2027-01-01T12:00:00Z')).toBe('2026-12-28');
    expect(lastWeeks(new Date('2026-12-09T10:00:00Z'), 3)).toEqual([
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
    ]);
  });

  it('counts a report once per method it used and sums its losses per method and currency', () => {
    expect(reportCounters(content())).toEqual({
      reports: 1,
      'category:investment': 1,
      'age:70-79': 1,
      'method:wire-transfer': 1,
      'method:cryptocurrency': 1,
      'loss:wire-transfer:USD': 350,
      'loss:cryptocurrency:EUR': 900,
    });
    expect(reportCounters(content({ filer: {}, payments: [] }))).toMatchObject({
      'age:unknown': 1,
      'method:none': 1,
    });
  });

  it('moves a claim out of its old programme/status and into the new one', () => {
    expect(claimMoves(undefined, { status: 'SUBMITTED' })).toEqual([{ key: 'none#SUBMITTED', delta: 1 }]);
    expect(claimMoves({ status: 'SUBMITTED' }, { poolId: 'P', status: 'APPROVED' })).toEqual([
      { key: 'none#SUBMITTED', delta: -1 },
      { key: 'P#APPROVED', delta: 1 },
    ]);
    expect(claimMoves({ poolId: 'P', status: 'APPROVED' }, { poolId: 'P', status: 'APPROVED' })).toEqual([]);
  });

  it('spreads ids over every shard', () => {
    const seen = new Set(Array.from({ length: 400 }, (_, i) => shardOf(`RPT-${i}`, 16)));
    expect(seen.size).toBe(16);
  });

  it('assembles series in vocabulary order and claim rows per programme', () => {
    const d = assembleDashboard({
      now: new Date('2026-12-09T00:00:00Z'),
      weeks: ['2026-11-30', '2026-12-07'],
      weekCounters: [
        { reports: 2, 'category:other': 1, 'category:investment': 1 },
        { reports: 1, 'category:investment': 1, 'loss:gift-card:USD': 500 },
      ],
      claimCounts: [
        { key: 'P1#SUBMITTED', n: 2 },
        { key: 'P1#APPROVED', n: 1 },
        { key: 'none#SUBMITTED', n: 0 },
      ],
      poolNames: new Map([['P1', 'Programme one']]),
      topIdentifiers: [],
    });
    expect(d.reportsPerWeek).toEqual([2, 1]);
    expect(d.byCategory.rows.map((r) => [r.key, r.counts])).toEqual([
      ['investment', [1, 1]],
      ['other', [1, 0]],
    ]);
    expect(d.lossesByPaymentMethod).toEqual([
      { currency: 'USD', rows: [{ method: 'gift-card', cents: [0, 500], totalCents: 500 }] },
    ]);
    expect(d.claimsByStatus).toEqual([
      { poolId: 'P1', poolName: 'Programme one', counts: { SUBMITTED: 2, APPROVED: 1 }, total: 3 },
    ]);
  });
});

describe('claim flags', () => {
  const claim = (over: Partial<Claim> = {}) =>
    ({
      claimId: 'CLM-1',
      claimant: { name: 'Ana Lima', address: { line1: '1 Main St', city: 'X', country: 'US' } },
      flags: [],
      claimedCents: 100_000,
      currency: 'USD',
      reportIds: ['RPT-1'],
      ...over,
    }) as Claim;

  it('normalises addresses and names so spelling does not hide a match', () => {
    const a = { line1: '12 Oak Avenue, Apt 4', city: 'Tampa', zip: '33602-1234', country: 'us' };
    const b = { line1: '12 OAK AVE #4', city: 'tampa', zip: '33602', country: 'US' };
    expect(normaliseAddress(a)).toBe(normaliseAddress(b));
    expect(normaliseAddress(a)).not.toBe(normaliseAddress({ ...b, line1: '14 Oak Ave #4' }));
    expect(claimantIdentity('LIMA, Ána')).toBe(claimantIdentity('ana lima'));
  });

  it('explains a reused invitation and a loss well above the reports', () => {
    const flags = flagsFor(claim({ flags: ['INVITATION_ALREADY_USED_BY:CLM-0'] }), [], 20_000);
    expect(flags.map((f) => f.code)).toEqual(['INVITATION_ALREADY_USED', 'LOSS_ABOVE_REPORTS']);
    expect(flags[0]!.reason).toContain('CLM-0');
    expect(flags[1]!.reason).toContain('$1,000.00');
    expect(flags[1]!.reason).toContain('$200.00');
  });

  it('does not flag a loss close to the reports, nor a claim naming no report', () => {
    expect(flagsFor(claim({ claimedCents: 60_000 }), [], 40_000)).toEqual([]); // 1.5x, only $200 more
    expect(flagsFor(claim({ reportIds: [] }), [], undefined)).toEqual([]);
  });

  it('ignores the same claimant under another spelling and says the scope of others', () => {
    const flags = flagsFor(
      claim({ poolId: 'P1' }),
      [
        { kind: 'email', claimId: 'CLM-2', poolId: 'P2', claimant: claimantIdentity('Lima Ana') },
        { kind: 'email', claimId: 'CLM-3', poolId: 'P1', claimant: 'bruno costa' },
        { kind: 'email', claimId: 'CLM-4', poolId: 'P2', claimant: 'carla dias' },
      ],
      undefined,
    );
    expect(flags).toEqual([
      expect.objectContaining({ code: 'SHARED_EMAIL', scope: 'both', claimIds: ['CLM-3', 'CLM-4'] }),
    ]);
  });
});
