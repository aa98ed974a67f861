/**
 * The dashboard's counters on the real local servers and handlers: reports counted once as they
 * are enriched (a redelivered message and racing consumers add nothing), identifiers ranked by
 * how many reports name them, claims counted per programme and status as they move.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekOf } from '#shared/domain/dashboard.ts';
import { reportReceivedMessage } from '#shared/messages/report-received.ts';
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { claimStatsPk } from '#shared/storage/stats-keys.ts';
import { CLAIM_SHARDS, StatsRepository } from '#shared/storage/stats-repository.ts';
import { countClaimChanges } from '#shared/use-cases/dashboard.ts';
import { decideClaim } from '#shared/use-cases/review-claims.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/support/events.ts';
import { makeReportBody } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;
let reports: ReportRepository;
let stats: StatsRepository;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(stack.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  reports = new ReportRepository(doc, stack.tableNames.main);
  stats = new StatsRepository(doc, stack.tableNames.main);
});

afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: unknown, role?: 'reviewer' | 'admin') {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (role) headers['authorization'] = `Bearer ${await stack.token(role)}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

const dashboard = async () => {
  const res = await call('GET', '/v1/admin/dashboard?weeks=2', undefined, 'reviewer');
  expect(res.status).toBe(200);
  return res.json;
};

const SHARED_PHONE = '(202) 555-0199';

async function fileReport(body: Json): Promise<string> {
  const res = await call('POST', '/v1/reports', body);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  const reportId = String(res.json['reportId']);
  await stack.waitFor(async () => (await reports.get(reportId))?.status === 'ENRICHED', {
    message: `report ${reportId} was not enriched`,
  });
  return reportId;
}

const romance = (amountCents: number, ageRange: string) =>
  makeReportBody({
    filer: { ageRange },
    incident: { category: 'imposter-romance', narrative: 'We met online; he needed money for a ticket.' },
    payments: [
      { amountCents, currency: 'USD', method: 'wire-transfer' },
      { amountCents: 1000, currency: 'USD', method: 'gift-card' },
    ],
    scammer: { phones: [SHARED_PHONE], emails: [], websites: [], socialHandles: [], namesUsed: [] },
  });

const row = (series: Json, key: string) => (series['rows'] as Json[]).find((r) => r['key'] === key);
const last = (xs: number[]) => xs[xs.length - 1] ?? 0;

describe('GET /v1/admin/dashboard', () => {
  let firstReport = '';

  it('counts enriched reports by week, category, payment method, age range and loss', async () => {
    const before = await dashboard();
    firstReport = await fileReport(romance(500_000, '70-79'));
    await fileReport(romance(250_000, '60-69'));
    const after = await dashboard();

    expect(after['weeks']).toEqual(before['weeks']);
    expect(last(after['reportsPerWeek']) - last(before['reportsPerWeek'])).toBe(2);
    expect(last(row(after['byCategory'], 'imposter-romance')!['counts'])).toBe(2);
    // One count per report and method, however many payments went that way.
    expect(last(row(after['byPaymentMethod'], 'wire-transfer')!['counts'])).toBe(2);
    expect(last(row(after['byPaymentMethod'], 'gift-card')!['counts'])).toBe(2);
    expect(last(row(after['byAgeRange'], '70-79')!['counts'])).toBe(1);
    expect(last(row(after['byAgeRange'], '60-69')!['counts'])).toBe(1);
    const usd = (after['lossesByPaymentMethod'] as Json[]).find((l) => l['currency'] === 'USD')!;
    const wire = (usd['rows'] as Json[]).find((r) => r['method'] === 'wire-transfer')!;
    expect(last(wire['cents'])).toBe(750_000);

    const top = (after['topIdentifiers'] as Json[]).find((t) => t['href'].endsWith('%2B12025550199'));
    expect(top).toMatchObject({ type: 'phone', reports: 2 });
  });

  it('adds nothing when enrichment gets the same message again, or twice at once', async () => {
    const before = await dashboard();
    const stored = (await reports.get(firstReport))!;
    const message = reportReceivedMessage(stored.reportId, stored.receivedAt, stored.content);
    const { handler } = (await import('#functions/enrich/handler.ts')) as unknown as {
      handler: (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>;
    };
    const event = () => sqsEvent([sqsRecord(JSON.stringify(message))]);
    const results = await Promise.all([1, 2, 3].map(() => handler(event(), lambdaContext('enrich'))));
    for (const r of results) expect(r.batchItemFailures).toEqual([]);
    await handler(event(), lambdaContext('enrich'));

    const after = await dashboard();
    expect(after['reportsPerWeek']).toEqual(before['reportsPerWeek']);
    expect(after['byPaymentMethod']).toEqual(before['byPaymentMethod']);
    expect(after['lossesByPaymentMethod']).toEqual(before['lossesByPaymentMethod']);
    expect(after['topIdentifiers']).toEqual(before['topIdentifiers']);
  });

  it('counts one report once even when its counters are applied concurrently', async () => {
    const week = weekOf('2020-01-08T00:00:00Z');
    await Promise.all(
      Array.from({ length: 6 }, () =>
        stats.countReport('RPT-CONCURRENT', week, { reports: 1, 'category:romance': 1 }, []),
      ),
    );
    expect(await stats.weekCounters(week)).toEqual({ reports: 1, 'category:romance': 1 });
  });

  it('counts claims per programme and status as they move', async () => {
    const claimBody = {
      claimant: {
        name: 'Dashboard Claimant',
        address: { line1: '1 Main St', city: 'Miami', state: 'FL', zip: '33101' },
      },
      payments: [{ amountCents: 10_000, currency: 'USD', method: 'gift-card' }],
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'D. Claimant' },
    };
    const counts = async () =>
      ((await dashboard())['claimsByStatus'] as Json[]).find((r) => r['poolId'] === null)?.['counts'] ?? {};
    const before = await counts();
    const filed = await call('POST', '/v1/claims', claimBody);
    expect(filed.status).toBe(201);
    const submitted = await counts();
    expect((submitted['SUBMITTED'] ?? 0) - (before['SUBMITTED'] ?? 0)).toBe(1);

    const decided = await call(
      'POST',
      `/v1/admin/claims/${filed.json['claimId']}/decision`,
      { decision: 'begin-review' },
      'reviewer',
    );
    expect(decided.status).toBe(200);
    const reviewing = await counts();
    expect(reviewing['SUBMITTED'] ?? 0).toBe(before['SUBMITTED'] ?? 0);
    expect((reviewing['UNDER_REVIEW'] ?? 0) - (before['UNDER_REVIEW'] ?? 0)).toBe(1);
  });

  it('keeps claim counts exact when the process dies between the claim write and its count', async () => {
    const counts = async () =>
      ((await dashboard())['claimsByStatus'] as Json[]).find((r) => r['poolId'] === null)?.['counts'] ?? {};
    const filed = await call('POST', '/v1/claims', {
      claimant: {
        name: 'Crash Claimant',
        address: { line1: '2 Main St', city: 'Miami', state: 'FL', zip: '33101' },
      },
      payments: [{ amountCents: 5_000, currency: 'USD', method: 'gift-card' }],
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'C. Claimant' },
    });
    expect(filed.status).toBe(201);
    const claimId = String(filed.json['claimId']);
    const before = await counts();
    const table = stack.tableNames.main;
    const pools = new PoolRepository(doc, table);
    const rethrow = (e: unknown) => {
      throw e;
    };

    // 1. Dies right after the claim write, before anything is counted.
    const dead = countClaimChanges(
      new ClaimRepository(doc, table),
      {
        claimMoved: async () => {
          throw new Error('process died');
        },
      },
      rethrow,
    );
    await expect(
      decideClaim(claimId, { decision: 'begin-review' }, 'rita', { claims: dead, pools }),
    ).rejects.toThrow('process died');
    expect((await new ClaimRepository(doc, table).get(claimId))?.status).toBe('UNDER_REVIEW');
    // The next dashboard read counts the move the claim carries: exact, and only once.
    const afterCrash = await counts();
    expect(afterCrash['SUBMITTED'] ?? 0).toBe((before['SUBMITTED'] ?? 0) - 1);
    expect(afterCrash['UNDER_REVIEW'] ?? 0).toBe((before['UNDER_REVIEW'] ?? 0) + 1);
    expect(await counts()).toEqual(afterCrash);

    // 2. Dies after counting, before the claim's pending move is cleared: counted again, moved once.
    const halfway = Object.assign(new ClaimRepository(doc, table), {
      clearClaimCountMoves: async () => {
        throw new Error('process died');
      },
    });
    await expect(
      decideClaim(claimId, { decision: 'deny', reason: 'Not in any programme.' }, 'rita', {
        claims: countClaimChanges(halfway, stats, rethrow),
        pools,
      }),
    ).rejects.toThrow('process died');
    const afterSecond = await counts();
    expect(afterSecond['UNDER_REVIEW'] ?? 0).toBe(before['UNDER_REVIEW'] ?? 0);
    expect(afterSecond['DENIED'] ?? 0).toBe((before['DENIED'] ?? 0) + 1);
    expect(afterSecond['SUBMITTED'] ?? 0).toBe((before['SUBMITTED'] ?? 0) - 1);
    expect(await counts()).toEqual(afterSecond);
  });

  it("spreads a programme's claim counts over shards, so no counter item grows with the programme", async () => {
    const poolId = 'POOL-SHARDTEST';
    const ids = Array.from({ length: 640 }, (_, i) => `CLM-SHRD-${String(i).padStart(4, '0')}-0000-0000`);
    for (const id of ids) await stats.claimMoved(id, 1, undefined, { poolId, status: 'SUBMITTED' });
    // A retried count adds nothing.
    await stats.claimMoved(ids[0]!, 1, undefined, { poolId, status: 'SUBMITTED' });
    const counted = (await stats.claimCounts()).find((c) => c.key === `${poolId}#SUBMITTED`);
    expect(counted?.n).toBe(640);

    const sizes: number[] = [];
    for (let shard = 0; shard < CLAIM_SHARDS; shard++) {
      const res = await doc.send(
        new GetCommand({
          TableName: stack.tableNames.main,
          Key: { pk: claimStatsPk(shard), sk: `${poolId}#SUBMITTED` },
        }),
      );
      sizes.push((res.Item?.['seen'] as Set<string> | undefined)?.size ?? 0);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(640);
    // 640 claims over 64 shards: about 10 each; none holds more than a few times its share.
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(48);
    expect(Math.max(...sizes)).toBeLessThan(40);
  });

  it('is for staff only, and says what a bad query should be', async () => {
    expect((await call('GET', '/v1/admin/dashboard')).status).toBe(401);
    const bad = await call('GET', '/v1/admin/dashboard?weeks=many', undefined, 'reviewer');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('1 to 52');
  });
});
