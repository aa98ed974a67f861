/**
 * A distribution plan as a background job, end to end on the local runtime (HTTP API, queue
 * poller, worker, dynalite, fauxqs SQS and S3), for a programme of 100,000 approved claims; and
 * the reconciliation of a 100,000-line payment results file.
 *
 * The plan job's AWS requests are counted as they happen (DynamoDB read units as DynamoDB
 * reports them, S3 and SQS requests), then projected to 1,000,000 claims: every count grows
 * with the number of claims, so the projection is the count x 10, priced at us-east-1 on-demand
 * prices (docs/distribution-jobs.md has the arithmetic).
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalRuntime } from '#local/runtime.ts';
import { formatAmount, parseResultsCsv, reconcileResults } from '#shared/domain/payment-results.ts';
import type { Pool } from '#shared/domain/pool.ts';
import { newPoolId } from '#shared/domain/secrets.ts';
import { CLAIM_SK, claimIndexKeys, claimPk } from '#shared/storage/claim-keys.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { mainTable } from '#shared/storage/tables.ts';
import { makeClaims } from './distribution.ts';

export interface Figure {
  readonly name: string;
  readonly value: number | string;
  readonly unit: string;
}

// us-east-1 on-demand prices (2026): DynamoDB $0.125 per million read request units; S3 $0.005
// per 1,000 PUTs and $0.0004 per 1,000 GETs; SQS $0.40 per million requests; Lambda arm64
// $0.0000133334 per GB-second.
const PRICE = { rru: 0.125e-6, s3Put: 0.005e-3, s3Get: 0.0004e-3, sqs: 0.4e-6, gbSecond: 0.0000133334 };
/** Assumed AWS latencies for the projection (p50s seen for these calls within one region). */
const AWS_MS = { queryPage: 40, s3Object: 60, sqsSend: 15, invocationOverhead: 30 };
const WORKER_GB = 3008 / 1024;

interface Tally {
  requests: Map<string, number>;
  readUnits: number;
}

function counting(service: string, tally: Tally) {
  return (
    next: (a: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
    ctx: { commandName?: string },
  ) =>
    async (args: { input: Record<string, unknown> }) => {
      const key = `${service}:${(ctx.commandName ?? '?').replace(/Command$/, '')}`;
      tally.requests.set(key, (tally.requests.get(key) ?? 0) + 1);
      if (service === 'dynamodb') args.input['ReturnConsumedCapacity'] = 'TOTAL';
      const res = await next(args);
      if (service === 'dynamodb' && /Query|Get/.test(key)) {
        const cc = res.output['ConsumedCapacity'] as
          | { CapacityUnits?: number }
          | { CapacityUnits?: number }[]
          | undefined;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) tally.readUnits += c.CapacityUnits ?? 0;
      }
      return res;
    };
}

/** A claim as the portal stores it once approved: claimant, payments, timeline, decision. */
export function claimItem(poolId: string, claimId: string, loss: number, i: number) {
  const filedAt = new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString();
  return {
    pk: claimPk(claimId),
    sk: CLAIM_SK,
    ...claimIndexKeys(claimId, poolId, 'APPROVED', filedAt),
    entity: 'claim',
    claimId,
    status: 'APPROVED',
    version: 3,
    filedAt,
    updatedAt: filedAt,
    accessCodeHash: 'f'.repeat(64),
    poolId,
    reportIds: [],
    claimant: {
      name: `Claimant ${i}`,
      email: `claimant${i}@example.com`,
      address: { line1: `${i} Main Street`, city: 'Springfield', state: 'IL', zip: '62701', country: 'US' },
    },
    payments: [{ amountCents: loss, currency: 'USD', method: 'wire-transfer', date: '2026-08-01' }],
    currency: 'USD',
    claimedCents: loss,
    recoveriesCents: 0,
    attestation: {
      underPenaltyOfPerjury: true,
      notInvolvedInOffense: true,
      signedName: `Claimant ${i}`,
      signedAt: filedAt,
    },
    timeline: [
      { status: 'SUBMITTED', at: filedAt },
      { status: 'UNDER_REVIEW', at: filedAt },
      { status: 'APPROVED', at: filedAt },
    ],
    decisions: [{ decision: 'approve', by: 'reviewer-1', at: filedAt, recognizedLossCents: loss }],
    recognizedLossCents: loss,
    flags: [],
  };
}

export async function benchPlanJob(
  claims = Number(process.env['BENCH_PLAN_CLAIMS'] ?? 100_000),
): Promise<Figure[]> {
  const runtime = await startLocalRuntime({
    indicatorKey: randomBytes(32).toString('base64'),
    pollWaitTimeSeconds: 1,
    visibilityTimeoutSeconds: 600,
  });
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'ERROR' });
  try {
    const doc = DynamoDBDocumentClient.from(runtime.aws.dynamoClient());
    const table = runtime.aws.tableNames[mainTable.id]!;
    const poolId = newPoolId();
    const rows = makeClaims(claims);
    const totalLoss = rows.reduce((s, c) => s + c.recognizedLossCents, 0);
    const pool: Pool = {
      poolId,
      name: 'Bench programme',
      caseNumber: '1:26-cr-1',
      court: 'D.D.C.',
      eligibility: 'Everyone',
      amountCents: Math.floor(totalLoss * 0.3),
      currency: 'USD',
      seizedIndicators: [],
      claimDeadline: '2099-12-31',
      minimumPayoutCents: 1000,
      status: 'OPEN',
      version: 1,
      createdBy: 'bench',
      createdAt: new Date().toISOString(),
    };
    await new PoolRepository(doc, table).create(pool);
    const seedStart = performance.now();
    let itemBytes = 0;
    const writers = 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (;;) {
          const start = next;
          next += 25;
          if (start >= rows.length) return;
          const items = rows
            .slice(start, start + 25)
            .map((c, j) => claimItem(poolId, c.claimId, c.recognizedLossCents, start + j));
          if (start === 0) itemBytes = JSON.stringify(items[0]).length;
          let request: Record<string, unknown[]> | undefined = {
            [table]: items.map((Item) => ({ PutRequest: { Item } })),
          };
          while (request && Object.keys(request).length > 0) {
            const res = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
            request = res.UnprocessedItems as Record<string, unknown[]> | undefined;
          }
        }
      }),
    );
    const seedMs = performance.now() - seedStart;

    // Count what the handlers (API and worker, in this process) ask of AWS from here on.
    const tally: Tally = { requests: new Map(), readUnits: 0 };
    const { dynamo } = await import('#functions/clients.ts');
    const { s3 } = await import('#functions/s3-client.ts');
    const { sqs } = await import('#functions/sqs-client.ts');
    dynamo.middlewareStack.add(counting('dynamodb', tally) as never, {
      step: 'initialize',
      name: 'benchCount',
    });
    s3.middlewareStack.add(counting('s3', tally) as never, { step: 'initialize', name: 'benchCount' });
    sqs.middlewareStack.add(counting('sqs', tally) as never, { step: 'initialize', name: 'benchCount' });

    const token = await runtime.identityProvider.issueToken({ role: 'admin' });
    const headers = { authorization: `Bearer ${token}` };
    const started = performance.now();
    const res = await fetch(`${runtime.baseUrl}/v1/admin/pools/${poolId}/distributions`, {
      method: 'POST',
      headers,
    });
    const acceptedMs = performance.now() - started;
    const body = (await res.json()) as { distributionId: string };
    if (res.status !== 202) throw new Error(`start answered ${res.status}`);
    const phases = new Map<string, number>();
    let plan: Record<string, unknown> & {
      job: { phase: string; percent: number; claimsRead: number; linesWritten: number };
    };
    for (;;) {
      const got = await fetch(
        `${runtime.baseUrl}/v1/admin/pools/${poolId}/distributions/${body.distributionId}?limit=1`,
        { headers },
      );
      plan = (await got.json()) as typeof plan;
      if (!phases.has(plan.job.phase)) phases.set(plan.job.phase, performance.now() - started);
      if (plan['status'] !== 'COMPUTING') break;
      await new Promise((wake) => setTimeout(wake, 200));
    }
    const totalMs = performance.now() - started;
    if (plan['status'] !== 'PLANNED') throw new Error(`the plan job ended ${String(plan['status'])}`);

    // The polling GETs above also read DynamoDB and S3; take them out: one GetItem (pool) + one
    // GetItem (header) per poll, and two chunk reads for the last one.
    const count = (k: string) => tally.requests.get(k) ?? 0;
    const steps = count('sqs:SendMessage');
    const queries = count('dynamodb:Query');
    const s3Puts = count('s3:PutObject');
    const s3Gets = count('s3:GetObject');
    const scale = 1_000_000 / claims;
    const rru = tally.readUnits * scale;
    const projectedSeconds =
      ((queries * AWS_MS.queryPage +
        (s3Puts + s3Gets) * AWS_MS.s3Object +
        steps * (AWS_MS.sqsSend + AWS_MS.invocationOverhead)) *
        scale) /
        1000 +
      2; // the compute itself: ~1 s for a million claims (pro-rata benchmark) plus JSON
    const cost =
      rru * PRICE.rru +
      s3Puts * scale * PRICE.s3Put +
      s3Gets * scale * PRICE.s3Get +
      steps * 2 * scale * PRICE.sqs +
      projectedSeconds * WORKER_GB * PRICE.gbSecond;
    const phaseAt = (p: string) => Math.round(phases.get(p) ?? Number.NaN);

    // Then a second admin approves it (the approval job moves every claim) and releases it (the
    // payment file job writes the file once); each timed from the POST to the job's end.
    const second = {
      authorization: `Bearer ${await runtime.identityProvider.issueToken({ role: 'admin', sub: 'bench-admin-2' })}`,
    };
    const planUrl = `${runtime.baseUrl}/v1/admin/pools/${poolId}/distributions/${body.distributionId}`;
    const before = { updates: count('dynamodb:UpdateItem'), batchGets: count('dynamodb:BatchGetItem') };
    type JobView = {
      scheduling?: { state: string };
      paymentFile?: { state: string; rows: number; bytes: number };
    };
    const untilDone = async (path: string, done: (p: JobView) => boolean) => {
      const t = performance.now();
      const answer = await fetch(`${planUrl}/${path}`, { method: 'POST', headers: second });
      if (answer.status !== 202) throw new Error(`${path} answered ${answer.status}`);
      const acceptedIn = performance.now() - t;
      for (;;) {
        const now = (await (await fetch(`${planUrl}?limit=1`, { headers })).json()) as JobView;
        if (done(now)) return { acceptedIn, total: performance.now() - t, plan: now };
        await new Promise((wake) => setTimeout(wake, 500));
      }
    };
    const approved = await untilDone('approve', (p) => p.scheduling?.state === 'DONE');
    const claimUpdates = count('dynamodb:UpdateItem') - before.updates;
    const released = await untilDone('release', (p) => p.paymentFile?.state === 'READY');
    const file = released.plan.paymentFile!;
    return [
      { name: 'claims in the programme', value: claims, unit: 'approved claims' },
      {
        name: 'seeding them (BatchWriteItem, not part of the job)',
        value: Math.round(seedMs / 1000),
        unit: 's',
      },
      { name: 'stored claim item', value: itemBytes, unit: 'bytes (JSON)' },
      { name: 'POST answered 202 in', value: Math.round(acceptedMs), unit: 'ms' },
      { name: 'job reading claims by', value: phaseAt('READ'), unit: 'ms' },
      { name: 'job computing by', value: phaseAt('COMPUTE'), unit: 'ms' },
      { name: 'plan ready after (end to end, local runtime)', value: Math.round(totalMs), unit: 'ms' },
      { name: 'claims read', value: plan.job.claimsRead, unit: 'items' },
      { name: 'plan lines written', value: plan.job.linesWritten, unit: 'lines' },
      { name: 'job steps (SQS messages)', value: steps + 1, unit: 'steps' },
      { name: 'DynamoDB Query pages', value: queries, unit: 'requests' },
      { name: 'DynamoDB read units (as reported)', value: Math.round(tally.readUnits), unit: 'RRU' },
      { name: 'S3 PutObject', value: s3Puts, unit: 'requests' },
      { name: 'S3 GetObject (job, plus the polling GETs)', value: s3Gets, unit: 'requests' },
      { name: 'projected AWS time for 1,000,000 claims', value: Math.round(projectedSeconds), unit: 's' },
      { name: 'projected AWS cost for 1,000,000 claims', value: cost.toFixed(4), unit: 'USD' },
      { name: 'approve answered 202 in', value: Math.round(approved.acceptedIn), unit: 'ms' },
      {
        name: 'approval job done after (every claim scheduled)',
        value: Math.round(approved.total),
        unit: 'ms',
      },
      {
        name: 'DynamoDB UpdateItem by the approval (claims and header)',
        value: claimUpdates,
        unit: 'requests',
      },
      { name: 'release answered 202 in', value: Math.round(released.acceptedIn), unit: 'ms' },
      { name: 'payment file job done after', value: Math.round(released.total), unit: 'ms' },
      { name: 'payment file', value: `${file.rows} rows, ${file.bytes}`, unit: 'bytes' },
      {
        name: 'DynamoDB BatchGetItem by approval and payment file',
        value: count('dynamodb:BatchGetItem') - before.batchGets,
        unit: 'requests',
      },
    ];
  } finally {
    await runtime.stop();
  }
}

export async function benchReconciliation(lines = 100_000): Promise<Figure[]> {
  const rows = makeClaims(lines, 7);
  const released = new Map(
    rows.map((c) => [c.claimId, { payoutCents: Math.max(1, Math.floor(c.recognizedLossCents * 0.3)) }]),
  );
  const csv = [
    'claim_id,amount,status,date,payment_reference',
    ...rows.map(
      (c, i) =>
        `${c.claimId},${formatAmount(released.get(c.claimId)!.payoutCents)},${i % 50 === 0 ? 'RETURNED' : 'PAID'},2027-01-15,CHK-${1_000_000 + i}`,
    ),
  ].join('\r\n');
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 5);
  const start = performance.now();
  const parsed = parseResultsCsv(csv);
  const parsedMs = performance.now() - start;
  const out = reconcileResults(parsed, released);
  const totalMs = performance.now() - start;
  clearInterval(sampler);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  if (out.problems.length > 0 || out.accepted.length !== lines)
    throw new Error('the bench file did not reconcile');
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  return [
    { name: 'results file', value: `${lines} lines, ${mb(Buffer.byteLength(csv))} MB`, unit: '' },
    { name: 'parse (csv-parse)', value: Math.round(parsedMs), unit: 'ms' },
    { name: 'parse + reconcile to the cent', value: Math.round(totalMs), unit: 'ms' },
    { name: 'peak heap used (process, file included)', value: mb(peakHeap), unit: 'MB' },
    { name: 'peak heap growth over the loaded file', value: mb(peakHeap - baseline.heapUsed), unit: 'MB' },
    { name: 'peak RSS', value: mb(peakRss), unit: 'MB' },
    {
      name: 'results job steps to apply it (1,000 claims each)',
      value: Math.ceil(lines / 1000),
      unit: 'steps',
    },
  ];
}
