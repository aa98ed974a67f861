/**
 * "An approved plan pays each claim once, whatever fails or races." Approval is a job of
 * single-item conditional writes (no transactions locally): here its step crashes part-way and
 * runs again, two approvals arrive at once, and two plans race for one pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistributionJobV1 } from '#shared/messages/distribution-job.ts';
import { runApprovalStep } from '#shared/use-cases/approval-job.ts';
import { approvePlan, type DistributionDeps } from '#shared/use-cases/distribute.ts';
import { distributionDepsFor } from '#test/support/distribution-deps.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { apiCaller, type Call, type Json } from '#test/support/restoration-api.ts';

let stack: LocalStack;
let deps: DistributionDeps;
let call: Call;

beforeAll(async () => {
  stack = await startLocalStack();
  deps = distributionDepsFor(stack.runtime);
  call = apiCaller(stack, 'admin');
});

afterAll(async () => {
  await stack?.stop();
});

/** A claim in `poolId` for `loss` paid in cash, as the public form files it. */
async function fileCashClaim(poolId: string, loss: number) {
  const filed = await call(
    'POST',
    '/v1/claims',
    {
      poolId,
      claimant: {
        name: 'Ann Lee',
        address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' },
      },
      payments: [{ amountCents: loss, method: 'cash' }],
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Ann Lee' },
    },
    null,
  );
  expect(filed.status, JSON.stringify(filed.json)).toBe(201);
  return filed;
}

/** A pool with `losses.length` approved claims; returns ids and access codes. */
async function poolWithApprovedClaims(losses: number[]) {
  const pool = await call('POST', '/v1/admin/pools', {
    name: 'Recovery test',
    caseNumber: '1:26-cr-9',
    court: 'E.D. Va.',
    amountCents: 50_000,
    claimDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  });
  const poolId = pool.json['poolId'] as string;
  const claims: { claimId: string; accessCode: string }[] = [];
  for (const loss of losses) {
    const filed = await fileCashClaim(poolId, loss);
    claims.push({ claimId: filed.json['claimId'], accessCode: filed.json['accessCode'] });
    const ok = await call('POST', `/v1/admin/claims/${filed.json['claimId']}/decision`, {
      decision: 'approve',
      recognizedLossCents: loss,
    });
    expect(ok.status).toBe(200);
  }
  return { poolId, claims };
}

const planFor = async (poolId: string) => {
  const plan = await call('POST', `/v1/admin/pools/${poolId}/distributions`);
  expect(plan.status).toBe(202);
  const id = plan.json['distributionId'] as string;
  await stack.waitFor(
    async () =>
      (await call('GET', `/v1/admin/pools/${poolId}/distributions/${id}`)).json['status'] === 'PLANNED',
    { message: `plan ${id} was not computed` },
  );
  return id;
};

describe('approving a plan: crashes and races', () => {
  it('resumes an approval that crashed part-way, scheduling every claim exactly once', async () => {
    const { poolId, claims } = await poolWithApprovedClaims([40_000, 30_000, 20_000, 10_000]);
    const distributionId = await planFor(poolId);

    // Drive the job by hand (the queue only records what would be sent); crash after the second
    // claim has moved.
    const sent: DistributionJobV1[] = [];
    const manual: DistributionDeps = { ...deps, jobs: { send: async (m) => void sent.push(m) } };
    let moves = 0;
    const crashing: DistributionDeps = {
      ...manual,
      claims: {
        countForPool: (id) => deps.claims.countForPool(id),
        ledgerPage: (id, opts) => deps.claims.ledgerPage(id, opts),
        getMany: (ids) => deps.claims.getMany(ids),
        transition: async (claim, change, at) => {
          if (moves >= 2) throw new Error('Lambda timed out');
          moves++;
          return deps.claims.transition(claim, change, at);
        },
      },
    };
    const approved = await approvePlan(poolId, distributionId, 'admin-1', manual);
    expect(approved).toMatchObject({ status: 'APPROVED', scheduling: { state: 'QUEUED', step: 0 } });
    const message = sent.shift()!;
    expect(message).toMatchObject({ kind: 'approve', step: 0 });
    await expect(runApprovalStep(message, 1, crashing)).rejects.toThrow('timed out');
    // SQS delivers it again: the two moved claims count as done, the other two move now.
    expect(await runApprovalStep(message, 2, manual)).toBe('finished');
    expect(await runApprovalStep(message, 3, manual)).toBe('finished');
    const plan = await call('GET', `/v1/admin/pools/${poolId}/distributions/${distributionId}`);
    expect(plan.json).toMatchObject({
      heldClaimIds: [],
      scheduling: { state: 'DONE', scheduled: 4, held: 0, linesDone: 4 },
    });
    // The dashboard counts the four moves once, though the step ran three times.
    const dashboard = await call('GET', '/v1/admin/dashboard');
    const row = dashboard.json['claimsByStatus'].find((r: Json) => r['poolId'] === poolId);
    expect(row['counts']).toEqual({ PAYMENT_SCHEDULED: 4 });

    for (const c of claims) {
      const status = await call('POST', '/v1/claims/status', c, null);
      expect(status.json['status']).toBe('PAYMENT_SCHEDULED');
      const scheduled = status.json['timeline'].filter((t: Json) => t['status'] === 'PAYMENT_SCHEDULED');
      expect(scheduled).toHaveLength(1);
    }
    const again = await call(
      'POST',
      `/v1/admin/pools/${poolId}/distributions/${distributionId}/approve`,
      undefined,
      'admin2',
    );
    expect(again.status).toBe(409);
    expect(again.json['code']).toBe('ALREADY_APPROVED');
  });

  it('two approvals of the same plan at once schedule each claim once and hold nothing', async () => {
    const { poolId } = await poolWithApprovedClaims([25_000, 25_000, 10_000]);
    const distributionId = await planFor(poolId);
    const path = `/v1/admin/pools/${poolId}/distributions/${distributionId}/approve`;
    const answers = await Promise.all([
      call('POST', path, undefined, 'admin2'),
      call('POST', path, undefined, 'admin2'),
    ]);
    expect(answers.map((a) => a.status)).toContain(202);
    for (const a of answers) expect([202, 409]).toContain(a.status);
    const plan = path.replace('/approve', '');
    await stack.waitFor(async () => (await call('GET', plan)).json['scheduling']?.['state'] === 'DONE');
    expect((await call('GET', plan)).json).toMatchObject({ heldClaimIds: [], scheduling: { scheduled: 3 } });
    expect((await call('POST', path.replace('/approve', '/release'), undefined, 'admin2')).status).toBe(202);
    await stack.waitFor(async () => (await call('GET', plan)).json['paymentFile']?.['state'] === 'READY');
    const csv = await fetch(`${stack.baseUrl}${path.replace('/approve', '/payments.csv')}`, {
      headers: { authorization: `Bearer ${await stack.token('admin')}` },
    });
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(4);
  });

  it('two plans racing for one pool: exactly one is approved', async () => {
    const { poolId } = await poolWithApprovedClaims([30_000, 30_000]);
    const first = await planFor(poolId);
    const second = await planFor(poolId);
    const answers = await Promise.all(
      [first, second].map((id) =>
        call('POST', `/v1/admin/pools/${poolId}/distributions/${id}/approve`, undefined, 'admin2'),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    expect(loser.json['code']).toBe('POOL_ALREADY_DISTRIBUTED');
  });
});

describe('two reviewers deciding one claim at once', () => {
  const decideAs = async (sub: string, claimId: string, body: Json) => {
    const res = await fetch(`${stack.baseUrl}/v1/admin/claims/${claimId}/decision`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await stack.token('reviewer', { sub })}`,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };

  it('keeps the first decision and answers the second with a 409 that says what the first was', async () => {
    const { poolId } = await poolWithApprovedClaims([]);
    // A few rounds, so both ways of losing happen: the version read was already stale, or both
    // read the same version and the second write lost the condition.
    for (let round = 0; round < 3; round++) {
      const filed = await fileCashClaim(poolId, 40_000);
      const claimId = filed.json['claimId'] as string;
      const opened = await decideAs('rita', claimId, { decision: 'begin-review' });
      const version = opened.json['version'] as number;
      const answers = await Promise.all([
        decideAs('rita', claimId, {
          decision: 'approve',
          recognizedLossCents: 30_000,
          reason: 'Receipts match.',
          version,
        }),
        decideAs('sam', claimId, { decision: 'deny', reason: 'No link to the seized accounts.', version }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.status === 200)!.json;
      const loser = answers.find((a) => a.status === 409)!.json;
      const won = winner['decisions'].at(-1);
      expect(loser['code']).toBe('CLAIM_CHANGED');
      expect(loser['detail']).toContain(`by ${won.by}`);
      expect(loser['decided']).toEqual({
        status: winner['status'],
        version: winner['version'],
        decision: won.decision,
        by: won.by,
        at: won.at,
        reason: won.reason,
        ...(won.decision === 'approve' ? { recognizedLossCents: 30_000, currency: 'USD' } : {}),
      });
      // Nothing overwritten: the stored claim holds exactly the winner's decision.
      const stored = await call('GET', `/v1/admin/claims/${claimId}`, undefined, 'reviewer');
      expect(stored.json['status']).toBe(winner['status']);
      expect(stored.json['version']).toBe(version + 1);
      expect(stored.json['decisions'].map((d: Json) => d['decision'])).toEqual([
        'begin-review',
        won.decision,
      ]);
    }
  });
});
