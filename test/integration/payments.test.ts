/**
 * Money after the plan, end to end on the local runtime (docs/distribution-jobs.md has the same
 * example worked by hand): a first round paid pro rata, a results file refused line by line and
 * then accepted, a returned payment whose claimant gives a new address, an uncashed check whose
 * money lapses back to the pool, and a second round that shares it out and reissues the returned
 * payment, to the cent. Also: a plan job that fails a step and resumes, and duplicate deliveries.
 */
import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistributionJobV1 } from '#shared/messages/distribution-job.ts';
import { type DistributionDeps, startPlan } from '#shared/use-cases/distribute.ts';
import { runPlanStep } from '#shared/use-cases/plan-job.ts';
import { distributionDepsFor } from '#test/support/distribution-deps.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import {
  apiCaller,
  approveAndRelease as approveAndReleaseOf,
  approvedClaim as approvedClaimOf,
  type Call,
  computePlan as computePlanOf,
  type Json,
} from '#test/support/restoration-api.ts';

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

const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const approvedClaim = (poolId: string, name: string, lossCents: number, claimant: Json = {}) =>
  approvedClaimOf(call, poolId, name, lossCents, claimant);

async function computePlan(poolId: string): Promise<Json> {
  const plan = await computePlanOf(call, stack, poolId);
  expect(plan.json['status'], plan.text).toBe('PLANNED');
  return plan.json;
}

/** Approves (a job moves the claims), then releases (a job writes the payment file); the plan after. */
const approveAndRelease = (poolId: string, distributionId: string) =>
  approveAndReleaseOf(call, stack, poolId, distributionId);

/** The payment file as a script downloads it (a small one comes in the answer, a large one by 303 to S3). */
async function downloadPaymentFile(poolId: string, distributionId: string) {
  const res = await fetch(
    `${stack.baseUrl}/v1/admin/pools/${poolId}/distributions/${distributionId}/payments.csv`,
    {
      headers: { authorization: `Bearer ${await stack.token('admin')}` },
    },
  );
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    bytes,
    text: new TextDecoder().decode(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

const claimStatus = async (c: { claimId: string; accessCode: string }) =>
  (await call('POST', '/v1/claims/status', c, null)).json;

const payoutsById = (plan: Json) =>
  Object.fromEntries(plan['payouts'].map((p: Json) => [p['claimId'], p['payoutCents']]));

describe('two rounds with a returned payment, to the cent', () => {
  const ctx: Json = {};

  it('round 1: $1,000.00 over losses of $700.00, $400.00 and $15.00, pro rata', async () => {
    const pool = await call('POST', '/v1/admin/pools', {
      name: 'Two rounds',
      caseNumber: '1:26-cr-77',
      court: 'E.D. Va.',
      amountCents: 100_000,
      minimumPayoutCents: 500,
      claimDeadline: future,
    });
    expect(pool.status, pool.text).toBe(201);
    ctx.poolId = pool.json['poolId'];
    // A asks for a direct deposit when filing.
    ctx.a = await approvedClaim(ctx.poolId, 'Ann Lee', 70_000, {
      payoutAccount: { routingNumber: '011000015', accountNumber: '1234567890' },
    });
    ctx.b = await approvedClaim(ctx.poolId, 'Bo Diaz', 40_000);
    ctx.c = await approvedClaim(ctx.poolId, 'Cy Park', 1_500);

    const plan = await computePlan(ctx.poolId);
    ctx.round1 = plan['distributionId'];
    // S = 111,500: A 62,780 r 30,000; B 35,874 r 49,000; C 1,345 r 32,500; the 1 cent left -> B.
    expect(payoutsById(plan)).toEqual({
      [ctx.a.claimId]: 62_780,
      [ctx.b.claimId]: 35_875,
      [ctx.c.claimId]: 1_345,
    });
    expect(plan).toMatchObject({
      roundNumber: 1,
      basis: 'PRO_RATA',
      totalPayoutCents: 100_000,
      poolAmountCents: 100_000,
    });
    await approveAndRelease(ctx.poolId, ctx.round1);

    // A's account number: in DynamoDB only its last 4 in clear, and sealed; in the file in full.
    const raw = await DynamoDBDocumentClient.from(stack.dynamo).send(
      new GetCommand({
        TableName: stack.tableNames.main,
        Key: { pk: `CLAIM#${ctx.a.claimId}`, sk: 'CLAIM' },
      }),
    );
    expect(JSON.stringify(raw.Item).match(/123456/g)).toBeNull();
    expect(raw.Item?.['claimant']).toMatchObject({
      payoutMethod: 'direct-deposit',
      payoutAccount: { routingNumber: '011000015', last4: '7890', sealed: expect.any(String) },
    });
    const file = await call('GET', `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.round1}/payments.csv`);
    const rows = file.text.trim().split('\r\n');
    expect(rows[0]!.split(',').at(-1)).toBe('bank_account_number');
    expect(rows.find((r) => r.includes(ctx.a.claimId))).toMatch(
      /"62780","627.80","USD","","direct-deposit","011000015","7890","1234567890"$/,
    );
    expect(rows.find((r) => r.includes(ctx.c.claimId))).toMatch(/"check","","",""$/);
  });

  it('refuses a results file that does not reconcile, listing every bad line, and applies nothing', async () => {
    const path = `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.round1}/payment-results`;
    const csv = [
      'claim_id,amount,status,date,payment_reference',
      `${ctx.a.claimId},627.80,PAID,2027-01-15,CHK-1001`,
      'CLM-0000-0000-0000-0001,10.00,PAID,2027-01-15,CHK-1002',
      `${ctx.b.claimId},358.74,RETURNED,2027-01-20,CHK-1003`,
      `${ctx.c.claimId},13.45,LOST,2027-01-20,CHK-1004`,
      `${ctx.a.claimId},627.80,PAID,2027-01-15,CHK-1005`,
    ].join('\r\n');
    const res = await call('POST', path, csv, 'admin', 'text/csv');
    expect(res.status, res.text).toBe(422);
    const fields = res.json['errors'] as Json[];
    expect(fields.map((f) => f['pointer'])).toEqual(['/lines/3', '/lines/4', '/lines/5', '/lines/6']);
    expect(fields[0]!['detail']).toContain('no payment in the released payment file');
    expect(fields[1]!['detail']).toContain('358.74 is not the 358.75 released');
    expect(fields[2]!['detail']).toContain('not one of PAID, RETURNED or VOID');
    expect(fields[3]!['detail']).toContain('already on line 2');
    expect((await claimStatus(ctx.a))['status']).toBe('PAYMENT_SCHEDULED');
    expect((await call('POST', path, csv, 'admin', 'text/plain')).status).toBe(415);
  });

  it('applies a reconciled file: A paid, B returned, C voided (uncashed); a repeat is refused', async () => {
    const path = `/v1/admin/pools/${ctx.poolId}/distributions/${ctx.round1}/payment-results`;
    const csv = [
      'claim_id,amount,status,date,payment_reference',
      `${ctx.a.claimId},627.80,PAID,2027-01-15,CHK-1001`,
      `${ctx.b.claimId},358.75,RETURNED,2027-01-20,CHK-1002`,
      `${ctx.c.claimId},13.45,VOID,2027-04-20,CHK-1003`,
    ].join('\n');
    const res = await call('POST', path, csv, 'admin', 'text/csv');
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({
      lines: 3,
      paid: 1,
      paidCents: 62_780,
      returned: 2,
      returnedCents: 37_220,
    });
    await stack.waitFor(async () => (await claimStatus(ctx.c))['status'] === 'PAYMENT_RETURNED');
    expect(await claimStatus(ctx.a)).toMatchObject({ status: 'PAID' });
    expect(await claimStatus(ctx.b)).toMatchObject({ status: 'PAYMENT_RETURNED' });
    // The results job counts its step's three moves on the dashboard once, after the claims.
    const counts = async () =>
      (await call('GET', '/v1/admin/dashboard')).json['claimsByStatus'].find(
        (r: Json) => r['poolId'] === ctx.poolId,
      )['counts'] as Record<string, number>;
    await stack.waitFor(async () => (await counts())['PAID'] === 1);
    expect(await counts()).toEqual({ PAID: 1, PAYMENT_RETURNED: 2 });

    const again = await call(
      'POST',
      path,
      `claim_id,amount,status,date,payment_reference\n${ctx.a.claimId},627.80,PAID,2027-01-15,CHK-1001\n`,
      'admin',
      'text/csv',
    );
    expect(again.status).toBe(422);
    expect(again.json['errors'][0]['detail']).toContain('already reported as paid');
  });

  it('takes the new address of the claimant whose payment came back (and of nobody else)', async () => {
    const address = { line1: '9 New Rd', city: 'Fairfax', state: 'va', zip: '22030' };
    const wrong = await call('POST', '/v1/claims/payment-details', { ...ctx.a, address }, null);
    expect(wrong.status).toBe(409);
    const res = await call('POST', '/v1/claims/payment-details', { ...ctx.b, address }, null);
    expect(res.status, res.text).toBe(200);
    expect(res.json['timeline'].at(-1)['note']).toContain('new mailing address');
    const forged = await call(
      'POST',
      '/v1/claims/payment-details',
      { ...ctx.b, accessCode: 'nope', address },
      null,
    );
    expect(forged.status).toBe(404);
  });

  it('lets B choose a direct deposit instead, checked as the bank checks it, and keeps the account number only sealed', async () => {
    const deposit = (bankAccount: Json) =>
      call('POST', '/v1/claims/payment-details', { ...ctx.b, method: 'direct-deposit', bankAccount }, null);
    const badRouting = await deposit({ routingNumber: '011000016', accountNumber: '4455667788' });
    expect(badRouting.status).toBe(400);
    expect(badRouting.json['errors'][0]).toMatchObject({ pointer: '/bankAccount/routingNumber' });
    const shortAccount = await deposit({ routingNumber: '011000015', accountNumber: '123' });
    expect(shortAccount.status).toBe(400);
    expect(shortAccount.json['errors'][0]).toMatchObject({ pointer: '/bankAccount/accountNumber' });
    const missing = await call(
      'POST',
      '/v1/claims/payment-details',
      { ...ctx.b, method: 'direct-deposit' },
      null,
    );
    expect(missing.status).toBe(400);

    const res = await deposit({ routingNumber: '011 000 015', accountNumber: '4455-6677-88' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      status: 'PAYMENT_RETURNED',
      paymentDetails: { method: 'direct-deposit', accountLast4: '7788', reissuePending: true },
    });
    // Reloading the status shows the same: the details were received, the reissue is pending.
    expect(await claimStatus(ctx.b)).toMatchObject({ paymentDetails: { method: 'direct-deposit' } });
    const doc = DynamoDBDocumentClient.from(stack.dynamo);
    const stored = await doc.send(
      new GetCommand({
        TableName: stack.tableNames.main,
        Key: { pk: `CLAIM#${ctx.b.claimId}`, sk: 'CLAIM' },
      }),
    );
    const text = JSON.stringify(stored.Item);
    expect(text).not.toContain('4455667788');
    expect(text).not.toContain('44556677');
    expect(stored.Item?.['claimant']).toMatchObject({
      payoutMethod: 'direct-deposit',
      payoutAccount: { routingNumber: '011000015', last4: '7788', sealed: expect.any(String) },
    });
    // No digits of the number beyond the last 4 anywhere in the raw item, sealed copy included.
    const sealed = Buffer.from(stored.Item?.['claimant']['payoutAccount']['sealed'], 'base64');
    expect(sealed.toString('latin1')).not.toContain('445566');
    expect(text.match(/445566/g)).toBeNull();
    // Neither the number nor its sealed copy reaches the staff view.
    const staff = await call('GET', `/v1/admin/claims/${ctx.b.claimId}`);
    expect(staff.status).toBe(200);
    expect(staff.text).not.toContain('445566');
    expect(staff.json['claimant']['payoutAccount']).not.toHaveProperty('sealed');
  });

  it("round 2: C's uncashed money lapses after the wait and goes to A and a newly approved E; B is reissued", async () => {
    // Ninety-one days pass for C's voided check: move its return date back instead of the clock.
    const doc = DynamoDBDocumentClient.from(stack.dynamo);
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableNames.main,
        Key: { pk: `CLAIM#${ctx.c.claimId}`, sk: 'CLAIM' },
        UpdateExpression: 'SET payout.returnedAt = :t',
        ExpressionAttributeValues: { ':t': new Date(Date.now() - 91 * 86_400_000).toISOString() },
      }),
    );
    ctx.e = await approvedClaim(ctx.poolId, 'Eve Ruiz', 5_000);

    const plan = await computePlan(ctx.poolId);
    ctx.round2 = plan['distributionId'];
    // Left: 100,000 - paid 62,780 - B's reissue 35,875 = 1,345 (C's lapsed check).
    // Short: A 70,000 - 62,780 = 7,220; E 5,000; S = 12,220.
    //   A 1,345 x 7,220 / 12,220 = 794 r 8,220 -> +1 cent = 795;  E = 550 r 4,000.
    expect(plan).toMatchObject({
      roundNumber: 2,
      previousDistributionId: ctx.round1,
      poolTotalCents: 100_000,
      paidBeforeCents: 62_780,
      committedBeforeCents: 35_875,
      poolAmountCents: 1_345,
      basis: 'PRO_RATA',
      reissueCount: 1,
      reissueCents: 35_875,
      totalPayoutCents: 1_345 + 35_875,
    });
    expect(payoutsById(plan)).toEqual({
      [ctx.a.claimId]: 795,
      [ctx.e.claimId]: 550,
      [ctx.b.claimId]: 35_875,
    });
    expect(plan['payouts'].find((p: Json) => p['claimId'] === ctx.b.claimId)).toMatchObject({
      reissueOf: ctx.round1,
    });

    const approved = await approveAndRelease(ctx.poolId, ctx.round2);
    expect(approved).toMatchObject({
      scheduling: { state: 'DONE', scheduled: 2, reissued: 1, held: 0 },
      heldClaimIds: [],
    });
    const file = await downloadPaymentFile(ctx.poolId, ctx.round2);
    expect(file.sha256).toBe(approved['paymentFile']['sha256']);
    const rows = file.text.trim().split('\r\n');
    expect(rows).toHaveLength(4);
    const b = rows.find((r) => r.includes(ctx.b.claimId))!;
    expect(b).toContain('"9 New Rd"');
    // The disbursing bank gets the full number, opened from B's sealed copy.
    expect(b).toContain(
      `"35875","358.75","USD","${ctx.round1}","direct-deposit","011000015","7788","4455667788"`,
    );

    // Never more than the loss: A has 62,780 paid and 795 on its way, of 70,000.
    const a = await claimStatus(ctx.a);
    expect(a).toMatchObject({ status: 'PAYMENT_SCHEDULED', payoutCents: 795, payoutRound: 2 });
    // A's second payment says it is a further one; B's reissue is still its first round's payment.
    expect(a['timeline'].at(-1)).toMatchObject({
      note: 'A further payment of $7.95 from money left in the programme is scheduled.',
      event: { kind: 'payment-scheduled', amountCents: 795, currency: 'USD', round: 2 },
    });
    const b2 = await claimStatus(ctx.b);
    expect(b2['payoutRound']).toBeUndefined();
    expect(b2['timeline'].at(-1)).toMatchObject({ event: { kind: 'payment-reissued', amountCents: 35_875 } });
    expect(await claimStatus(ctx.c)).toMatchObject({ status: 'PAYMENT_RETURNED' });
  });
});

describe('a plan job that fails part-way', () => {
  it('reruns the failed step when the message comes back, ignores duplicates, and finishes once', async () => {
    const pool = await call('POST', '/v1/admin/pools', {
      name: 'Crash test',
      caseNumber: '1:26-cr-78',
      court: 'E.D. Va.',
      amountCents: 10_000,
      claimDeadline: future,
    });
    const poolId = pool.json['poolId'];
    await approvedClaim(poolId, 'Ann Lee', 6_000);
    await approvedClaim(poolId, 'Bo Diaz', 6_000);

    // Drive the steps by hand: the queue here only records what would be sent.
    const sent: DistributionJobV1[] = [];
    let failWrites = 1;
    const real = deps.artefacts;
    const manual: DistributionDeps = {
      ...deps,
      jobs: { send: async (m) => void sent.push(m) },
      // The real store, with its chunk writes failing once.
      artefacts: {
        getJson: (key) => real.getJson(key),
        getBytes: (key) => real.getBytes(key),
        size: (key) => real.size(key),
        putFile: (key, body, type, name) => real.putFile(key, body, type, name),
        downloadLink: (key, name) => real.downloadLink(key, name),
        presignUpload: (key, type, max) => real.presignUpload(key, type, max),
        putJson: async (key, value) => {
          if (key.includes('/payouts/') && failWrites-- > 0) throw new Error('S3 timed out');
          await real.putJson(key, value);
        },
      },
    };
    const started = await startPlan(poolId, 'local-admin', manual);
    let message = sent.shift()!;
    expect(await runPlanStep(message, 1, manual)).toBe('done'); // COUNT
    message = sent.shift()!;
    expect(await runPlanStep(message, 1, manual)).toBe('done'); // READ (all of it)
    expect(await runPlanStep(message, 2, manual)).toBe('resent'); // redelivered after the send
    expect(sent).toHaveLength(2);
    message = sent.shift()!;
    sent.length = 0;
    await expect(runPlanStep(message, 1, manual)).rejects.toThrow('S3 timed out'); // COMPUTE dies
    const mid = await deps.distributions.getHeader(poolId, started.distributionId);
    expect(mid).toMatchObject({ status: 'COMPUTING', job: { phase: 'COMPUTE', claimsRead: 2 } });
    expect(await runPlanStep(message, 2, manual)).toBe('finished'); // SQS delivers it again
    expect(await runPlanStep(message, 3, manual)).toBe('finished'); // and once more: nothing moves
    const done = await deps.distributions.getHeader(poolId, started.distributionId);
    expect(done).toMatchObject({
      status: 'PLANNED',
      totalPayoutCents: 10_000,
      payoutCount: 2,
      job: { state: 'READY', percent: 100, linesWritten: 2 },
    });
  });
});

describe('a results file of any size, uploaded straight to S3', () => {
  it('refuses a file with a bad line (the plan shows every refused line), then applies a good one; the payment file keeps its checksum', async () => {
    const pool = await call('POST', '/v1/admin/pools', {
      name: 'Uploads',
      caseNumber: '1:26-cr-79',
      court: 'E.D. Va.',
      amountCents: 10_000,
      claimDeadline: future,
    });
    const poolId = pool.json['poolId'] as string;
    const ann = await approvedClaim(poolId, 'Ann Lee', 6_000);
    const bo = await approvedClaim(poolId, 'Bo Diaz', 4_000);
    const plan = await computePlan(poolId);
    const id = plan['distributionId'] as string;
    const released = await approveAndRelease(poolId, id);
    const base = `/v1/admin/pools/${poolId}/distributions/${id}`;

    // The checksum on the plan is the file's, and the audit trail records it.
    const file = await downloadPaymentFile(poolId, id);
    expect(file.sha256).toBe(released['paymentFile']['sha256']);
    expect(released['paymentFile']).toMatchObject({ rows: 2, bytes: file.bytes.length });
    const audit = await call('GET', `/v1/admin/audit?subjectId=${id}`);
    expect(audit.json['items']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: 'JOB payment-file', detail: expect.stringContaining(file.sha256) }),
      ]),
    );
    // Asked again later, it is the same object, not a file rebuilt from claims changed since.
    expect((await downloadPaymentFile(poolId, id)).sha256).toBe(file.sha256);

    const upload = async (csv: string) => {
      const slot = await call('POST', `${base}/payment-results/uploads`);
      expect(slot.status, slot.text).toBe(201);
      const form = new FormData();
      for (const [k, v] of Object.entries(slot.json['upload']['fields'] as Record<string, string>))
        form.append(k, v);
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'results.csv');
      const posted = await fetch(slot.json['upload']['url'], { method: 'POST', body: form });
      expect(posted.status, await posted.text()).toBeLessThan(300);
      const sent = await call('POST', `${base}/payment-results`, { uploadId: slot.json['uploadId'] });
      expect(sent.status, sent.text).toBe(202);
      expect(sent.json).toMatchObject({ state: 'CHECKING', uploadId: slot.json['uploadId'] });
      return stack.waitFor(async () => {
        const now = await call('GET', base);
        const state = now.json['resultsUpload']?.['state'];
        return now.json['resultsUpload']?.['uploadId'] === slot.json['uploadId'] && state !== 'CHECKING'
          ? now.json
          : undefined;
      });
    };
    const header = 'claim_id,amount,status,date,payment_reference';
    const refused = await upload(
      [
        header,
        `${ann.claimId},60.00,PAID,2027-01-15,CHK-1`,
        `${bo.claimId},40.01,PAID,2027-01-15,CHK-2`,
      ].join('\n'),
    );
    expect(refused['resultsUpload']).toMatchObject({
      state: 'REFUSED',
      code: 'RESULTS_DO_NOT_RECONCILE',
      problemCount: 1,
    });
    expect(refused['refusedLines']).toEqual([
      expect.objectContaining({ line: 3, claimId: bo.claimId, reason: expect.stringContaining('40.01') }),
    ]);
    expect((await claimStatus(ann))['status']).toBe('PAYMENT_SCHEDULED'); // nothing applied

    // Larger than a request can carry (5.5 MB): 120,000 lines, none of them released, all listed.
    const big = [header];
    for (let i = 0; i < 120_000; i++) {
      big.push(
        `CLM-0000-0000-${String(Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')},12.34,PAID,2027-01-15,CHK-${i}`,
      );
    }
    const bigCsv = big.join('\n');
    expect(Buffer.byteLength(bigCsv)).toBeGreaterThan(5_500_000);
    const bigRefused = await upload(bigCsv);
    expect(bigRefused['resultsUpload']).toMatchObject({ state: 'REFUSED', problemCount: 120_000 });
    expect(bigRefused['refusedLines']).toHaveLength(1000);
    expect(bigRefused['refusedLines'][0]).toMatchObject({ line: 2 });

    const accepted = await upload(
      [
        header,
        `${ann.claimId},60.00,PAID,2027-01-15,CHK-1`,
        `${bo.claimId},40.00,PAID,2027-01-15,CHK-2`,
      ].join('\n'),
    );
    expect(accepted['resultsUpload']).toMatchObject({ state: 'ACCEPTED', file: 1, lines: 2 });
    await stack.waitFor(async () => (await claimStatus(bo))['status'] === 'PAID');
    expect((await claimStatus(ann))['status']).toBe('PAID');
  });
});
