/**
 * Cold first response: a fresh Node process imports a Lambda bundle, built as deployed
 * (infra/constructs/bundling.ts), and handles one representative request end to end against the
 * local DynamoDB and SQS servers. Timed inside the process, from before import() to the answer.
 *
 * Each function is set against its floor, measured in the same run: a bundle of only the
 * libraries that function requires, set up the same way, making the same AWS calls (recorded on
 * the wire from the function's own first run and replayed as recorded), with none of Restore's
 * code. Goals (issue 9): first response <= 1.5x the floor, bundle <= 800 KB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { type FunctionName, functions } from '#functions/routes.ts';
import { esbuildOptionsFor, externalModulesFor } from '#infra/constructs/bundling.ts';
import { startLocalAws } from '#local/aws.ts';
import { toSqsRecord } from '#local/poller.ts';
import { MAIL_INTENT } from '#shared/messages/mail-intent.ts';
import { claimReceivedIntent } from '#shared/use-cases/send-mail.ts';
import { apiEvent, staffClaims } from '#test/support/events.ts';
import { makeReportBody } from '#test/support/factories.ts';
import type { RecordedCall } from './fixtures/floor-replay.ts';

/** Runs per bundle; BENCH_COLD_RUNS lowers it for a quick look (the figures quoted use 20). */
export const RUNS = Number(process.env['BENCH_COLD_RUNS'] ?? 20);
export const RATIO_GOAL = 1.5;
export const SIZE_GOAL_BYTES = 800 * 1024;

export interface ColdFigures {
  name: string;
  request: string;
  status: number;
  bytes: number;
  gzipBytes: number;
  p50: number;
  p90: number;
  calls: string[];
  floor: { name: string; bytes: number; p50: number };
}

const FLOORS = {
  http: 'bench/fixtures/floor-http.ts',
  api: 'bench/fixtures/floor-api.ts',
  'api+key': 'bench/fixtures/floor-api-key.ts',
  intake: 'bench/fixtures/floor-intake.ts',
  enrich: 'bench/fixtures/floor-enrich.ts',
  'api+s3+sqs': 'bench/fixtures/floor-artefacts.ts',
} as const;
type FloorName = keyof typeof FLOORS;

/** Functions whose cold first response a person waits for. */
type Measured = Exclude<FunctionName, 'distributionWorker' | 'sharingExportWorker'>;

function floorFor(name: FunctionName): FloorName {
  if (name === 'intake' || name === 'enrich') return name;
  const access = functions[name].access;
  if ('artefactBucket' in access) return 'api+s3+sqs';
  if (!('mainTable' in access) && !('auditTable' in access)) return 'http';
  return 'indicatorKey' in functions[name].access ? 'api+key' : 'api';
}

/** The most common request of each function (its representative route). */
type Sample = { label: string; event: () => Promise<unknown> | unknown; expect: number };

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** The script a fresh process runs: import the bundle, handle the event, write the timing. */
const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
const [bundle, eventFile, outFile, fn] = process.argv.slice(1);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const t = performance.now();
const { handler } = await import(bundle);
const deadline = Date.now() + 30_000;
const context = {
  functionName: fn, functionVersion: '$LATEST', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + fn,
  awsRequestId: crypto.randomUUID(), logGroupName: '/aws/lambda/' + fn, logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => deadline - Date.now(),
};
const res = await handler(event, context);
const ms = performance.now() - t;
const status = res && 'batchItemFailures' in res ? (res.batchItemFailures.length === 0 ? 200 : 500) : res && 'outcome' in res ? 200 : res.statusCode;
writeFileSync(outFile, JSON.stringify({ ms, status }));
process.exit(0);
`;

function runChild(
  bundle: string,
  event: unknown,
  fn: string,
  env: Record<string, string>,
  dir: string,
): Promise<{ ms: number; status: number }> {
  const eventFile = join(dir, 'event.json');
  const outFile = join(dir, 'out.json');
  writeFileSync(eventFile, JSON.stringify(event));
  writeFileSync(outFile, '');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD, pathToFileURL(bundle).href, eventFile, outFile, fn],
      { env: { ...env, PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const out = readFileSync(outFile, 'utf8');
      // The end of stderr holds the error (its start is the minified line it was thrown from).
      if (code !== 0 || out === '') reject(new Error(`${fn} (${bundle}) failed: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(out) as { ms: number; status: number });
    });
  });
}

/** A pass-through HTTP proxy in front of a local AWS server that records each operation. */
async function recordingProxy(target: string, service: RecordedCall['service'], log: RecordedCall[]) {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target) {
        log.push({
          service,
          operation: target.slice(target.lastIndexOf('.') + 1),
          input: JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>,
        });
      }
      const forward = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

export async function benchColdStart(): Promise<ColdFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'restore-cold-'));
  // The distribution worker runs background job steps (seconds to minutes each): no person waits
  // on its cold start, so it is left out of this table (npm run bench -- plan-job measures it).
  const names = (Object.keys(functions) as FunctionName[]).filter(
    (n): n is Measured => n !== 'distributionWorker' && n !== 'sharingExportWorker',
  );
  const bundles = new Map<string, string>();
  for (const [name, entry] of [
    ...names.map((n) => [n, functions[n].entry] as const),
    ...Object.entries(FLOORS).map(([n, e]) => [`floor:${n}`, e] as const),
  ]) {
    const outfile = join(dir, name.replace(/\W+/g, '-'), 'index.mjs');
    const options = esbuildOptionsFor(entry, outfile);
    // The S3 floor bundles the S3 client's event-stream support, as a function with S3 must.
    if (name === 'floor:api+s3+sqs')
      options.external = externalModulesFor(functions.adminDistributions.entry);
    await build(options);
    bundles.set(name, outfile);
  }

  const aws = await startLocalAws({ visibilityTimeoutSeconds: 30 });
  const wire: RecordedCall[] = [];
  const dynamoProxy = await recordingProxy(aws.env['AWS_ENDPOINT_URL_DYNAMODB']!, 'dynamodb', wire);
  const sqsProxy = await recordingProxy(aws.env['AWS_ENDPOINT_URL_SQS']!, 'sqs', wire);
  const env: Record<string, string> = {
    ...aws.env,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.url,
    AWS_ENDPOINT_URL_SQS: sqsProxy.url,
    INDICATOR_KEY: Buffer.alloc(32, 7).toString('base64'),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
    MAIL_FROM: 'no-reply@example.gov',
    MAIL_CONFIGURATION_SET: 'bench',
  };
  const queue = aws.queueFor('enrichmentQueue');
  const sqs = aws.sqsClient();

  /** The next report intake queued, as the event source mapping would hand it over. */
  const nextMessage = async () => {
    for (let tries = 0; tries < 10; tries++) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const message = got.Messages?.[0];
      if (!message) continue;
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle! }),
      );
      return { Records: [toSqsRecord(message, queue.arn)] };
    }
    throw new Error('intake queued nothing for enrich');
  };
  // The floor's messages go to the dead-letter queue, so enrich only ever gets intake's.
  const toDeadLetters = (c: RecordedCall): RecordedCall =>
    c.service === 'sqs' ? { ...c, input: { ...c.input, QueueUrl: queue.dlqUrl } } : c;
  const reviewer = staffClaims('reviewer');
  let sequence = 0;
  const samples: Record<Measured, Sample> = {
    intake: {
      label: 'POST /v1/reports (phone, website, wallet)',
      expect: 202,
      event: () =>
        apiEvent({
          routeKey: 'POST /v1/reports',
          body: makeReportBody(),
          headers: { 'idempotency-key': `cold-${Date.now()}-${sequence++}` },
        }),
    },
    enrich: { label: 'a batch of one report', expect: 200, event: nextMessage },
    adminReports: {
      label: 'GET /v1/admin/reports',
      expect: 200,
      event: () => apiEvent({ routeKey: 'GET /v1/admin/reports', claims: reviewer }),
    },
    adminDashboard: {
      label: 'GET /v1/admin/dashboard',
      expect: 200,
      event: () => apiEvent({ routeKey: 'GET /v1/admin/dashboard', claims: reviewer }),
    },
    adminIndicators: {
      label: 'GET /v1/admin/indicators/{type}/{value}',
      expect: 200,
      event: () =>
        apiEvent({
          routeKey: 'GET /v1/admin/indicators/{type}/{value}',
          path: '/v1/admin/indicators/phone/%2B12025550143',
          pathParameters: { type: 'phone', value: '+12025550143' },
          claims: reviewer,
        }),
    },
    pools: { label: 'GET /v1/pools', expect: 200, event: () => apiEvent({ routeKey: 'GET /v1/pools' }) },
    claims: {
      label: 'POST /v1/claims/status (unknown claim)',
      expect: 404,
      event: () => {
        const event = apiEvent({
          routeKey: 'POST /v1/claims/status',
          body: { claimId: 'CLM-0000-0000-0000-0000', accessCode: 'ABCD-EFGH-JKLM' },
        });
        // A caller of its own each time, so the failed-attempt limit never answers instead.
        event.requestContext.http.sourceIp = `203.0.113.${sequence++ % 250}`;
        return event;
      },
    },
    adminPools: {
      label: 'GET /v1/admin/pools',
      expect: 200,
      event: () => apiEvent({ routeKey: 'GET /v1/admin/pools', claims: reviewer }),
    },
    adminClaims: {
      label: 'GET /v1/admin/claims',
      expect: 200,
      event: () => apiEvent({ routeKey: 'GET /v1/admin/claims', claims: reviewer }),
    },
    adminDistributions: {
      label: 'GET …/distributions/{distributionId} (unknown)',
      expect: 404,
      event: () =>
        apiEvent({
          routeKey: 'GET /v1/admin/pools/{poolId}/distributions/{distributionId}',
          path: '/v1/admin/pools/POOL-0000/distributions/DST-0000',
          pathParameters: { poolId: 'POOL-0000', distributionId: 'DST-0000' },
          claims: staffClaims('admin'),
        }),
    },
    taxii: {
      label: 'GET …/collections/indicators/objects (partner token)',
      expect: 200,
      event: () =>
        apiEvent({
          routeKey: 'GET /taxii2/restore/collections/{collectionId}/objects',
          path: '/taxii2/restore/collections/indicators/objects/',
          pathParameters: { collectionId: 'indicators' },
          headers: { accept: 'application/taxii+json;version=2.1' },
          claims: { sub: 'bench-partner', client_id: 'bench-partner', scope: 'taxii/read' },
        }),
    },
    adminSharing: {
      label: 'GET /v1/admin/sharing/bundle (a month)',
      expect: 200,
      event: () =>
        apiEvent({
          routeKey: 'GET /v1/admin/sharing/bundle',
          queryStringParameters: { from: '2026-11-01', to: '2026-11-30' },
          claims: staffClaims('admin'),
        }),
    },
    adminAudit: {
      label: 'GET /v1/admin/audit',
      expect: 200,
      event: () => apiEvent({ routeKey: 'GET /v1/admin/audit', claims: staffClaims('admin') }),
    },
    meta: { label: 'GET /health', expect: 200, event: () => apiEvent({ routeKey: 'GET /health' }) },
    mailer: {
      label: 'a batch of one mail whose claim was never stored (one read, no send)',
      expect: 200,
      event: () => ({
        Records: [
          toSqsRecord(
            {
              MessageId: `cold-mail-${sequence++}`,
              ReceiptHandle: 'cold',
              Body: JSON.stringify({
                type: MAIL_INTENT,
                version: 1,
                intent: claimReceivedIntent('CLM-0000-0000-0000-0002', 'X', new Date('2026-01-01T00:00:00Z')),
              }),
            },
            aws.queueFor('mailQueue').arn,
          ),
        ],
      }),
    },
    mailEvents: {
      label: 'a permanent bounce from SES (one conditional put)',
      expect: 200,
      event: () => ({
        source: 'aws.ses',
        'detail-type': 'Email Bounced',
        detail: {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bouncedRecipients: [{ emailAddress: `cold-${sequence++}@example.com` }],
          },
        },
      }),
    },
    uploadScan: {
      label: 'a clean scan result for an upload no claim asked for (one query)',
      expect: 200,
      event: () => ({
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        source: 'aws.guardduty',
        detail: {
          s3ObjectDetails: {
            bucketName: 'restore-uploads',
            objectKey: `quarantine/CLM-0000-0000-0000-0001/DOC-${'0'.repeat(32)}`,
          },
          scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' },
        },
      }),
    },
  };

  const times = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  const recorded = new Map<FunctionName, RecordedCall[]>();
  const events = new Map<FunctionName, unknown>();
  try {
    // Interleave runs so machine noise hits every bundle alike; intake runs before enrich so
    // each enrich run gets the report the intake run just queued.
    for (let run = 0; run < RUNS; run++) {
      for (const name of names) {
        const event = await samples[name].event();
        wire.length = 0;
        const r = await runChild(bundles.get(name)!, event, name, env, dir);
        if (run === 0) {
          recorded.set(name, [...wire]);
          events.set(name, event);
          statuses.set(name, r.status);
        }
        times.set(name, [...(times.get(name) ?? []), r.ms]);
        const floor = `floor:${floorFor(name)}`;
        const floorEvent = {
          ...((name === 'intake' ? await samples.intake.event() : events.get(name)) as object),
          replay: recorded.get(name)!.map(toDeadLetters),
        };
        const f = await runChild(bundles.get(floor)!, floorEvent, `${floor}-${name}`, env, dir);
        times.set(`${floor}/${name}`, [...(times.get(`${floor}/${name}`) ?? []), f.ms]);
      }
    }
  } finally {
    dynamoProxy.close();
    sqsProxy.close();
    await aws.stop();
  }

  const size = (file: string) => ({
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).byteLength,
  });
  return names.map((name) => {
    const t = times.get(name)!;
    const floor = `floor:${floorFor(name)}`;
    return {
      name,
      request: samples[name].label,
      status: statuses.get(name)!,
      ...size(bundles.get(name)!),
      p50: percentile(t, 50),
      p90: percentile(t, 90),
      calls: recorded.get(name)!.map((c) => `${c.service}:${c.operation}`),
      floor: {
        name: floorFor(name),
        bytes: statSync(bundles.get(floor)!).size,
        p50: percentile(times.get(`${floor}/${name}`)!, 50),
      },
    };
  });
}
