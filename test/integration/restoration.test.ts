/**
 * The whole restoration path against the real local servers (dynalite + fauxqs) and the unmodified
 * handlers: reports -> pool -> matches and invitations (both ways) -> claims -> status ->
 * decisions -> distribution plan (a hand-computed example) -> stale plan refused -> approval ->
 * payment file -> status with the payout explained.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMinimalReportBody, wallets, withPayments } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import {
  type Answer,
  apiCaller,
  type Call,
  computePlan as computePlanOf,
  type Json,
} from '#test/support/restoration-api.ts';

let stack: LocalStack;
let call: Call;

beforeAll(async () => {
  stack = await startLocalStack();
  call = apiCaller(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const admin = (method: string, path: string, body?: unknown) => call(method, path, body, 'admin');
const admin2 = (method: string, path: string, body?: unknown) => call(method, path, body, 'admin2');
const computePlan = (poolId: string): Promise<Answer> => computePlanOf(call, stack, poolId);
const reviewer = (method: string, path: string, body?: unknown) => call(method, path, body, 'reviewer');

/** Seized in the pool: a Bitcoin wallet, an Ethereum wallet and a bank account. */
const BANK = { routingNumber: '011000015', accountNumber: '4455667788' };
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const walletPayment = (amountCents: number, address = wallets.btc, asset = 'BTC') => ({
  amountCents,
  currency: 'USD',
  date: '2026-09-01',
  method: 'cryptocurrency',
  recipient: { kind: 'crypto-wallet', asset, address },
});
const bankPayment = (amountCents: number) => ({
  amountCents,
  method: 'wire-transfer',
  recipient: { kind: 'bank-account', bankName: 'First Bank', ...BANK },
});

async function fileReport(payments: Json[], consent: boolean): Promise<string> {
  const res = await call(
    'POST',
    '/v1/reports',
    withPayments(
      payments,
      makeMinimalReportBody({
        incident: { category: 'investment', narrative: 'A crypto investment site kept my money.' },
        consents: { shareWithLawEnforcement: true, contactAboutRecovery: consent },
      }),
    ),
  );
  expect(res.status).toBe(202);
  const reportId = res.json['reportId'] as string;
  await stack.waitFor(
    async () => (await reviewer('GET', `/v1/admin/reports/${reportId}`)).json['status'] === 'ENRICHED',
    {
      timeoutMs: 20_000,
      message: `report ${reportId} was not enriched`,
    },
  );
  return reportId;
}

function claimBody(overrides: Json = {}): Json {
  return {
    claimant: {
      name: 'Rosa Martínez',
      email: 'Rosa.Martinez@example.com',
      phone: '(305) 555-0147',
      address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
    },
    recoveriesCents: 0,
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
    ...overrides,
  };
}

async function fileClaim(body: Json): Promise<{ claimId: string; accessCode: string }> {
  const res = await call('POST', '/v1/claims', body);
  expect(res.status, res.text).toBe(201);
  return { claimId: res.json['claimId'], accessCode: res.json['accessCode'] };
}

const decide = (claimId: string, body: Json) =>
  reviewer('POST', `/v1/admin/claims/${claimId}/decision`, body);
const status = (claimId: string, accessCode: string) =>
  call('POST', '/v1/claims/status', { claimId, accessCode });

describe('restoration, end to end', () => {
  const ctx: Json = {};

  it('creates a pool that matches earlier reports through the identifier index and invites the consenting victim', async () => {
    ctx.consenting = await fileReport([walletPayment(130_000)], true);
    ctx.silent = await fileReport([walletPayment(40_000)], false);
    ctx.unrelated = await fileReport([walletPayment(99_000, wallets.tron, 'TRX')], true);

    const res = await admin('POST', '/v1/admin/pools', {
      name: 'Operation Lighthouse remission',
      caseNumber: '1:26-cv-00042',
      court: 'U.S. District Court, District of Columbia',
      description: 'Funds seized from a crypto investment scheme.',
      amountCents: 100_000,
      currency: 'USD',
      seizedIndicators: [
        { type: 'crypto-wallet', value: wallets.btc.toUpperCase() },
        { type: 'bank-account', value: `${BANK.routingNumber}:${BANK.accountNumber}` },
        { type: 'crypto-wallet', value: wallets.eth },
      ],
      claimDeadline: future(60),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/admin/pools/${res.json['poolId']}`);
    expect(res.json['poolId']).toMatch(/^POOL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(res.json['minimumPayoutCents']).toBe(1000);
    expect(res.json['seizedIndicators'][1]['value']).toMatch(/^us:[0-9a-f]{64}$/);
    expect(JSON.stringify(res.json)).not.toContain(BANK.accountNumber);
    expect(res.json['matching']).toMatchObject({ matchedReports: 2, invitationsCreated: 1 });
    ctx.poolId = res.json['poolId'];

    const open = await call('GET', '/v1/pools');
    expect(open.status).toBe(200);
    const listed = open.json['pools'].find((p: Json) => p['poolId'] === ctx.poolId);
    expect(listed).toMatchObject({ name: 'Operation Lighthouse remission', caseNumber: '1:26-cv-00042' });
    expect(listed['eligibility']).toContain('nobody from this programme will ever ask you for a fee');
    expect(listed['seizedIndicators']).toBeUndefined();
  });

  it('lists matched reports only where the filer consented, with the identifier and the amount paid to it', async () => {
    const res = await reviewer('GET', `/v1/admin/pools/${ctx.poolId}/matches`);
    expect(res.status).toBe(200);
    expect(res.json['reports'].map((r: Json) => r['reportId'])).toEqual([ctx.consenting]);
    const match = res.json['reports'][0];
    expect(match['identifiers']).toEqual([
      expect.objectContaining({ type: 'crypto-wallet', value: `btc:${wallets.btc}`, paidCents: 130_000 }),
    ]);
    expect(match['invitation']['code']).toMatch(/^INV-/);
    expect(res.json['reportsWithoutConsent']).toBe(1);
    ctx.invitationCode = match['invitation']['code'];
  });

  it('matches a report filed after the pool when it is enriched (the other way round)', async () => {
    ctx.late = await fileReport([bankPayment(25_000)], true);
    const res = await reviewer('GET', `/v1/admin/pools/${ctx.poolId}/matches?kind=reports`);
    const late = res.json['reports'].find((r: Json) => r['reportId'] === ctx.late);
    expect(late['identifiers'][0]).toMatchObject({ type: 'bank-account', paidCents: 25_000 });
    expect(late['invitation']['code']).toMatch(/^INV-/);
  });

  it('verifies a genuine invitation code with a masked pre-fill, and says the same "not found" for a forged one', async () => {
    const ok = await call('POST', '/v1/invitations/verify', { code: ctx.invitationCode.toLowerCase() });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ genuine: true, poolName: 'Operation Lighthouse remission', open: true });
    expect(ok.json['neverAFee']).toContain('will ever ask you for a fee');
    expect(ok.json['prefill']['payments']).toEqual([
      expect.objectContaining({ amountCents: 130_000, recipient: 'BTC wallet bc1q…5mdq' }),
    ]);
    expect(ok.text).not.toContain(wallets.btc);
    const forged = await call('POST', '/v1/invitations/verify', { code: 'INV-0000-0000-0000-0000' });
    expect(forged.status).toBe(404);
    expect(forged.json['detail']).toContain('scam');
  });

  it('files claims: one from the invitation (pre-filled from the report), others directly, one naming no pool', async () => {
    // A: the invited victim; payments come from the report (130,000), recoveries 10,000.
    ctx.a = await fileClaim(claimBody({ invitationCode: ctx.invitationCode, recoveriesCents: 10_000 }));
    expect(ctx.a.claimId).toMatch(/^CLM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(ctx.a.accessCode.replace(/-/g, '')).toHaveLength(28);
    ctx.b = await fileClaim(claimBody({ poolId: ctx.poolId, payments: [bankPayment(60_000)] }));
    ctx.c = await fileClaim(
      claimBody({ poolId: ctx.poolId, payments: [walletPayment(20_000, wallets.eth, 'ETH')] }),
    );
    // D's name would run as a formula in a spreadsheet; the payment file must defuse it.
    ctx.d = await fileClaim(
      claimBody({
        poolId: ctx.poolId,
        payments: [walletPayment(1_500)],
        claimant: { ...claimBody()['claimant'], name: '=HYPERLINK("http://evil.example","Refund")' },
      }),
    );
    // E names no pool; its payment went to the seized wallet, so claim-side matching finds the pool.
    ctx.e = await fileClaim(claimBody({ payments: [walletPayment(7_000)] }));

    const matches = await reviewer('GET', `/v1/admin/pools/${ctx.poolId}/matches?kind=claims`);
    expect(matches.json['claims'].map((c: Json) => c['claimId']).sort()).toEqual(
      [ctx.a.claimId, ctx.b.claimId, ctx.c.claimId, ctx.d.claimId, ctx.e.claimId].sort(),
    );

    const view = await reviewer('GET', `/v1/admin/claims/${ctx.e.claimId}`);
    expect(view.json['matchedPoolIds']).toEqual([ctx.poolId]);
    expect(view.json['accessCodeHash']).toBeUndefined();

    const indicator = await reviewer(
      'GET',
      `/v1/admin/indicators/crypto-wallet/${encodeURIComponent(wallets.btc)}`,
    );
    expect(indicator.json['claims'].map((c: Json) => c['claimId'])).toEqual(
      expect.arrayContaining([ctx.a.claimId, ctx.d.claimId, ctx.e.claimId]),
    );
    expect(indicator.json['seizedBy']).toEqual([
      { poolId: ctx.poolId, href: `/v1/admin/pools/${ctx.poolId}` },
    ]);
  });

  it('shows the claimant a dated status, and answers an unknown id and a wrong code with the same 404', async () => {
    const mine = await status(ctx.a.claimId, ctx.a.accessCode.toLowerCase().replace(/-/g, ' '));
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({
      claimId: ctx.a.claimId,
      status: 'SUBMITTED',
      poolName: 'Operation Lighthouse remission',
    });
    expect(Date.parse(mine.json['timeline'][0]['at'])).not.toBeNaN();
    expect(mine.json['recognizedLossCents']).toBeUndefined();

    const wrongCode = await status(ctx.a.claimId, 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG');
    const unknownId = await status('CLM-7K3M-9QXD-2HFA-8WN4', ctx.a.accessCode);
    expect(wrongCode.status).toBe(404);
    expect(unknownId.status).toBe(404);
    const strip = (j: Json) => ({ ...j, requestId: undefined });
    expect(strip(wrongCode.json)).toEqual(strip(unknownId.json));
    expect(wrongCode.text.replace(wrongCode.json['requestId'], '')).toBe(
      unknownId.text.replace(unknownId.json['requestId'], ''),
    );
  });

  it('refuses claims against a closed or unknown pool, excessive recoveries and a missing attestation', async () => {
    const closed = await admin('POST', '/v1/admin/pools', {
      name: 'Closed programme',
      caseNumber: '1:20-cr-1',
      court: 'D. Md.',
      amountCents: 5_000,
      claimDeadline: future(10),
    });
    await admin('PATCH', `/v1/admin/pools/${closed.json['poolId']}`, { status: 'CLOSED' });
    const cases: [Json, number, string][] = [
      [claimBody({ poolId: closed.json['poolId'], payments: [bankPayment(1000)] }), 409, 'POOL_CLOSED'],
      [claimBody({ poolId: 'POOL-7K3M-9QXD-2HFA-8WN4', payments: [bankPayment(1000)] }), 400, 'poolId'],
      [
        claimBody({ poolId: ctx.poolId, payments: [bankPayment(1000)], recoveriesCents: 5000 }),
        400,
        'recoveriesCents',
      ],
      [
        claimBody({ poolId: ctx.poolId, payments: [bankPayment(1000)], recoveriesCents: -1 }),
        400,
        'recoveriesCents',
      ],
      [
        claimBody({
          poolId: ctx.poolId,
          payments: [bankPayment(1000)],
          attestation: { underPenaltyOfPerjury: false, notInvolvedInOffense: true, signedName: 'R' },
        }),
        400,
        'attestation.underPenaltyOfPerjury',
      ],
    ];
    for (const [body, code, where] of cases) {
      const res = await call('POST', '/v1/claims', body);
      expect(res.status, `${where}: ${res.text}`).toBe(code);
      if (code === 409) expect(res.json['code']).toBe(where);
      else
        expect(res.json['errors'].map((f: Json) => f['pointer'])).toContain(`/${where.replaceAll('.', '/')}`);
    }
  });

  it('works the review queue: approvals capped at paid minus recoveries, denials, requests for information, wrong states', async () => {
    const queue = await reviewer('GET', `/v1/admin/claims?poolId=${ctx.poolId}&status=SUBMITTED`);
    expect(queue.status).toBe(200);
    expect(queue.json['items'].map((c: Json) => c['claimId']).sort()).toEqual(
      [ctx.a.claimId, ctx.b.claimId, ctx.c.claimId, ctx.d.claimId].sort(),
    );
    // One status across pools reads gsi2, which holds keys only: the claims come back whole, and
    // in the same shape as from the pool's queue.
    const everyPool = await reviewer('GET', '/v1/admin/claims?status=SUBMITTED');
    expect(everyPool.status).toBe(200);
    const fromIndex = everyPool.json['items'].find((c: Json) => c['claimId'] === ctx.a.claimId);
    expect(fromIndex).toEqual(queue.json['items'].find((c: Json) => c['claimId'] === ctx.a.claimId));
    expect(fromIndex?.['claimedCents']).toBe(130_000);
    const a = await reviewer('GET', `/v1/admin/claims/${ctx.a.claimId}`);
    expect(a.json['claimedCents']).toBe(130_000);
    expect(a.json['defaultRecognizedLossCents']).toBe(120_000);
    expect(a.json['reports']).toEqual([
      { reportId: ctx.consenting, href: `/v1/admin/reports/${ctx.consenting}` },
    ]);

    const tooMuch = await decide(ctx.a.claimId, { decision: 'approve', recognizedLossCents: 120_001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json['errors'][0]['pointer']).toBe('/recognizedLossCents');

    expect((await decide(ctx.a.claimId, { decision: 'begin-review' })).status).toBe(200);
    const approved = await decide(ctx.a.claimId, { decision: 'approve', recognizedLossCents: 120_000 });
    expect(approved.status).toBe(200);
    expect(approved.json['decisions'].at(-1)).toMatchObject({ decision: 'approve', by: 'local-reviewer' });
    expect(Date.parse(approved.json['decisions'].at(-1)['at'])).not.toBeNaN();

    expect((await decide(ctx.b.claimId, { decision: 'approve', recognizedLossCents: 60_000 })).status).toBe(
      200,
    );
    // C paid 20,000; the reviewer recognises less.
    expect((await decide(ctx.c.claimId, { decision: 'approve', recognizedLossCents: 18_000 })).status).toBe(
      200,
    );
    const info = await decide(ctx.d.claimId, {
      decision: 'request-info',
      message: 'Send the wallet receipt.',
    });
    expect(info.json['status']).toBe('NEEDS_INFO');
    expect((await decide(ctx.d.claimId, { decision: 'approve', recognizedLossCents: 1_500 })).status).toBe(
      200,
    );

    // E names no pool: approving needs one; here it is denied instead.
    const denied = await decide(ctx.e.claimId, {
      decision: 'deny',
      reason: 'The payment was refunded by the exchange.',
    });
    expect(denied.json['status']).toBe('DENIED');
    const wrongState = await decide(ctx.e.claimId, {
      decision: 'approve',
      recognizedLossCents: 100,
      poolId: ctx.poolId,
    });
    expect(wrongState.status).toBe(409);
    expect(wrongState.json['code']).toBe('WRONG_CLAIM_STATE');
    expect(wrongState.json['detail']).toContain('DENIED');

    // The claimant reads the reason and asks for reconsideration within the window.
    const seen = await status(ctx.e.claimId, ctx.e.accessCode);
    expect(seen.json['timeline'].at(-1)).toMatchObject({
      status: 'DENIED',
      note: 'The payment was refunded by the exchange.',
    });
    expect(seen.json['reconsideration']['canRequest']).toBe(true);
    const again = await call('POST', '/v1/claims/reconsideration', {
      claimId: ctx.e.claimId,
      accessCode: ctx.e.accessCode,
      reason: 'The exchange refunded only half; statement attached.',
    });
    expect(again.status).toBe(200);
    expect(again.json['status']).toBe('RECONSIDERATION_REQUESTED');
    const twice = await call('POST', '/v1/claims/reconsideration', {
      claimId: ctx.e.claimId,
      accessCode: ctx.e.accessCode,
      reason: 'again',
    });
    expect(twice.status).toBe(409);
  });

  it('computes the hand-worked plan as a job, needs a second admin to approve, approves once, and schedules payments', async () => {
    // P = 100,000, M = 1,000. Approved: A 120,000, B 60,000, C 18,000, D 1,500; S = 199,500 > P.
    // D's exact share 100,000 x 1,500 / 199,500 = 751.87 < 1,000: excluded. New S = 198,000.
    //   A: 12,000,000,000 / 198,000 = 60,606 rem 12,000
    //   B:  6,000,000,000 / 198,000 = 30,303 rem  6,000
    //   C:  1,800,000,000 / 198,000 =  9,090 rem 180,000
    // Floors sum to 99,999; the 1 leftover cent goes to the largest remainder, C: 9,091.
    const first = await computePlan(ctx.poolId);
    expect(first.json['job']).toMatchObject({ state: 'READY', percent: 100, claimsRead: 4, linesWritten: 4 });
    expect(first.json['job']['claimsTotal']).toBe(4);
    const payouts = Object.fromEntries(
      first.json['payouts'].map((p: Json) => [p['claimId'], p['payoutCents']]),
    );
    expect(payouts).toEqual({ [ctx.a.claimId]: 60_606, [ctx.b.claimId]: 30_303, [ctx.c.claimId]: 9_091 });
    expect(first.json['excluded']).toEqual([
      expect.objectContaining({
        claimId: ctx.d.claimId,
        reason: 'BELOW_MINIMUM_PAYOUT',
        exactShareCents: '751.87',
      }),
    ]);
    expect(first.json).toMatchObject({
      poolAmountCents: 100_000,
      totalPayoutCents: 100_000,
      status: 'PLANNED',
    });

    // A reviewer revises C after the plan was computed (approving the first plan would hold C's
    // payment): compute again.
    expect((await decide(ctx.c.claimId, { decision: 'approve', recognizedLossCents: 18_000 })).status).toBe(
      200,
    );
    const second = await computePlan(ctx.poolId);
    expect(second.json['payouts'].map((p: Json) => p['payoutCents']).sort()).toEqual(
      [9_091, 30_303, 60_606].sort(),
    );
    ctx.distributionId = second.json['distributionId'];
    const approvePath = `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.distributionId}/approve`;

    const reviewerTry = await reviewer('POST', approvePath);
    expect(reviewerTry.status).toBe(403);
    // Dual control: the admin who created the plan cannot approve it.
    const own = await admin('POST', approvePath);
    expect(own.status, own.text).toBe(403);
    expect(own.json['code']).toBe('SECOND_ADMIN_REQUIRED');
    expect(own.json['detail']).toContain('a second admin must approve');
    const approved = await admin2('POST', approvePath);
    expect(approved.status, approved.text).toBe(202);
    expect(approved.json).toMatchObject({
      status: 'APPROVED',
      scheduling: { state: 'QUEUED', chunks: 2, linesTotal: 4 },
      approvals: [expect.objectContaining({ by: 'local-admin-2' })],
    });
    // The job moves the claims in the background; GET shows its progress, then the totals.
    const recorded = await stack.waitFor(async () => {
      const plan = await admin('GET', approvePath.replace('/approve', ''));
      return plan.json['scheduling']?.['state'] === 'DONE' ? plan : undefined;
    });
    expect(recorded.json).toMatchObject({
      requiredApprovers: 2,
      createdBy: 'local-admin',
      approvedBy: 'local-admin-2',
      heldClaimIds: [],
      scheduling: { percent: 100, linesDone: 4, scheduled: 3, closed: 1, held: 0 },
    });

    const twice = await admin2('POST', approvePath);
    expect(twice.status).toBe(409);
    expect(twice.json['code']).toBe('ALREADY_APPROVED');
    // The first plan can never spend the pool now, nor can a new one.
    const other = await admin2(
      'POST',
      `/v1/admin/pools/${ctx.poolId}/distributions/${first.json['distributionId']}/approve`,
    );
    expect(other.status).toBe(409);
    expect(other.json['code']).toBe('POOL_ALREADY_DISTRIBUTED');
    // A later round waits until this plan's payment file is released.
    expect((await admin('POST', `/v1/admin/pools/${ctx.poolId}/distributions`)).status).toBe(409);
    // Nor can an approved claim be revised, nor the pool amount change.
    expect((await decide(ctx.a.claimId, { decision: 'deny', reason: 'x' })).status).toBe(409);
    expect((await admin('PATCH', `/v1/admin/pools/${ctx.poolId}`, { amountCents: 1 })).status).toBe(409);
  });

  it('releases the payment file only with a second admin, then downloads it as CSV with formula-looking cells defused', async () => {
    const base = `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.distributionId}`;
    const early = await admin('GET', `${base}/payments.csv`);
    expect(early.status).toBe(409);
    expect(early.json['code']).toBe('PLAN_NOT_RELEASED');
    const own = await admin('POST', `${base}/release`);
    expect(own.status).toBe(403);
    expect(own.json['code']).toBe('SECOND_ADMIN_REQUIRED');
    const released = await admin2('POST', `${base}/release`);
    expect(released.status, released.text).toBe(202);
    expect(released.json).toMatchObject({
      status: 'RELEASED',
      releaseApprovalsMissing: 0,
      paymentFile: { state: 'WRITING' },
    });
    const writing = await admin('GET', `${base}/payment-file`);
    if (writing.status === 409) expect(writing.json['code']).toBe('PAYMENT_FILE_NOT_READY');
    await stack.waitFor(async () => (await admin('GET', base)).json['paymentFile']?.['state'] === 'READY');
    // The file stored at release, byte for byte (a large one would be a redirect to S3).
    const res = await admin(
      'GET',
      `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.distributionId}/payments.csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="payments-DST-/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'distribution_id,claim_id,payee_name,address_line1,address_line2,city,state,postal_code,country,email,recognized_loss_cents,payout_cents,payout_amount,currency,reissue_of,payment_method,bank_routing_number,bank_account_last4,bank_account_number',
    );
    expect(lines).toHaveLength(4); // header + A, B, C (D was excluded)
    const a = lines.find((l) => l.includes(ctx.a.claimId))!;
    expect(a).toContain('"Rosa Martínez"');
    expect(a).toContain('"60606","606.06","USD",""');
    expect(res.text).not.toContain('HYPERLINK'); // D is not paid; and if it were, see the unit test
  });

  it('shows each claimant the payout and explains it in one sentence', async () => {
    const a = await status(ctx.a.claimId, ctx.a.accessCode);
    expect(a.json).toMatchObject({
      status: 'PAYMENT_SCHEDULED',
      recognizedLossCents: 120_000,
      payoutCents: 60_606,
      poolName: 'Operation Lighthouse remission',
    });
    expect(a.json['timeline'].map((t: Json) => t['status'])).toEqual([
      'SUBMITTED',
      'UNDER_REVIEW',
      'APPROVED',
      'PAYMENT_SCHEDULED',
    ]);
    expect(a.json['payoutExplanation']).toMatchObject({
      outcome: 'PAID_PRO_RATA',
      percentOfLossPaid: '50.50',
    });
    expect(a.json['payoutSentence']).toContain('$606.06');

    const d = await status(ctx.d.claimId, ctx.d.accessCode);
    expect(d.json).toMatchObject({ status: 'CLOSED', payoutCents: 0 });
    expect(d.json['payoutExplanation']).toMatchObject({ outcome: 'EXCLUDED', exactShareCents: '751.87' });
    expect(d.json['payoutSentence']).toContain('below the minimum payment of $10.00');
  });

  it('refuses a plan for a pool with no approved claims', async () => {
    const empty = await admin('POST', '/v1/admin/pools', {
      name: 'Empty programme',
      caseNumber: '2:26-cr-7',
      court: 'S.D. Fla.',
      amountCents: 10_000,
      claimDeadline: future(30),
    });
    const res = await computePlan(empty.json['poolId']);
    expect(res.json).toMatchObject({ status: 'FAILED', job: { state: 'FAILED' } });
    expect(res.json['job']['errors'][0]).toContain('no approved claims');
  });

  it('removes the matches of an identifier taken off the seizure list', async () => {
    const before = await reviewer('GET', `/v1/admin/pools/${ctx.poolId}/matches?kind=reports`);
    expect(before.json['reports'].map((r: Json) => r['reportId'])).toContain(ctx.late);
    const pool = (await reviewer('GET', `/v1/admin/pools/${ctx.poolId}`)).json;
    const res = await admin('PATCH', `/v1/admin/pools/${ctx.poolId}`, {
      version: pool['version'],
      seizedIndicators: [
        { type: 'crypto-wallet', value: wallets.btc },
        { type: 'crypto-wallet', value: wallets.eth },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json['matching']['removedMatches']).toBeGreaterThanOrEqual(1);
    const after = await reviewer('GET', `/v1/admin/pools/${ctx.poolId}/matches?kind=reports`);
    expect(after.json['reports'].map((r: Json) => r['reportId'])).not.toContain(ctx.late);
    const marker = await stack.dynamo.send(
      new QueryCommand({
        TableName: stack.tableNames.main,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: {
          ':pk': { S: `IND#bank-account#${pool['seizedIndicators'][1]['value']}` },
          ':p': { S: 'POOL#' },
        },
      }),
    );
    expect(marker.Count).toBe(0);
    const stalePatch = await admin('PATCH', `/v1/admin/pools/${ctx.poolId}`, {
      version: pool['version'],
      name: 'x',
    });
    expect(stalePatch.status).toBe(409);
  });

  it('rate-limits repeated failed status lookups from one client with 429, even for the right code', async () => {
    let last: Answer | undefined;
    for (let i = 0; i < 12 && last?.status !== 429; i++) {
      last = await status(ctx.b.claimId, `WRONG-${i}`);
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await status(ctx.b.claimId, ctx.b.accessCode)).status).toBe(429);
  });
});
