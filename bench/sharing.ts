/**
 * Sharing with partner agencies, on the local runtime (in-memory dynalite, the local API Gateway
 * and the unmodified handlers):
 *
 * - Export of 10,000, 50,000 and 100,000 indicators as one STIX bundle through the streaming use
 *   case (`bundleChunks`), written to a byte-counting sink: time, and the heap the export keeps
 *   alive (measured after forced collections in a second, untimed run). Streamed means that
 *   figure does not grow with the number of indicators.
 * - The export JOB (what admins use: one bundle written to S3 by the worker) of the same sizes,
 *   step by step as the worker runs it (count, 8 MB multipart parts, assemble, SHA-256) against
 *   the local DynamoDB and S3 servers, in a Node process of its own: time, and that process's
 *   peak resident memory, beside the same for an empty range. Flat means it does not grow with
 *   the number of indicators.
 * - A TAXII objects page of 1,000 (`limit=1000`) through HTTP with a partner token: p50/p90 over
 *   20 requests at different positions of the collection.
 *
 * Summaries are seeded with BatchWrite (what enrichment's refresh stores, one per identifier).
 * Run directly: `npx node bench/sharing.ts`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalRuntime } from '#local/runtime.ts';
import type { SharedIndicator } from '#shared/domain/sharing/summary.ts';
import { SharedIndicatorRepository } from '#shared/storage/shared-indicator-repository.ts';
import { artefactBucket, mainTable } from '#shared/storage/tables.ts';
import { bundleChunks } from '#shared/use-cases/export-bundle.ts';
import { mapLimit } from '#shared/use-cases/match-pools.ts';
import { TAXII_MEDIA_TYPE } from '#shared/use-cases/taxii.ts';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const TOTAL = 100_000;
const WORKER = fileURLToPath(new URL('./fixtures/export-job-worker.ts', import.meta.url));
const execFileAsync = promisify(execFile);
/**
 * The worker's V8 heap is capped well below the Lambda's 1,024 MB: a job that held the range in
 * memory would fail at 100,000 indicators (100 MB of JSON) instead of finishing.
 */
const WORKER_HEAP_MB = 96;

interface JobRun {
  readonly seconds: number;
  readonly steps: number;
  readonly state: string;
  readonly written: number;
  readonly size: number;
  readonly maxRssBytes: number;
}
const EXPORT_SIZES = [10_000, 50_000, 100_000] as const;
const PAGE_RUNS = 20;
const T0 = Date.parse('2026-02-01T00:00:00.000Z');
/** One summary changed per second: the first n fall in [T0, T0 + n s). */
const at = (n: number) => new Date(T0 + n * 1000).toISOString();

function summary(n: number): SharedIndicator {
  const kind = n % 4;
  const shared = {
    firstSeen: at(n - 86_400),
    lastSeen: at(n),
    reportCount: 1 + (n % 9),
    lossByCurrency: { USD: 10_000 + (n % 997) * 1_000 },
    categories: n % 3 === 0 ? ['imposter-romance', 'investment'] : ['imposter-government'],
    created: at(n),
    modified: at(n),
  };
  const tail = String(n).padStart(7, '0');
  if (kind === 0) return { ...shared, type: 'phone', value: `+1202${tail}` };
  if (kind === 1) return { ...shared, type: 'domain', value: `scam-${tail}.example.com` };
  if (kind === 2) return { ...shared, type: 'bank-account', value: `us:${n.toString(16).padStart(64, '0')}` };
  return { ...shared, type: 'crypto-wallet', value: `eth:0x${n.toString(16).padStart(40, '0')}` };
}

// A forced collection shows what the export keeps alive, as opposed to garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function benchSharing(): Promise<BenchResult[]> {
  const runtime = await startLocalRuntime({
    indicatorKey: randomBytes(32).toString('base64'),
    httpPort: 0,
    consumers: [],
  });
  try {
    const doc = DynamoDBDocumentClient.from(runtime.aws.dynamoClient());
    const repo = new SharedIndicatorRepository(
      doc,
      runtime.aws.tableNames[mainTable.id] ?? mainTable.localName,
    );
    const seedStarted = performance.now();
    const chunks = Array.from({ length: TOTAL / 1_000 }, (_, c) =>
      Array.from({ length: 1_000 }, (_, i) => summary(c * 1_000 + i)),
    );
    await mapLimit(chunks, 4, (chunk) => repo.putMany(chunk));
    const results: BenchResult[] = [
      {
        name: `seeded ${TOTAL} summaries in`,
        value: Math.round((performance.now() - seedStarted) / 1000),
        unit: 's',
      },
    ];
    const ctx = { agencyName: 'Example State Attorney General', tlp: 'amber' as const };

    const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
    for (const size of EXPORT_SIZES) {
      const range = { from: at(0), to: at(size - 1) };
      // Run 1, timed: nothing but the export.
      let bytes = 0;
      let progressCalls = 0;
      const started = performance.now();
      for await (const chunk of bundleChunks(range, repo, ctx, {
        at: new Date().toISOString(),
        onProgress: () => {
          progressCalls += 1;
        },
      })) {
        bytes += Buffer.byteLength(chunk);
      }
      const seconds = (performance.now() - started) / 1000;
      // Run 2, untimed: the heap the export keeps alive (after a forced collection every 10 pages).
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let retained = 0;
      let chunks = 0;
      for await (const _chunk of bundleChunks(range, repo, ctx, { at: new Date().toISOString() })) {
        chunks += 1;
        if (chunks % 10 === 0) {
          gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed - baseline);
        }
      }
      results.push(
        { name: `export ${size} indicators: time`, value: Number(seconds.toFixed(1)), unit: 's' },
        { name: `export ${size} indicators: bundle size`, value: mb(bytes), unit: 'MB' },
        {
          name: `export ${size} indicators: heap kept alive during the export (max, after GC)`,
          value: mb(retained),
          unit: 'MB',
        },
        { name: `export ${size} indicators: progress reports`, value: progressCalls, unit: '' },
      );
    }

    // The export job, as the worker runs it, in a process of its own (bench/fixtures) with a capped
    // heap: its peak resident memory is the job's alone. An empty range gives the floor (Node,
    // the SDK clients).
    const table = runtime.aws.tableNames[mainTable.id] ?? mainTable.localName;
    const bucket = runtime.aws.bucketNames[artefactBucket.id] ?? artefactBucket.localName;
    const runJob = async (from: string, to: string): Promise<JobRun> => {
      const { stdout } = await execFileAsync(
        process.execPath,
        [
          `--max-old-space-size=${WORKER_HEAP_MB}`,
          WORKER,
          runtime.aws.endpoints.dynamodb,
          runtime.aws.endpoints.s3,
          runtime.aws.region,
          table,
          bucket,
          from,
          to,
        ],
        { maxBuffer: 1024 * 1024 },
      );
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as JobRun;
    };
    const floor = await runJob('2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z');
    results.push({
      name: 'export job of an empty range (the floor: Node and the SDK clients): peak resident memory',
      value: mb(floor.maxRssBytes),
      unit: 'MB',
    });
    for (const size of EXPORT_SIZES) {
      const run = await runJob(at(0), at(size - 1));
      if (run.state !== 'READY' || run.written !== size) {
        throw new Error(`export job of ${size}: ${run.state}, ${run.written} written`);
      }
      results.push(
        {
          name: `export job ${size} indicators (one bundle in S3): time`,
          value: Number(run.seconds.toFixed(1)),
          unit: 's',
        },
        { name: `export job ${size} indicators: file size`, value: mb(run.size), unit: 'MB' },
        { name: `export job ${size} indicators: steps (queue messages)`, value: run.steps, unit: '' },
        {
          name: `export job ${size} indicators: peak resident memory of the worker process (sampled every 5 ms, heap capped at ${WORKER_HEAP_MB} MB)`,
          value: mb(run.maxRssBytes),
          unit: 'MB',
        },
      );
    }

    const token = await runtime.identityProvider.issueClientToken({ clientId: 'bench-partner' });
    const url = (n: number) =>
      `${runtime.baseUrl}/taxii2/restore/collections/indicators/objects/?limit=1000&added_after=${at(n)}`;
    const fetchPage = async (n: number) => {
      const started = performance.now();
      const res = await fetch(url(n), {
        headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { objects?: unknown[] };
      if (res.status !== 200 || body.objects?.length !== 1_000) throw new Error(`TAXII page: ${res.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) await fetchPage(i * 1_000); // warm-up: handler import, JIT
    const times: number[] = [];
    for (let i = 0; i < PAGE_RUNS; i++)
      times.push(await fetchPage(Math.floor(((i + 0.5) / PAGE_RUNS) * (TOTAL - 2_000))));
    times.sort((a, b) => a - b);
    results.push(
      {
        name: 'TAXII objects page of 1,000 (HTTP, local runtime): p50',
        value: Math.round(percentile(times, 50)),
        unit: 'ms',
      },
      {
        name: 'TAXII objects page of 1,000 (HTTP, local runtime): p90',
        value: Math.round(percentile(times, 90)),
        unit: 'ms',
      },
    );
    return results;
  } finally {
    await runtime.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSharing()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
