/**
 * `npm run load`: report submissions at concurrency 10, 50 and 200 against the local runtime
 * (autocannon), each with its own body and Idempotency-Key as the website sends them. Afterwards
 * every 202 is checked as stored and enriched. Prints, per level: requests, answers by class,
 * throughput, p50/p99 latency, and the drain time (from the last answer until every accepted
 * report is enriched).
 *
 *   npm run load                         # 20 s per level
 *   npm run load -- --seconds 5 --levels 10,50
 *
 * One process runs the API, the consumer, dynalite and fauxqs, as `npm start` does: the figures
 * compare runs on one machine; they are not AWS's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.ts';
import { REPORT_SK, reportPk } from '../shared/storage/report-keys.ts';

export interface LevelFigures {
  concurrency: number;
  requests: number;
  accepted: number;
  byClass: Record<string, number>;
  throughputPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  drainMs: number;
  /** Accepted (202) but not stored and enriched when the drain gave up. */
  notEnriched: number;
}

export interface LoadOptions {
  levels: readonly number[];
  seconds: number;
  /** A fixed number of requests per level instead of `seconds` (the reduced run in the tests). */
  amount?: number;
  /** Give up waiting for enrichment after this long. */
  drainTimeoutMs?: number;
  runtime?: LocalRuntime;
}

function reportBody(n: number): string {
  return JSON.stringify({
    filer: { role: 'victim', state: 'FL', contact: { name: `Load Tester ${n}` } },
    incident: {
      category: 'imposter-government',
      narrative: `Load test report ${n}: a caller said he was from the IRS and asked for gift cards.`,
    },
    payments: [
      {
        amountCents: 10_000 + (n % 1000),
        currency: 'USD',
        method: 'cryptocurrency',
        recipient: {
          kind: 'crypto-wallet',
          asset: 'BTC',
          address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        },
      },
    ],
    scammer: { phones: ['(202) 555-0143'] },
    consents: { shareWithLawEnforcement: true, contactAboutRecovery: false },
  });
}

/** Ids of the accepted reports not yet ENRICHED. */
async function notEnriched(runtime: LocalRuntime, ids: readonly string[]): Promise<string[]> {
  const dynamo = runtime.aws.dynamoClient();
  const table = runtime.aws.tableNames['MainTable']!;
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    let keys = chunk.map((id) => ({ pk: { S: reportPk(id) }, sk: { S: REPORT_SK } }));
    const enriched = new Set<string>();
    while (keys.length > 0) {
      const res = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys } } }));
      for (const item of res.Responses?.[table] ?? []) {
        if (item['status']?.S === 'ENRICHED') enriched.add(String(item['reportId']?.S));
      }
      keys = (res.UnprocessedKeys?.[table]?.Keys as typeof keys | undefined) ?? [];
    }
    missing.push(...chunk.filter((id) => !enriched.has(id)));
  }
  return missing;
}

async function level(
  runtime: LocalRuntime,
  concurrency: number,
  seconds: number,
  drainTimeoutMs: number,
  amount?: number,
) {
  const ids: string[] = [];
  let n = 0;
  const result = await autocannon({
    url: `${runtime.baseUrl}/v1/reports`,
    connections: concurrency,
    ...(amount === undefined ? { duration: seconds } : { amount, timeout: 60 }),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          n += 1;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: reportBody(n),
          };
        },
        onResponse: (status, body) => {
          if (status === 202) ids.push((JSON.parse(body) as { reportId: string }).reportId);
        },
      },
    ],
  });
  const finished = Date.now();
  let missing = await notEnriched(runtime, ids);
  while (missing.length > 0 && Date.now() - finished < drainTimeoutMs) {
    await new Promise((wake) => setTimeout(wake, 250));
    missing = await notEnriched(runtime, missing);
  }
  const figures: LevelFigures = {
    concurrency,
    requests: result.requests.total,
    accepted: ids.length,
    byClass: {
      '2xx': result['2xx'],
      '4xx': result['4xx'],
      '5xx': result['5xx'],
      errors: result.errors + result.timeouts,
    },
    throughputPerSecond: Math.round((result.requests.total / result.duration) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    drainMs: Date.now() - finished,
    notEnriched: missing.length,
  };
  return figures;
}

export async function runLoad(options: LoadOptions): Promise<LevelFigures[]> {
  const runtime =
    options.runtime ??
    (await startLocalRuntime({ indicatorKey: randomBytes(32).toString('base64'), pollWaitTimeSeconds: 1 }));
  try {
    const figures: LevelFigures[] = [];
    for (const concurrency of options.levels) {
      figures.push(
        await level(runtime, concurrency, options.seconds, options.drainTimeoutMs ?? 300_000, options.amount),
      );
    }
    return figures;
  } finally {
    if (!options.runtime) await runtime.stop();
  }
}

export function loadTable(figures: readonly LevelFigures[]): string {
  return [
    '| Concurrency | Requests | 202 | 4xx | 5xx | Errors | Throughput (req/s) | p50 (ms) | p99 (ms) | Drain (s) | Accepted, not enriched |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.concurrency} | ${f.requests} | ${f.accepted} | ${f.byClass['4xx']} | ${f.byClass['5xx']} | ${f.byClass['errors']} | ${f.throughputPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${(f.drainMs / 1000).toFixed(1)} | ${f.notEnriched} |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  // Tens of thousands of requests: only errors in the console (handlers read this when loaded).
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'ERROR';
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '20' }, levels: { type: 'string', default: '10,50,200' } },
  });
  const figures = await runLoad({
    levels: values.levels.split(',').map(Number),
    seconds: Number(values.seconds),
  });
  console.log(loadTable(figures));
  process.exit(figures.some((f) => f.notEnriched > 0 || f.byClass['5xx']! > 0) ? 1 : 0);
}
