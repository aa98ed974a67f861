import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Claim,
  checkReconsideration,
  decide,
  defaultRecognizedLoss,
  formatCents,
} from '#shared/domain/claim.ts';
import { normaliseClaim } from '#shared/domain/claim-normalise.ts';
import { claimInputSchema } from '#shared/domain/claim-schema.ts';
import { computeDistribution, explainPayout } from '#shared/domain/distribution.ts';
import { ConflictError, ValidationError } from '#shared/domain/errors.ts';
import { deadlineToday, isOpen, linkMatches } from '#shared/domain/pool.ts';
import { newPool } from '#shared/domain/pool-normalise.ts';
import { poolInputSchema } from '#shared/domain/pool-schema.ts';
import {
  canonicalAccessCode,
  hashAccessCode,
  newAccessCode,
  newClaimId,
  newInvitationCode,
  parseClaimId,
  parseInvitationCode,
} from '#shared/domain/secrets.ts';
import { parseWith } from '#shared/domain/validation.ts';
import { payoutSentence } from '#shared/use-cases/claim-status.ts';
import { csvCell } from '#shared/use-cases/distribute.ts';
import { maskRecipient } from '#shared/use-cases/file-claim.ts';
import { fingerprint } from '#shared/use-cases/plan-job.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { makeMinimalReportBody, TEST_KEY, wallets, withPayments } from '#test/support/factories.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

const claimant = {
  name: 'Rosa Martínez',
  email: 'Rosa.Martinez@Example.com',
  phone: '(305) 555-0147',
  address: { line1: '12 Ocean Drive', city: 'Miami', state: 'fl', zip: '33101' },
};
const attestation = { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' };
const walletPayment = {
  amountCents: 250_000,
  method: 'cryptocurrency',
  recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
};
const bankPayment = {
  amountCents: 90_000,
  method: 'wire-transfer',
  recipient: { kind: 'bank-account', routingNumber: '011000015', accountNumber: '9876543210123' },
};

const parseClaim = (body: Record<string, unknown>) =>
  normaliseClaim(parseWith(claimInputSchema, { claimant, attestation, ...body }), {
    key: TEST_KEY,
    now: NOW,
  });

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields.map((f) => f.path);
    throw e;
  }
  return expect.fail('expected a ValidationError');
};

describe('claims: normalised like reports', () => {
  it('normalises payments exactly as a report does, so claims and reports land in the same index partitions', () => {
    const claim = parseClaim({ payments: [walletPayment, bankPayment] });
    const report = validateReport(
      withPayments([walletPayment, bankPayment], makeMinimalReportBody()),
      TEST_KEY,
    );
    expect(claim.payments).toEqual(report.content.payments);
    expect(claim.payments[1]!.indicator!.value).toMatch(/^us:[0-9a-f]{64}$/);
    expect(JSON.stringify(claim)).not.toContain('9876543210123');
    expect(claim.claimant).toEqual({
      name: 'Rosa Martínez',
      email: 'rosa.martinez@example.com',
      phone: '+13055550147',
      address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
    });
    expect(claim.claimedCents).toBe(340_000);
    expect(claim.attestation.signedAt).toBe(NOW.toISOString());
  });

  it('counts only payments in the pool currency and refuses recoveries above them', () => {
    const eur = { ...bankPayment, currency: 'EUR' };
    const claim = normaliseClaim(
      parseWith(claimInputSchema, { claimant, attestation, payments: [walletPayment, eur] }),
      { key: TEST_KEY, now: NOW, poolCurrency: 'USD' },
    );
    expect(claim.claimedCents).toBe(250_000);
    expect(problems(() => parseClaim({ payments: [walletPayment], recoveriesCents: 250_001 }))).toEqual([
      'recoveriesCents',
    ]);
    expect(defaultRecognizedLoss(parseClaim({ payments: [walletPayment], recoveriesCents: 50_000 }))).toBe(
      200_000,
    );
  });

  it.each([
    ['no payments', { payments: [] }, 'payments'],
    ['negative recoveries', { payments: [walletPayment], recoveriesCents: -1 }, 'recoveriesCents'],
    ['fractional recoveries', { payments: [walletPayment], recoveriesCents: 1.5 }, 'recoveriesCents'],
    ['recoveries as text', { payments: [walletPayment], recoveriesCents: '10' }, 'recoveriesCents'],
    [
      'not sworn',
      { payments: [walletPayment], attestation: { ...attestation, underPenaltyOfPerjury: false } },
      'attestation.underPenaltyOfPerjury',
    ],
    [
      'involved',
      { payments: [walletPayment], attestation: { ...attestation, notInvolvedInOffense: 'yes' } },
      'attestation.notInvolvedInOffense',
    ],
    [
      'unsigned',
      { payments: [walletPayment], attestation: { ...attestation, signedName: '  ' } },
      'attestation.signedName',
    ],
    ['no attestation', { payments: [walletPayment], attestation: undefined }, 'attestation'],
    [
      'bad wallet',
      {
        payments: [
          { ...walletPayment, recipient: { kind: 'crypto-wallet', asset: 'BTC', address: 'bc1qnope' } },
        ],
      },
      'payments.0.recipient.address',
    ],
    [
      'bad state',
      { payments: [walletPayment], claimant: { ...claimant, address: { ...claimant.address, state: 'ZZ' } } },
      'claimant.address.state',
    ],
    ['bad email', { payments: [walletPayment], claimant: { ...claimant, email: 'rosa@' } }, 'claimant.email'],
    ['no address', { payments: [walletPayment], claimant: { name: 'Rosa' } }, 'claimant.address'],
  ])('refuses %s, naming the field', (_, body, path) => {
    expect(problems(() => parseClaim(body as Record<string, unknown>))).toContain(path);
  });
});

const baseClaim = (over: Partial<Claim> = {}) => ({
  claimId: 'CLM-TEST',
  status: 'SUBMITTED' as Claim['status'],
  claimedCents: 100_000,
  recoveriesCents: 20_000,
  poolId: 'POOL-1',
  currency: 'USD',
  ...over,
});

describe('claims: reviewer decisions', () => {
  const opts = { by: 'reviewer-7', now: NOW };

  it('approves up to paid minus recoveries and records who and when', () => {
    const out = decide(baseClaim(), { decision: 'approve', recognizedLossCents: 80_000 }, opts);
    expect(out).toMatchObject({
      status: 'APPROVED',
      recognizedLossCents: 80_000,
      decision: { decision: 'approve', by: 'reviewer-7', at: NOW.toISOString(), recognizedLossCents: 80_000 },
    });
    expect(
      problems(() => decide(baseClaim(), { decision: 'approve', recognizedLossCents: 80_001 }, opts)),
    ).toEqual(['recognizedLossCents']);
  });

  it('needs a pool to approve a claim that names none, and the same currency', () => {
    expect(
      problems(() =>
        decide(baseClaim({ poolId: undefined }), { decision: 'approve', recognizedLossCents: 1 }, opts),
      ),
    ).toEqual(['poolId']);
    expect(() =>
      decide(baseClaim(), { decision: 'approve', recognizedLossCents: 1 }, { ...opts, poolCurrency: 'EUR' }),
    ).toThrow(ConflictError);
  });

  it('denies with a reason the claimant will read, and asks for information with a message', () => {
    expect(decide(baseClaim(), { decision: 'deny', reason: ' Not this scheme. ' }, opts).timeline).toEqual({
      status: 'DENIED',
      at: NOW.toISOString(),
      note: 'Not this scheme.',
    });
    expect(decide(baseClaim(), { decision: 'request-info', message: 'Send receipts.' }, opts).status).toBe(
      'NEEDS_INFO',
    );
  });

  it.each([
    ['DENIED', 'approve'],
    ['PAYMENT_SCHEDULED', 'deny'],
    ['PAID', 'approve'],
    ['CLOSED', 'request-info'],
    ['NEEDS_INFO', 'request-info'],
    ['APPROVED', 'begin-review'],
  ] as const)('refuses a decision on a %s claim (%s) with 409', (status, decision) => {
    const input =
      decision === 'approve'
        ? { decision, recognizedLossCents: 1 }
        : decision === 'deny'
          ? { decision, reason: 'r' }
          : decision === 'request-info'
            ? { decision, message: 'm' }
            : { decision };
    try {
      decide(baseClaim({ status }), input, opts);
      expect.fail('expected a conflict');
    } catch (e) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).code).toBe('WRONG_CLAIM_STATE');
      expect((e as Error).message).toContain(status);
    }
  });

  it('lets a denied claimant ask for reconsideration for 30 days, then not', () => {
    const deniedAt = '2026-11-01T00:00:00.000Z';
    const claim = { status: 'DENIED' as const, timeline: [{ status: 'DENIED' as const, at: deniedAt }] };
    expect(() => checkReconsideration(claim, new Date('2026-11-30T23:00:00Z'))).not.toThrow();
    expect(() => checkReconsideration(claim, new Date('2026-12-02T00:00:00Z'))).toThrow(
      /ended on 2026-12-01/,
    );
    expect(() => checkReconsideration({ ...claim, status: 'APPROVED' }, NOW)).toThrow(ConflictError);
  });
});

describe('secrets: claim ids, access codes, invitation codes', () => {
  it('makes 28-character access codes (140 bits) that are all different and hash the same however typed', () => {
    const codes = new Set(Array.from({ length: 2000 }, newAccessCode));
    expect(codes.size).toBe(2000);
    const code = newAccessCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
    const sloppy = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(canonicalAccessCode(sloppy)).toBe(code.replace(/-/g, ''));
    expect(hashAccessCode(sloppy)).toBe(hashAccessCode(code));
    expect(hashAccessCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAccessCode(code)).not.toContain(code.replace(/-/g, '').toLowerCase());
  });

  it('spreads access-code characters evenly over the 32-letter alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++)
      for (const ch of newAccessCode().replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(n).toBeGreaterThan(1400); // expected 1750 each
  });

  it('reads back claim ids and invitation codes as typed, and catches a mistyped character', () => {
    const id = newClaimId();
    expect(parseClaimId(id.toLowerCase())).toBe(id);
    const last = id.at(-1) === '0' ? '1' : '0';
    expect(parseClaimId(id.slice(0, -1) + last)).toBeUndefined();
    const code = newInvitationCode();
    expect(parseInvitationCode(code.replace(/-/g, ' '))).toBe(code);
    expect(parseInvitationCode(id)).toBeUndefined();
  });
});

describe('pools', () => {
  const input = (over: Record<string, unknown> = {}) =>
    parseWith(poolInputSchema, {
      name: 'Operation Lighthouse',
      caseNumber: '1:26-cv-42',
      court: 'D.D.C.',
      amountCents: 100_000,
      claimDeadline: '2026-12-31',
      seizedIndicators: [
        { type: 'crypto-wallet', value: wallets.btc.toUpperCase() },
        { type: 'crypto-wallet', value: wallets.btc },
        { type: 'bank-account', value: '011000015:9876543210123' },
        { type: 'phone', value: '(202) 555-0143' },
      ],
      ...over,
    });

  it('normalises seized identifiers with the report normalisers, drops duplicates, defaults the minimum to $10', () => {
    const pool = newPool(input(), { poolId: 'POOL-1', key: TEST_KEY, now: NOW, by: 'admin-1' });
    expect(pool.seizedIndicators.map((s) => s.value)).toEqual([
      `btc:${wallets.btc}`,
      expect.stringMatching(/^us:[0-9a-f]{64}$/),
      '+12025550143',
    ]);
    expect(pool).toMatchObject({
      minimumPayoutCents: 1000,
      currency: 'USD',
      status: 'OPEN',
      version: 1,
      createdBy: 'admin-1',
    });
    expect(pool.eligibility).toContain('1:26-cv-42');
  });

  it('refuses a past deadline, an unknown identifier type and an identifier that does not parse', () => {
    expect(
      problems(() =>
        newPool(input({ claimDeadline: '2026-11-01' }), { poolId: 'P', key: TEST_KEY, now: NOW, by: 'a' }),
      ),
    ).toEqual(['claimDeadline']);
    expect(problems(() => input({ seizedIndicators: [{ type: 'fax', value: '1' }] }))).toEqual([
      'seizedIndicators.0.type',
    ]);
    expect(
      problems(() =>
        newPool(input({ seizedIndicators: [{ type: 'crypto-wallet', value: 'not-a-wallet' }] }), {
          poolId: 'P',
          key: TEST_KEY,
          now: NOW,
          by: 'a',
        }),
      ),
    ).toEqual(['seizedIndicators.0.value']);
    expect(problems(() => input({ amountCents: 0 }))).toEqual(['amountCents']);
    expect(problems(() => input({ minimumPayoutCents: -5 }))).toEqual(['minimumPayoutCents']);
  });

  it('stays open through the deadline day anywhere on Earth', () => {
    const pool = { status: 'OPEN' as const, claimDeadline: '2026-11-20' };
    expect(isOpen(pool, new Date('2026-11-21T11:59:00Z'))).toBe(true); // still the 20th at UTC-12
    expect(isOpen(pool, new Date('2026-11-21T12:01:00Z'))).toBe(false);
    expect(isOpen({ ...pool, status: 'CLOSED' }, NOW)).toBe(false);
    expect(deadlineToday(new Date('2026-11-21T11:59:00Z'))).toBe('2026-11-20');
  });

  it('matches on payments, and on contact only for identifiers that cannot receive money', () => {
    expect(linkMatches('crypto-wallet', ['payment'])).toBe(true);
    expect(linkMatches('crypto-wallet', ['contact'])).toBe(false);
    expect(linkMatches('phone', ['contact'])).toBe(true);
    expect(linkMatches('domain', ['contact'])).toBe(true);
  });
});

describe('distribution plumbing', () => {
  it('fingerprints the claims whatever their order, and changes with any loss, version or pool term', () => {
    const pool = { amountCents: 100, minimumPayoutCents: 10, currency: 'USD' };
    const rows = [
      { claimId: 'CLM-B', status: 'APPROVED', recognizedLossCents: 5, version: 3 },
      { claimId: 'CLM-A', status: 'APPROVED', recognizedLossCents: 7, version: 2 },
    ];
    const fp = fingerprint(pool, rows);
    expect(fingerprint(pool, [...rows].reverse())).toBe(fp);
    expect(fingerprint(pool, [rows[0]!, { ...rows[1]!, version: 3 }])).not.toBe(fp);
    expect(fingerprint(pool, [rows[0]!, { ...rows[1]!, recognizedLossCents: 6 }])).not.toBe(fp);
    expect(fingerprint({ ...pool, amountCents: 101 }, rows)).not.toBe(fp);
    expect(fingerprint(pool, rows.slice(1))).not.toBe(fp);
  });

  it.each([
    ['=SUM(A1:A9)', `"'=SUM(A1:A9)"`],
    ['+1 202 555', `"'+1 202 555"`],
    ['-2+3', `"'-2+3"`],
    ['@cmd', `"'@cmd"`],
    ['\tTAB', `"'\tTAB"`],
    ['He said "hi"', '"He said ""hi"""'],
    ['line\nbreak', '"line break"'],
    ['Rosa Martínez', '"Rosa Martínez"'],
  ])('writes %j as a CSV cell a spreadsheet will not run', (raw, cell) => {
    expect(csvCell(raw)).toBe(cell);
  });

  it('explains payouts in one sentence with the figures of explainPayout', () => {
    const plan = computeDistribution({
      poolAmountCents: 100_000,
      minimumPayoutCents: 1000,
      claims: [
        { claimId: 'a', recognizedLossCents: 120_000 },
        { claimId: 'b', recognizedLossCents: 60_000 },
        { claimId: 'd', recognizedLossCents: 1_500 },
      ],
    });
    const a = payoutSentence({ ...explainPayout(plan, 'a') }, 'USD')!;
    expect(a).toContain('$1,000.00');
    expect(a).toContain('$1,200.00');
    expect(a).toMatch(/\$666\.6[67]/);
    expect(payoutSentence({ ...explainPayout(plan, 'd') }, 'USD')).toContain(
      'below the minimum payment of $10.00',
    );
    const full = computeDistribution({
      poolAmountCents: 10_000,
      claims: [{ claimId: 'x', recognizedLossCents: 500 }],
    });
    expect(payoutSentence({ ...explainPayout(full, 'x') }, 'USD')).toContain('in full');
  });

  it('formats cents without Intl', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        const s = formatCents(cents, 'USD');
        expect(Number(s.replace(/[$,]/g, '')) * 100).toBeCloseTo(cents, -2);
        expect(s).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
      }),
      { numRuns: 500 },
    );
    expect(formatCents(123_456, 'EUR')).toBe('1,234.56 EUR');
  });

  it('masks recipients so a verified code shows no account or wallet in full', () => {
    expect(maskRecipient({ kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc })).toBe(
      'BTC wallet bc1q…5mdq',
    );
    expect(maskRecipient({ kind: 'bank-account', bankName: 'First Bank', accountLast4: '0123' })).toBe(
      'First Bank ••••0123',
    );
    expect(maskRecipient({ kind: 'payment-app', service: 'Zelle', handle: 'scammer@example.com' })).toBe(
      'Zelle scam….com',
    );
  });
});
