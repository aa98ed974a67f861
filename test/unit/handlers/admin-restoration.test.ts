import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { Claim } from '#shared/domain/claim.ts';
import type { Pool } from '#shared/domain/pool.ts';
import { newClaimId, newDistributionId, newPoolId } from '#shared/domain/secrets.ts';
import { runApprovalStep } from '#shared/use-cases/approval-job.ts';
import { type DistributionHeader, jobMessage } from '#shared/use-cases/distribute.ts';
import { runPaymentFileStep } from '#shared/use-cases/payment-file-job.ts';
import { apiEvent, lambdaContext, staffClaims } from '#test/support/events.ts';
import { TEST_KEY_BASE64, wallets } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

/** The JSON Pointer a problem gives for a dotted field path. */
const pointer = (path: string) => `/${path.replaceAll('.', '/')}`;

process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const fakes = new Fakes();
provide(fakes.deps);
type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let pools: Handler;
let claims: Handler;
let distributions: Handler;
let publicPools: Handler;

beforeAll(async () => {
  const load = async (path: string) => ((await import(path)) as { handler: Handler }).handler;
  pools = await load('#functions/admin-pools/handler.ts');
  claims = await load('#functions/admin-claims/handler.ts');
  distributions = await load('#functions/admin-distributions/handler.ts');
  publicPools = await load('#functions/pools/handler.ts');
});

const POOL_ID = newPoolId();
const CLAIM_ID = newClaimId();
const DIST_ID = newDistributionId();

const SEIZED = { type: 'crypto-wallet' as const, value: `btc:${wallets.btc}`, display: wallets.btc };
const poolItem = (over: Partial<Pool> = {}): Pool => ({
  poolId: POOL_ID,
  name: 'Operation Lighthouse',
  caseNumber: '1:26-cv-42',
  court: 'D.D.C.',
  eligibility: 'e',
  amountCents: 100_000,
  currency: 'USD',
  seizedIndicators: [SEIZED],
  claimDeadline: '2099-12-31',
  minimumPayoutCents: 1000,
  status: 'OPEN',
  version: 3,
  createdBy: 'a',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...over,
});

const claimItem = (over: Partial<Claim> = {}): Claim => ({
  claimId: CLAIM_ID,
  status: 'SUBMITTED',
  version: 4,
  filedAt: '2026-11-02T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  accessCodeHash: 'f'.repeat(64),
  poolId: POOL_ID,
  reportIds: [],
  claimant: {
    name: 'Rosa',
    address: { line1: '1 A St', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
  },
  payments: [],
  currency: 'USD',
  claimedCents: 100_000,
  recoveriesCents: 20_000,
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa', signedAt: 'x' },
  timeline: [{ status: 'SUBMITTED', at: '2026-11-02T00:00:00.000Z' }],
  decisions: [],
  flags: [],
  ...over,
});

beforeEach(() => {
  fakes.reset();
  fakes.pools.seed(poolItem());
  fakes.claims.seed(claimItem());
});

const invoke = async (
  fn: () => Handler,
  routeKey: string,
  o: { role?: 'reviewer' | 'admin' | 'none'; body?: unknown; path?: Record<string, string> } = {},
) => {
  const res = await fn()(
    apiEvent({
      routeKey,
      ...(o.body === undefined ? {} : { body: o.body as object }),
      ...(o.path ? { pathParameters: o.path } : {}),
      ...(o.role ? { claims: staffClaims(o.role) } : {}),
    }),
    lambdaContext('admin'),
  );
  return { res, json: res.body?.startsWith('{') ? JSON.parse(res.body) : res.body };
};

const writes = () => fakes.writes().length;

const newPoolBody = (over: Record<string, unknown> = {}) => ({
  name: 'Operation Lighthouse',
  caseNumber: '1:26-cv-42',
  court: 'D.D.C.',
  amountCents: 100_000,
  seizedIndicators: [{ type: 'crypto-wallet', value: wallets.btc }],
  claimDeadline: '2099-06-30',
  ...over,
});

describe('pools', () => {
  it('lets only admins create pools (401 anonymous, 403 reviewer), touching nothing', async () => {
    expect((await invoke(() => pools, 'POST /v1/admin/pools', { body: newPoolBody() })).res.statusCode).toBe(
      401,
    );
    const reviewer = await invoke(() => pools, 'POST /v1/admin/pools', {
      role: 'reviewer',
      body: newPoolBody(),
    });
    expect(reviewer.res.statusCode).toBe(403);
    expect(fakes.log).toEqual([]);
  });

  it('creates a pool (201 with its location), marks each seized identifier, then matches through each one', async () => {
    const { res, json } = await invoke(() => pools, 'POST /v1/admin/pools', {
      role: 'admin',
      body: newPoolBody(),
    });
    expect(res.statusCode).toBe(201);
    expect(json.poolId).toMatch(/^POOL-/);
    expect(json.createdBy).toBe('staff-1');
    expect(res.headers).toMatchObject({ location: `/v1/admin/pools/${json.poolId}` });
    expect(json.matching).toMatchObject({ poolId: json.poolId, identifiers: 1, matches: 0 });
    expect(fakes.pools.items.get(json.poolId)).toMatchObject({ status: 'OPEN', seizedIndicators: [SEIZED] });
    expect(await fakes.pools.poolsSeizing('crypto-wallet', SEIZED.value)).toContain(json.poolId);
    // the pool is stored before its markers, and matching reads the identifier once
    const log = fakes.log.filter((c) => c !== 'pools.poolsSeizing');
    expect(log.indexOf('pools.create')).toBeLessThan(log.indexOf('pools.putSeizedMarker'));
    expect(log.filter((c) => c === 'pools.linkedSubjects')).toHaveLength(1);
  });

  it.each([
    ['a missing name', newPoolBody({ name: undefined }), 'name'],
    ['a negative amount', newPoolBody({ amountCents: -1 }), 'amountCents'],
    ['a text amount', newPoolBody({ amountCents: '100' }), 'amountCents'],
    [
      'a bad wallet',
      newPoolBody({ seizedIndicators: [{ type: 'crypto-wallet', value: '0xnope' }] }),
      'seizedIndicators.0.value',
    ],
    [
      'an unknown identifier type',
      newPoolBody({ seizedIndicators: [{ type: 'fax', value: '1' }] }),
      'seizedIndicators.0.type',
    ],
    ['a past deadline', newPoolBody({ claimDeadline: '2020-01-01' }), 'claimDeadline'],
    ['a bad date', newPoolBody({ claimDeadline: '30/06/2099' }), 'claimDeadline'],
    ['a bad currency', newPoolBody({ currency: 'DOLLARS' }), 'currency'],
  ])('refuses %s with 400 naming the field and stores nothing', async (_, body, path) => {
    const { res, json } = await invoke(() => pools, 'POST /v1/admin/pools', { role: 'admin', body });
    expect(res.statusCode).toBe(400);
    expect(json.errors.map((f: { pointer: string }) => f.pointer)).toContain(pointer(path));
    expect(writes()).toBe(0);
  });

  it('refuses to change the money of a pool whose plan is approved', async () => {
    fakes.pools.seed(poolItem({ activeDistributionId: DIST_ID }));
    const { res, json } = await invoke(() => pools, 'PATCH /v1/admin/pools/{poolId}', {
      role: 'admin',
      path: { poolId: POOL_ID },
      body: { amountCents: 5 },
    });
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('POOL_LOCKED');
    expect(writes()).toBe(0);
  });

  it('refuses an edit based on an old version, and reports a lost race as 409', async () => {
    const stale = await invoke(() => pools, 'PATCH /v1/admin/pools/{poolId}', {
      role: 'admin',
      path: { poolId: POOL_ID },
      body: { version: 2, name: 'New name' },
    });
    expect(stale.res.statusCode).toBe(409);
    // another admin saves between our read and our write
    fakes.pools.before('replace', () => fakes.pools.seed(poolItem({ version: 4 })));
    const raced = await invoke(() => pools, 'PATCH /v1/admin/pools/{poolId}', {
      role: 'admin',
      path: { poolId: POOL_ID },
      body: { name: 'New name' },
    });
    expect(raced.res.statusCode).toBe(409);
    expect(raced.json.code).toBe('POOL_CHANGED');
    expect(fakes.pools.items.get(POOL_ID)?.name).toBe('Operation Lighthouse');
  });

  it('saves an edit: 200 with the new version, and re-matches', async () => {
    const { res, json } = await invoke(() => pools, 'PATCH /v1/admin/pools/{poolId}', {
      role: 'admin',
      path: { poolId: POOL_ID },
      body: { version: 3, name: 'New name' },
    });
    expect(res.statusCode).toBe(200);
    expect(json).toMatchObject({ name: 'New name', version: 4, updatedBy: 'staff-1' });
    expect(json.matching).toMatchObject({ poolId: POOL_ID });
    expect(fakes.pools.items.get(POOL_ID)).toMatchObject({ name: 'New name', version: 4 });
  });

  it('lists open pools for the public without seized identifiers, from today on by deadline', async () => {
    fakes.pools.seed(poolItem({ poolId: newPoolId(), status: 'CLOSED' }));
    fakes.pools.seed(poolItem({ poolId: newPoolId(), claimDeadline: '2020-01-01' }));
    const later = newPoolId();
    fakes.pools.seed(poolItem({ poolId: later, claimDeadline: '2100-01-01' }));
    const { res, json } = await invoke(() => publicPools, 'GET /v1/pools');
    expect(res.statusCode).toBe(200);
    expect(json.pools.map((p: { poolId: string }) => p.poolId)).toEqual([POOL_ID, later]);
    expect(json.pools[0].seizedIndicators).toBeUndefined();
  });
});

describe('claim decisions', () => {
  const decide = (body: unknown, role: 'reviewer' | 'admin' = 'reviewer') =>
    invoke(() => claims, 'POST /v1/admin/claims/{claimId}/decision', {
      role,
      path: { claimId: CLAIM_ID },
      body,
    });

  it('approves with a recognised loss, recording who and when, in one update conditioned on the version', async () => {
    const { res, json } = await decide({ decision: 'approve', recognizedLossCents: 80_000 });
    expect(res.statusCode).toBe(200);
    expect(json).toMatchObject({ status: 'APPROVED', recognizedLossCents: 80_000, version: 5 });
    expect(json.decisions[0]).toMatchObject({
      decision: 'approve',
      by: 'staff-1',
      recognizedLossCents: 80_000,
    });
    expect(fakes.claims.items.get(CLAIM_ID)).toMatchObject({
      status: 'APPROVED',
      version: 5,
      recognizedLossCents: 80_000,
    });
    expect(fakes.log.filter((c) => c === 'claims.transition')).toHaveLength(1);
  });

  it('shows the reviewer the pre-filled recognised loss: paid minus recoveries', async () => {
    const { json } = await invoke(() => claims, 'GET /v1/admin/claims/{claimId}', {
      role: 'reviewer',
      path: { claimId: CLAIM_ID },
    });
    expect(json.defaultRecognizedLossCents).toBe(80_000);
    expect(json.accessCodeHash).toBeUndefined();
  });

  it('refuses a recognised loss above paid minus recoveries with 400 and writes nothing', async () => {
    const { res, json } = await decide({ decision: 'approve', recognizedLossCents: 80_001 });
    expect(res.statusCode).toBe(400);
    expect(json.errors[0]).toEqual({
      pointer: '/recognizedLossCents',
      detail: expect.stringContaining('80000 cents ($800.00)'),
    });
    expect(writes()).toBe(0);
  });

  it.each([
    [{ decision: 'approve' }, 'recognizedLossCents'],
    [{ decision: 'approve', recognizedLossCents: 0 }, 'recognizedLossCents'],
    [{ decision: 'deny' }, 'reason'],
    [{ decision: 'request-info', message: '  ' }, 'message'],
    [{ decision: 'pay-now' }, 'decision'],
  ])('refuses %j with 400', async (body, path) => {
    const { res, json } = await decide(body);
    expect(res.statusCode).toBe(400);
    expect(json.errors.map((f: { pointer: string }) => f.pointer)).toContain(pointer(path));
  });

  it('refuses a decision on a claim in the wrong state with a clear 409', async () => {
    fakes.claims.seed(claimItem({ status: 'PAYMENT_SCHEDULED' }));
    const { res, json } = await decide({ decision: 'deny', reason: 'Duplicate.' });
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('WRONG_CLAIM_STATE');
    expect(json.detail).toContain('payment is already scheduled');
    expect(writes()).toBe(0);
  });

  it('reports a concurrent decision (version changed underneath) as 409', async () => {
    // another reviewer decides between our read and our write
    fakes.claims.before('transition', () => fakes.claims.seed(claimItem({ version: 5 })));
    const { res, json } = await decide({ decision: 'deny', reason: 'No proof of payment.' });
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('CLAIM_CHANGED');
  });

  it('refuses to revise an approved claim once its pool has an approved plan', async () => {
    fakes.claims.seed(claimItem({ status: 'APPROVED', recognizedLossCents: 80_000 }));
    fakes.pools.seed(poolItem({ activeDistributionId: DIST_ID }));
    const { res, json } = await decide({ decision: 'approve', recognizedLossCents: 70_000 });
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('CLAIM_LOCKED');
  });

  it('queues claims by pool and status, and refuses an unknown status with 400', async () => {
    const approvedId = newClaimId();
    fakes.claims.seed(claimItem({ claimId: approvedId, status: 'APPROVED', recognizedLossCents: 1 }));
    fakes.claims.seed(claimItem({ claimId: newClaimId(), poolId: newPoolId(), status: 'APPROVED' }));
    const { res, json } = await invoke(() => claims, 'GET /v1/admin/claims', { role: 'reviewer' });
    expect(res.statusCode).toBe(200);
    expect(json.items.map((c: { claimId: string }) => c.claimId)).toEqual([CLAIM_ID]);
    const event = apiEvent({
      routeKey: 'GET /v1/admin/claims',
      queryStringParameters: { poolId: POOL_ID, status: 'APPROVED' },
      claims: staffClaims('reviewer'),
    });
    const byPool = await claims(event, lambdaContext('admin'));
    expect(byPool.statusCode).toBe(200);
    expect(JSON.parse(byPool.body!).items.map((c: { claimId: string }) => c.claimId)).toEqual([approvedId]);
    const bad = await claims(
      apiEvent({
        routeKey: 'GET /v1/admin/claims',
        queryStringParameters: { status: 'LOST' },
        claims: staffClaims('reviewer'),
      }),
      lambdaContext('admin'),
    );
    expect(bad.statusCode).toBe(400);
  });
});

describe('distributions', () => {
  const plan = (role: 'reviewer' | 'admin' = 'admin') =>
    invoke(() => distributions, 'POST /v1/admin/pools/{poolId}/distributions', {
      role,
      path: { poolId: POOL_ID },
    });
  const approve = () =>
    invoke(() => distributions, 'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/approve', {
      role: 'admin',
      path: { poolId: POOL_ID, distributionId: DIST_ID },
    });
  /** The subject of every staff token in these tests (test/support/events.ts). */
  const staffSub = 'staff-1';
  const headerItem = (over: Partial<DistributionHeader> = {}): DistributionHeader => ({
    distributionId: DIST_ID,
    poolId: POOL_ID,
    status: 'PLANNED',
    currency: 'USD',
    roundNumber: 1,
    job: {
      state: 'READY',
      phase: 'DONE',
      step: 4,
      claimsRead: 1,
      inputChunks: 1,
      linesWritten: 1,
      percent: 100,
      errors: [],
      startedAt: 'x',
      updatedAt: 'x',
    },
    requiredApprovers: 2,
    approvals: [],
    releaseApprovals: [],
    poolTotalCents: 100_000,
    poolAmountCents: 100_000,
    minimumPayoutCents: 1000,
    basis: 'FULL',
    totalRecognizedLossCents: 1,
    totalPayoutCents: 1,
    leftoverCents: 0,
    rounds: 0,
    payoutCount: 1,
    excludedCount: 0,
    payoutChunks: 1,
    excludedChunks: 0,
    // Someone other than the staff token's subject: this admin may approve.
    createdBy: 'another-admin',
    createdAt: 'x',
    ...over,
  });

  it('starts a plan as a job: 202, a header, one queued step, no lines yet; reviewers get 403', async () => {
    const { res, json } = await plan();
    expect(res.statusCode).toBe(202);
    expect(json).toMatchObject({
      status: 'COMPUTING',
      job: { state: 'QUEUED', step: 0 },
      requiredApprovers: 2,
    });
    expect(fakes.distributions.headers.get(`${POOL_ID}|${json.distributionId}`)).toMatchObject({
      createdBy: staffSub,
    });
    expect(fakes.jobs.sent).toEqual([
      expect.objectContaining({ kind: 'plan', step: 0, distributionId: json.distributionId }),
    ]);
    expect(fakes.artefacts.objects.size).toBe(0);
    expect((await plan('reviewer')).res.statusCode).toBe(403);
  });

  it('answers 503 and marks the plan FAILED when the job cannot be queued', async () => {
    fakes.jobs.failOn('send', new Error('connect ECONNREFUSED'));
    const { res } = await plan();
    expect(res.statusCode).toBe(503);
    expect([...fakes.distributions.headers.values()].map((h) => h.status)).toEqual(['FAILED']);
  });

  it("refuses the creator's own approval (403), a plan approved twice, still computing, stale, or whose pool another plan holds", async () => {
    fakes.distributions.seed(headerItem({ createdBy: staffSub }));
    const own = await approve();
    expect(own.res.statusCode).toBe(403);
    expect(own.json.code).toBe('SECOND_ADMIN_REQUIRED');
    expect(own.json.detail).toContain('a second admin must approve');

    fakes.distributions.seed(headerItem({ poolAmountChangedBy: staffSub }));
    expect((await approve()).res.statusCode).toBe(403);

    fakes.distributions.seed(
      headerItem({ status: 'APPROVED', approvedAt: '2026-11-20T00:00:00Z', scheduledAt: 'y' }),
    );
    expect((await approve()).json.code).toBe('ALREADY_APPROVED');

    // Approved, its job still running: the creator's press is refused like a sign-off.
    fakes.distributions.seed(
      headerItem({
        status: 'APPROVED',
        createdBy: staffSub,
        approvals: [{ by: 'admin-b', at: 'x' }],
        scheduling: {
          state: 'RUNNING',
          step: 1,
          chunks: 2,
          linesTotal: 2,
          linesDone: 1,
          scheduled: 1,
          reissued: 0,
          closed: 0,
          held: 0,
          percent: 50,
          startedAt: 'x',
          updatedAt: 'x',
        },
      }),
    );
    expect((await approve()).json.code).toBe('SECOND_ADMIN_REQUIRED');
    expect(fakes.jobs.sent).toEqual([]);

    fakes.distributions.seed(headerItem({ status: 'COMPUTING' }));
    expect((await approve()).json.code).toBe('PLAN_NOT_READY');

    fakes.distributions.seed(headerItem({ poolTotalCents: 90_000 }));
    const stale = await approve();
    expect(stale.res.statusCode).toBe(409);
    expect(stale.json.code).toBe('STALE_PLAN');
    expect(writes()).toBe(0);

    fakes.distributions.seed(headerItem());
    fakes.pools.seed(poolItem({ activeDistributionId: newDistributionId() }));
    expect((await approve()).json.code).toBe('POOL_ALREADY_DISTRIBUTED');
  });

  it('keeps a plan PLANNED until enough admins signed when the deployment asks for three', async () => {
    fakes.distributions.seed(headerItem({ requiredApprovers: 3 }));
    const { res, json } = await approve();
    expect(res.statusCode).toBe(200);
    expect(json).toMatchObject({ status: 'PLANNED', approvalsMissing: 1, approvals: [{ by: staffSub }] });
    expect((await approve()).json.code).toBe('ALREADY_SIGNED');
  });

  it('approves with a second admin as a job: 202 and a queued step; each step moves one chunk of claims, once', async () => {
    fakes.pools.seed(poolItem());
    fakes.distributions.seed(headerItem({ payoutChunks: 1, excludedChunks: 0 }));
    fakes.claims.seed(claimItem({ status: 'APPROVED', version: 5, recognizedLossCents: 80_000 }));
    await fakes.artefacts.putJson(`distributions/${DIST_ID}/payouts/000001.json`, [
      { claimId: CLAIM_ID, recognizedLossCents: 80_000, payoutCents: 1, claimVersion: 5 },
    ]);
    const { res, json } = await approve();
    expect(res.statusCode).toBe(202);
    expect(json).toMatchObject({
      status: 'APPROVED',
      scheduling: { state: 'QUEUED', chunks: 1, percent: 0 },
    });
    expect(fakes.claims.items.get(CLAIM_ID)?.status).toBe('APPROVED'); // nothing moved in the API call
    const [message] = fakes.jobs.sent.splice(0);
    expect(message).toMatchObject({ kind: 'approve', step: 0 });
    const deps = { ...fakes.deps, counts: fakes.stats } as never;
    expect(await runApprovalStep(message!, 1, deps)).toBe('finished');
    expect(await runApprovalStep(message!, 2, deps)).toBe('finished');
    expect(fakes.claims.items.get(CLAIM_ID)).toMatchObject({ status: 'PAYMENT_SCHEDULED', version: 6 });
    // The step counted its one move once, under the step's token (not the claim's).
    const moved = fakes.stats.counters.get(`claims|${POOL_ID}#PAYMENT_SCHEDULED`);
    expect(moved?.n).toEqual({ n: 1 });
    expect([...(moved?.seen ?? [])]).toEqual([`${DIST_ID}:approve:0:APPROVED>PAYMENT_SCHEDULED`]);
    expect(fakes.distributions.headers.get(`${POOL_ID}|${DIST_ID}`)).toMatchObject({
      heldClaimIds: [],
      scheduledAt: expect.any(String),
      scheduling: { state: 'DONE', percent: 100, scheduled: 1, linesDone: 1 },
    });
    expect((await approve()).json.code).toBe('ALREADY_APPROVED');
  });

  it.each([0, 1, 2, 3, 4])(
    'an approval step that dies after %i of 4 claims moved, or while counting, and is delivered again twice at once counts each move once',
    async (dieAfter) => {
      fakes.stats.counters.clear(); // the fake counters outlive reset(); earlier steps used DIST_ID too
      const ids = [newClaimId(), newClaimId(), newClaimId(), newClaimId()];
      fakes.distributions.seed(
        headerItem({ payoutChunks: 1, excludedChunks: 1, payoutCount: 3, excludedCount: 1 }),
      );
      for (const claimId of ids) {
        const claim = claimItem({ claimId, status: 'APPROVED', version: 5, recognizedLossCents: 100 });
        fakes.claims.seed({ ...claim, timeline: [...claim.timeline, { status: 'APPROVED', at: 'x' }] });
      }
      const line = (claimId: string) => ({
        claimId,
        recognizedLossCents: 100,
        payoutCents: 2000,
        claimVersion: 5,
      });
      await fakes.artefacts.putJson(
        `distributions/${DIST_ID}/payouts/000001.json`,
        ids.slice(0, 3).map(line),
      );
      await fakes.artefacts.putJson(`distributions/${DIST_ID}/excluded/000001.json`, [
        { ...line(ids[3]!), payoutCents: 0, excluded: true },
      ]);
      const deps = { ...fakes.deps, counts: fakes.stats };
      let moves = 0;
      const dying = {
        ...deps,
        claims: {
          getMany: (claimIds: readonly string[]) => fakes.claims.getMany(claimIds),
          transition: async (...args: Parameters<typeof fakes.claims.transition>) => {
            if (moves++ >= dieAfter) throw new Error('Lambda timed out');
            return fakes.claims.transition(...args);
          },
        },
        // Dies while counting too: only when every claim has moved.
        counts: {
          claimsMoved: async () => {
            throw new Error('Lambda timed out');
          },
        },
      };
      const run = async (step: number, receive: number, d: object) =>
        runApprovalStep(jobMessage(headerItem(), 'approve', step), receive, d as never);
      expect((await approve()).res.statusCode).toBe(202);
      fakes.jobs.sent.length = 0; // the steps are delivered by hand below
      await expect(run(0, 1, dying)).rejects.toThrow('timed out');
      await expect(run(1, 1, dying)).resolves.toBe('duplicate'); // not its turn yet
      // Delivered again, twice at once: every claim moves once and the step counts once.
      await Promise.all([run(0, 2, deps), run(0, 3, deps)]);
      await Promise.all([run(1, 1, deps), run(1, 2, deps)]);
      const count = (status: string) => fakes.stats.counters.get(`claims|${POOL_ID}#${status}`)?.n['n'];
      expect({
        approved: count('APPROVED'),
        scheduled: count('PAYMENT_SCHEDULED'),
        closed: count('CLOSED'),
      }).toEqual({
        approved: -4,
        scheduled: 3,
        closed: 1,
      });
      expect(fakes.distributions.headers.get(`${POOL_ID}|${DIST_ID}`)?.scheduling).toMatchObject({
        state: 'DONE',
        scheduled: 3,
        closed: 1,
        held: 0,
      });
    },
  );

  it('refuses the payment file of a plan that is not released', async () => {
    fakes.distributions.seed(headerItem({ status: 'APPROVED', scheduledAt: 'y' }));
    const { res, json } = await invoke(
      () => distributions,
      'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv',
      { role: 'admin', path: { poolId: POOL_ID, distributionId: DIST_ID } },
    );
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('PLAN_NOT_RELEASED');
  });

  it('writes the payment file once after release, every cell defused, with its SHA-256 on the plan and in the audit trail, and links to that file', async () => {
    fakes.distributions.seed(
      headerItem({
        status: 'RELEASED',
        scheduledAt: 'y',
        releasedBy: 'admin-b',
        paymentFile: {
          state: 'WRITING',
          step: 0,
          chunks: 1,
          rows: 0,
          percent: 0,
          parts: [],
          startedAt: 'x',
          updatedAt: 'x',
        },
      }),
    );
    await fakes.artefacts.putJson(`distributions/${DIST_ID}/payouts/000001.json`, [
      { claimId: CLAIM_ID, recognizedLossCents: 80_000, payoutCents: 12_345, claimVersion: 5 },
    ]);
    fakes.claims.seed(
      claimItem({
        claimant: {
          name: '=cmd|" /C calc"!A0',
          email: '@evil.example',
          address: { line1: '+1 Main St', city: '-Town', state: 'FL', zip: '33101', country: 'US' },
        },
      }),
    );
    const early = await invoke(
      () => distributions,
      'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file',
      { role: 'admin', path: { poolId: POOL_ID, distributionId: DIST_ID } },
    );
    expect(early.res.statusCode).toBe(409);
    expect(early.json.code).toBe('PAYMENT_FILE_NOT_READY');

    const audited: AuditEvent[] = [];
    const deps = { ...fakes.deps, audit: { record: async (e: AuditEvent) => void audited.push(e) } };
    const message = { ...jobMessage({ poolId: POOL_ID, distributionId: DIST_ID }, 'payment-file', 0) };
    expect(await runPaymentFileStep(message, 1, deps as never)).toBe('done');
    expect(await runPaymentFileStep(message, 2, deps as never)).toBe('resent'); // died before the send
    expect(await runPaymentFileStep({ ...message, step: 1 }, 1, deps as never)).toBe('finished');
    expect(await runPaymentFileStep({ ...message, step: 1 }, 2, deps as never)).toBe('finished');

    const header = fakes.distributions.headers.get(`${POOL_ID}|${DIST_ID}`)!;
    const file = fakes.artefacts.files.get(header.paymentFile!.key!)!;
    const text = new TextDecoder().decode(file.body);
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(text.split('\r\n')[1]).toBe(
      `"${DIST_ID}","${CLAIM_ID}","'=cmd|"" /C calc""!A0","'+1 Main St","","'-Town","FL","33101","US","'@evil.example","80000","12345","123.45","USD","","check","","",""`,
    );
    const sha256 = createHash('sha256').update(file.body).digest('hex');
    expect(header.paymentFile).toMatchObject({ state: 'READY', rows: 1, sha256, bytes: file.body.length });
    expect(fakes.artefacts.files.size).toBe(1); // written once, whatever was delivered twice
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'write',
        subjectIds: [DIST_ID, POOL_ID],
        detail: expect.stringContaining(sha256),
      }),
    ]);

    const link = await invoke(
      () => distributions,
      'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file',
      { role: 'admin', path: { poolId: POOL_ID, distributionId: DIST_ID } },
    );
    expect(link.res.statusCode).toBe(200);
    expect(link.json).toMatchObject({ sha256, rows: 1, fileName: `payments-${DIST_ID}.csv` });
    expect(link.json.url).toContain(header.paymentFile!.key!);
    const redirect = await invoke(
      () => distributions,
      'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv',
      { role: 'admin', path: { poolId: POOL_ID, distributionId: DIST_ID } },
    );
    // Small enough to answer in the response: the stored bytes themselves.
    expect(redirect.res.statusCode).toBe(200);
    expect(redirect.res.headers).toMatchObject({
      'x-checksum-sha256': sha256,
      'content-type': 'text/csv; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(Buffer.from(String(redirect.res.body), 'base64').toString('utf8')).toBe(text);
  });

  it('takes payment results as text/csv, or as the id of a file uploaded to S3 (JSON)', async () => {
    fakes.distributions.seed(headerItem({ status: 'RELEASED', scheduledAt: 'y' }));
    const { res, json } = await invoke(
      () => distributions,
      'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results',
      { role: 'admin', path: { poolId: POOL_ID, distributionId: DIST_ID }, body: { lines: [] } },
    );
    expect(res.statusCode).toBe(400); // JSON: the upload route, and this body names no upload
    expect(json.errors?.[0]?.pointer ?? JSON.stringify(json)).toContain('uploadId');
  });
});
