/**
 * `npm run chaos`: reports submitted to the local runtime while faults are injected, retried as a
 * client would, then counted once everything has drained.
 *
 * The runtime runs in a child process (scripts/evidence/runtime-process.ts) on a data directory
 * of its own, so it can be killed mid-request and started again; its handlers reach DynamoDB and
 * SQS through fault proxies (local/fault-proxy.ts). Four phases, a quarter of the reports each:
 * 1. queue refused: SendMessage answers 503 (30% of calls);
 * 2. table refused: every DynamoDB call answers 503 (30%);
 * 3. table slow: DynamoDB calls held 4 s (30%; the SDK gives up on a request after 3 s);
 * 4. killed: the runtime process is killed (SIGKILL) at random moments and restarted.
 * Two reports in three carry an Idempotency-Key. Every answer other than 202 is retried (with its
 * key, if it has one) until 202 or 8 attempts.
 *
 * Printed: submitted, accepted (a 202), stored, lost (accepted, not stored), doubled (stored more
 * than once), wrong answers (stored although every answer said it was not), attempts by status.
 * Goal: 0 lost, 0 doubled, 0 wrong answers.
 *
 *   npm run chaos                      # 400 reports
 *   npm run chaos -- --reports 60 --kills 2
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type FaultRule, startFaultProxy } from '../local/fault-proxy.ts';
import { LOCAL_REGION, repoRoot } from '../local/lambda.ts';
import { enrichmentQueue, mainTable } from '../shared/storage/tables.ts';

export interface ChaosOptions {
  reports: number;
  kills: number;
  concurrency?: number;
  /** Share of calls a fault hits in phases 1-3. */
  faultRate?: number;
  log?: (line: string) => void;
}

export interface ChaosFigures {
  submitted: number;
  keyed: number;
  accepted: number;
  stored: number;
  lost: number;
  doubled: number;
  wrongAnswers: number;
  /** Keyed reports answered 202 with more than one report id. */
  idsPerKeyAbove1: number;
  deadLettered: number;
  attempts: Record<string, number>;
  faultsInjected: number;
  kills: number;
  drainMs: number;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const MAX_ATTEMPTS = 8;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Child {
  process: ChildProcess;
  baseUrl: string;
}

interface Report {
  marker: string;
  key?: string;
  body: string;
  ids: Set<string>;
  statuses: number[];
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const log = options.log ?? (() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), 'restore-chaos-'));
  const ports = { http: await freePort(), dynamodb: await freePort(), sqs: await freePort() };
  const dynamoProxy = await startFaultProxy();
  const sqsProxy = await startFaultProxy();
  dynamoProxy.setTarget(`http://127.0.0.1:${ports.dynamodb}`);
  sqsProxy.setTarget(`http://127.0.0.1:${ports.sqs}`);
  const runId = randomUUID().slice(0, 8);

  let child: Child | undefined;
  let starting: Promise<Child> | undefined;
  const start = (): Promise<Child> => {
    starting ??= new Promise<Child>((resolve, reject) => {
      const proc = spawn(process.execPath, [join(repoRoot, 'scripts', 'evidence', 'runtime-process.ts')], {
        cwd: repoRoot,
        env: {
          ...process.env,
          CHAOS_DATA_DIR: dataDir,
          CHAOS_HTTP_PORT: String(ports.http),
          CHAOS_DYNAMODB_PORT: String(ports.dynamodb),
          CHAOS_SQS_PORT: String(ports.sqs),
          CHAOS_DYNAMODB_PROXY: dynamoProxy.url,
          CHAOS_SQS_PROXY: sqsProxy.url,
          RETRY_BASE_SECONDS: '1',
          POWERTOOLS_LOG_LEVEL: 'CRITICAL',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /ready (\S+)/.exec(out);
        if (ready && !child) {
          child = { process: proc, baseUrl: ready[1]! };
          starting = undefined;
          resolve(child);
        }
      });
      proc.once('exit', (code) => {
        if (!child || child.process !== proc)
          reject(new Error(`runtime process exited (${code}) before it was ready`));
      });
    });
    return starting;
  };
  const kill = async () => {
    const current = child;
    if (!current) return;
    child = undefined;
    const exited = new Promise((done) => current.process.once('exit', done));
    current.process.kill('SIGKILL');
    await exited;
    log('  runtime killed; restarting');
    await start();
  };

  const reports: Report[] = Array.from({ length: options.reports }, (_, i) => {
    const marker = `chaos-${runId}-${i}`;
    return {
      marker,
      ...(i % 3 === 0 ? {} : { key: `chaos-key-${runId}-${i}` }),
      body: JSON.stringify({
        incident: { category: 'other', narrative: `Chaos report ${marker}: money sent to a stranger.` },
        scammer: { phones: ['(202) 555-0143'] },
        consents: { shareWithLawEnforcement: true, contactAboutRecovery: false },
      }),
      ids: new Set<string>(),
      statuses: [],
    };
  });

  const attempts: Record<string, number> = {};
  const submit = async (report: Report) => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const target = child ?? (await start());
      let status: number;
      try {
        const res = await fetch(`${target.baseUrl}/v1/reports`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(report.key ? { 'idempotency-key': report.key } : {}),
          },
          body: report.body,
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        const json = (await res.json().catch(() => ({}))) as { reportId?: string };
        if (status === 202 && json.reportId) report.ids.add(json.reportId);
      } catch {
        status = 0; // connection refused or dropped: the process died
      }
      report.statuses.push(status);
      attempts[String(status)] = (attempts[String(status)] ?? 0) + 1;
      if (status === 202) return;
      if (status >= 400 && status < 500 && status !== 409 && status !== 429) return;
      await sleep(200 * attempt);
    }
  };

  const rate = options.faultRate ?? 0.3;
  const phases: { name: string; dynamo: FaultRule[]; sqs: FaultRule[]; kills: number }[] = [
    {
      name: 'queue refused',
      dynamo: [],
      sqs: [{ operations: ['SendMessage'], fault: { kind: 'unavailable' }, probability: rate }],
      kills: 0,
    },
    {
      name: 'table refused',
      dynamo: [{ fault: { kind: 'unavailable' }, probability: rate }],
      sqs: [],
      kills: 0,
    },
    {
      name: 'table slow',
      dynamo: [{ fault: { kind: 'slow', ms: 4_000 }, probability: rate }],
      sqs: [],
      kills: 0,
    },
    { name: 'killed mid-request', dynamo: [], sqs: [], kills: options.kills },
  ];

  let kills = 0;
  try {
    await start();
    const perPhase = Math.ceil(reports.length / phases.length);
    for (const [index, phase] of phases.entries()) {
      const batch = reports.slice(index * perPhase, (index + 1) * perPhase);
      log(`phase ${index + 1}: ${phase.name} (${batch.length} reports)`);
      dynamoProxy.setRules(phase.dynamo);
      sqsProxy.setRules(phase.sqs);
      let next = 0;
      const workers = Array.from({ length: options.concurrency ?? 8 }, async () => {
        for (let i = next++; i < batch.length; i = next++) await submit(batch[i]!);
      });
      const killer = (async () => {
        for (let k = 0; k < phase.kills; k++) {
          await sleep(300 + Math.random() * 1_500);
          await kill();
          kills += 1;
        }
      })();
      await Promise.all([...workers, killer]);
    }
    dynamoProxy.setRules([]);
    sqsProxy.setRules([]);

    // Drain: the queue empties once every accepted report is stored (or dead-lettered).
    const sqs = new SQSClient({
      region: LOCAL_REGION,
      endpoint: `http://127.0.0.1:${ports.sqs}`,
      credentials: CREDENTIALS,
      useQueueUrlAsEndpoint: false,
    });
    const url = async (name: string) =>
      (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const queueUrl = await url(enrichmentQueue.localName);
    const dlqUrl = await url(`${enrichmentQueue.localName}-dlq`);
    const depth = async (q: string) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: q,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    };
    const drainStarted = Date.now();
    while ((await depth(queueUrl)) > 0 && Date.now() - drainStarted < 300_000) await sleep(500);
    const drainMs = Date.now() - drainStarted;
    const deadLettered = await depth(dlqUrl);
    sqs.destroy();

    // Count what was stored, by marker.
    const dynamo = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: `http://127.0.0.1:${ports.dynamodb}`,
      credentials: CREDENTIALS,
    });
    const storedByMarker = new Map<string, Set<string>>();
    let startKey: Record<string, never> | undefined;
    do {
      const res = await dynamo.send(
        new ScanCommand({ TableName: mainTable.localName, ExclusiveStartKey: startKey }),
      );
      for (const raw of res.Items ?? []) {
        const item = unmarshall(raw);
        if (item['entity'] !== 'report') continue;
        const marker = /chaos-[0-9a-f]{8}-\d+/.exec(String(item['content']?.incident?.narrative ?? ''))?.[0];
        if (!marker) continue;
        const ids = storedByMarker.get(marker) ?? new Set<string>();
        ids.add(String(item['reportId']));
        storedByMarker.set(marker, ids);
      }
      startKey = res.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    dynamo.destroy();

    let accepted = 0;
    let stored = 0;
    let lost = 0;
    let doubled = 0;
    let wrongAnswers = 0;
    let idsPerKeyAbove1 = 0;
    for (const report of reports) {
      const copies = storedByMarker.get(report.marker)?.size ?? 0;
      const acknowledged = report.key
        ? Math.min(report.ids.size, 1)
        : report.statuses.filter((s) => s === 202).length;
      if (report.ids.size > 0) accepted += 1;
      if (copies > 0) stored += 1;
      if (report.ids.size > 0 && copies === 0) lost += 1;
      if (copies > 1) doubled += copies - 1;
      if (copies > acknowledged) wrongAnswers += copies - acknowledged;
      if (report.key && report.ids.size > 1) idsPerKeyAbove1 += 1;
    }
    return {
      submitted: reports.length,
      keyed: reports.filter((r) => r.key).length,
      accepted,
      stored,
      lost,
      doubled,
      wrongAnswers,
      idsPerKeyAbove1,
      deadLettered,
      attempts,
      faultsInjected: dynamoProxy.stats.faults + sqsProxy.stats.faults,
      kills,
      drainMs,
    };
  } finally {
    if (child) {
      const exited = new Promise((done) => child?.process.once('exit', done));
      child.process.kill('SIGKILL');
      await exited;
    }
    await dynamoProxy.close();
    await sqsProxy.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function chaosTable(f: ChaosFigures): string {
  const attempts = Object.entries(f.attempts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status === '0' ? 'no answer' : status}: ${n}`)
    .join(', ');
  return [
    '| Submitted | Keyed | Accepted (202) | Stored | Lost | Doubled | Wrong answers | Dead-lettered | Faults injected | Kills | Drain (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${f.submitted} | ${f.keyed} | ${f.accepted} | ${f.stored} | ${f.lost} | ${f.doubled} | ${f.wrongAnswers} | ${f.deadLettered} | ${f.faultsInjected} | ${f.kills} | ${(f.drainMs / 1000).toFixed(1)} |`,
    '',
    `Attempts by answer: ${attempts}. Keys answered with more than one report id: ${f.idsPerKeyAbove1}.`,
  ].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { reports: { type: 'string', default: '400' }, kills: { type: 'string', default: '6' } },
  });
  const figures = await runChaos({
    reports: Number(values.reports),
    kills: Number(values.kills),
    log: (line) => console.log(line),
  });
  console.log(chaosTable(figures));
  process.exit(figures.lost + figures.doubled + figures.wrongAnswers > 0 ? 1 : 0);
}
