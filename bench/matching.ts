/**
 * How long matching a pool takes when the table holds 10,000 and then 200,000 reports, for a
 * pool with 100 matches. Matching reads the seized identifiers' index partitions (Queries), so
 * the time should follow the matches, not the table: the goal is a ratio <= 1.5.
 *
 * Each size gets its own in-memory local DynamoDB (dynalite via local/aws.ts). Report links are
 * seeded directly with BatchWrite (what enrichment writes per identifier): the 100 matching ones
 * (10 seized wallets x 10 reports, half of the filers consenting to contact) plus background
 * reports spread over other wallets. Then the unmodified `matchPool` use case runs for fresh
 * pools seizing the same 10 wallets: each run writes 100 match items and 50 invitations.
 *
 * Run directly: `npx node bench/matching.ts`.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalAws } from '#local/aws.ts';
import type { Pool } from '#shared/domain/pool.ts';
import { newPoolId } from '#shared/domain/secrets.ts';
import { batchWrite, putRequest } from '#shared/storage/batch.ts';
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { indicatorPk, indicatorReportSk } from '#shared/storage/indicator-keys.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { mainTable } from '#shared/storage/tables.ts';
import { mapLimit, matchPool } from '#shared/use-cases/match-pools.ts';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const SIZES = [10_000, 200_000] as const;
const SEIZED = 10;
const REPORTS_PER_SEIZED = 10;
const RUNS = 9;
/** Untimed runs first: connections, JIT and dynalite's caches warm up. */
const WARM_UP_RUNS = 3;
/** Background reports per unrelated wallet: a realistic handful share a scammer. */
const REPORTS_PER_WALLET = 4;

const wallet = (n: number) => `btc:bench-wallet-${String(n).padStart(8, '0')}`;
const reportId = (n: number) => `RPT-BENCH-${String(n).padStart(8, '0')}`;

function linkItem(n: number, value: string, consent: boolean) {
  return putRequest({
    pk: indicatorPk('crypto-wallet', value),
    sk: indicatorReportSk(reportId(n)),
    entity: 'indicator-link',
    type: 'crypto-wallet',
    value,
    display: value,
    reportId: reportId(n),
    receivedAt: '2026-10-01T12:00:00.000Z',
    category: 'investment',
    roles: ['payment'],
    paid: [{ currency: 'USD', amountCents: 10_000 + (n % 997) * 100 }],
    contactAboutRecovery: consent,
    shareWithLawEnforcement: true,
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

async function measure(reports: number): Promise<{ ms: number; seedMs: number; matches: number }> {
  const aws = await startLocalAws();
  try {
    const doc = DynamoDBDocumentClient.from(aws.dynamoClient());
    const table = mainTable.localName;
    const seedStart = performance.now();
    const matching = SEIZED * REPORTS_PER_SEIZED;
    const requests = [];
    for (let n = 0; n < matching; n++) {
      requests.push(linkItem(n, wallet(n % SEIZED), n % 2 === 0));
    }
    for (let n = matching; n < reports; n++) {
      requests.push(linkItem(n, wallet(SEIZED + Math.floor(n / REPORTS_PER_WALLET)), n % 3 === 0));
    }
    const chunks: (typeof requests)[] = [];
    for (let i = 0; i < requests.length; i += 500) chunks.push(requests.slice(i, i + 500));
    await mapLimit(chunks, 8, (chunk) => batchWrite(doc, table, chunk));
    const seedMs = performance.now() - seedStart;

    const pools = new PoolRepository(doc, table);
    const claims = new ClaimRepository(doc, table);
    const seizedIndicators = Array.from({ length: SEIZED }, (_, i) => ({
      type: 'crypto-wallet' as const,
      value: wallet(i),
      display: wallet(i),
    }));
    const times: number[] = [];
    let matches = 0;
    for (let run = 0; run < WARM_UP_RUNS + RUNS; run++) {
      const pool: Pool = {
        poolId: newPoolId(),
        name: 'Bench pool',
        caseNumber: 'bench',
        court: 'bench',
        eligibility: 'bench',
        amountCents: 1_000_000,
        currency: 'USD',
        seizedIndicators,
        claimDeadline: '2099-12-31',
        minimumPayoutCents: 1000,
        status: 'OPEN',
        version: 1,
        createdBy: 'bench',
        createdAt: new Date().toISOString(),
      };
      await pools.create(pool);
      const start = performance.now();
      const summary = await matchPool(pool, { pools, claims });
      const elapsed = performance.now() - start;
      if (run >= WARM_UP_RUNS) times.push(elapsed);
      matches = summary.matches;
      if (summary.matches !== matching)
        throw new Error(`expected ${matching} matches, got ${summary.matches}`);
    }
    return { ms: median(times), seedMs, matches };
  } finally {
    await aws.stop();
  }
}

export async function benchMatching(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const medians: number[] = [];
  await measure(1_000); // the process's first local DynamoDB and first matching: not measured
  for (const size of SIZES) {
    const { ms, seedMs, matches } = await measure(size);
    medians.push(ms);
    results.push({
      name: `matching a pool with ${matches} matches, ${size.toLocaleString('en-US')} reports stored (p50 of ${RUNS})`,
      value: round1(ms),
      unit: 'ms',
    });
    results.push({
      name: `  (seeding ${size.toLocaleString('en-US')} report links, not part of the figure)`,
      value: Math.round(seedMs),
      unit: 'ms',
    });
  }
  results.push({
    name: `matching time ratio, ${SIZES[1].toLocaleString('en-US')} / ${SIZES[0].toLocaleString('en-US')} reports (goal <= 1.5)`,
    value: Math.round((medians[1]! / medians[0]!) * 100) / 100,
    unit: 'x',
  });
  return results;
}

if (import.meta.main) {
  for (const r of await benchMatching()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
