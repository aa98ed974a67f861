/**
 * Local DynamoDB (dynalite), SQS and S3 (both fauxqs), created from the same definitions the CDK app
 * deploys (shared/storage/tables.ts, functions/routes.ts), so handlers run unchanged against them.
 *
 * 1. Start dynalite and fauxqs (on disk under `dataDir`, or in memory).
 * 2. Create every table, queue (with its dead-letter queue) and bucket that does not exist yet.
 * 3. Hand back endpoints, names, URLs and the environment handlers read.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  QueueAttributeName,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import {
  type ConsumerDefinition,
  consumers,
  functions,
  VISIBILITY_TIMEOUT_FACTOR,
} from '#functions/routes.ts';
import type { KeyAttribute, QueueDefinition, TableDefinition } from '#shared/storage/tables.ts';
import * as storage from '#shared/storage/tables.ts';
import { LOCAL_REGION } from './lambda.ts';

const SECONDS_PER_DAY = 86_400;
/** fauxqs's default, used for a queue nobody consumes. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const TABLE_ACTIVE_TIMEOUT_MS = 5_000;

/** Not secrets: the emulators accept any credentials, but the SDK insists on having some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalAwsOptions {
  /** Persist under `dataDir/dynamodb` and `dataDir/sqs`; in memory when absent. */
  readonly dataDir?: string;
  /**
   * 0 or absent: a random free port. Use fixed ports with a dataDir: persisted queue URLs keep
   * the port they were created on (the URLs handed out here are rewritten to the current one).
   */
  readonly dynamoPort?: number;
  readonly sqsPort?: number;
  /** Overrides VISIBILITY_TIMEOUT_FACTOR x consumer timeout (tests use 1-2 s to reach the DLQ fast). */
  readonly visibilityTimeoutSeconds?: number;
}

/** How consumers name a queue: its export name in tables.ts (`enrichmentQueue`). */
export type QueueKey = ConsumerDefinition['queue'];

export interface LocalQueue {
  readonly definition: QueueDefinition;
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly visibilityTimeoutSeconds: number;
}

export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  /** Received and not yet deleted nor back from its visibility timeout. */
  readonly inFlight: boolean;
}

export interface LocalAws {
  readonly region: string;
  /** fauxqs serves SQS and S3 on one port. */
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly s3: string };
  /** Bucket names by definition id (`ArtefactBucket` -> `restore-artefacts`). */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** Physical table name by definition id (`MainTable` -> `restore-main`). */
  readonly tableNames: Readonly<Record<string, string>>;
  /** Queue URLs by definition id (`EnrichmentQueue`). */
  readonly queueUrls: Readonly<Record<string, { readonly url: string; readonly dlqUrl: string }>>;
  readonly queues: readonly LocalQueue[];
  queueFor(key: QueueKey): LocalQueue;
  /** The messages in a queue, without receiving them (no receive count, no visibility change). */
  peekMessages(queueUrl: string): PeekedMessage[];
  /** What handlers read: table and queue env vars from the definitions, endpoints, region, credentials. */
  readonly env: Readonly<Record<string, string>>;
  /** Things a developer should know, e.g. a persisted table whose indexes no longer match. */
  readonly warnings: readonly string[];
  /** SDK clients already pointed at the emulators (SQS without the queue-URL-as-endpoint detour). */
  dynamoClient(): DynamoDBClient;
  sqsClient(): SQSClient;
  s3Client(): S3Client;
  stop(): Promise<void>;
}

/** tables.ts by export name: consumers name their queue that way (`enrichmentQueue`). */
const definitionsByExportName = new Map<string, unknown>(Object.entries(storage));

let dnsIntercepted = false;

/**
 * fauxqs's queue URLs use the host `sqs.<region>.localhost`, which glibc does not resolve. The
 * handlers run in this process, so resolving `*.localhost` here is enough; done once, for good.
 */
function resolveLocalhostSubdomains(): void {
  if (dnsIntercepted) return;
  interceptLocalhostDns();
  dnsIntercepted = true;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

async function startDynalite(
  dataDir: string | undefined,
  port: number,
): Promise<{ port: number; stop(): Promise<void> }> {
  const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => Server;
  const path = dataDir === undefined ? undefined : join(dataDir, 'dynamodb');
  if (path !== undefined) await mkdir(path, { recursive: true });
  // createTableMs 0: tables are ACTIVE at once instead of after dynalite's simulated 500 ms.
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const actualPort = await listen(server, port);
  return {
    port: actualPort,
    stop: () =>
      new Promise<void>((resolveStop, reject) => {
        server.close((error) => (error ? reject(error) : resolveStop()));
        // Keep-alive sockets of SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function attribute({ name, type }: KeyAttribute): AttributeDefinition {
  return { AttributeName: name, AttributeType: type };
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

async function waitUntilActive(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + TABLE_ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`Local table ${tableName} did not become ACTIVE`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

/** Creates the table unless it exists; TTL is skipped (dynalite has no UpdateTimeToLive). */
async function ensureTable(dynamo: DynamoDBClient, table: TableDefinition): Promise<string | undefined> {
  const keyAttributes = [
    table.partitionKey,
    table.sortKey,
    ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map(keyAttributes.filter((a) => a !== undefined).map((a) => [a.name, attribute(a)]));
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table.localName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        GlobalSecondaryIndexes:
          table.globalIndexes.length === 0
            ? undefined
            : table.globalIndexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: index.projection },
              })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilActive(dynamo, table.localName);
  // A persisted table keeps the indexes it was created with; dynalite cannot add indexes later.
  // (An index with another projection still works: readers fetch whole items from the table.)
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table.localName }));
  const existing = new Map((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  const missing = table.globalIndexes.filter((i) => !existing.has(i.indexName)).map((i) => i.indexName);
  const stale = table.globalIndexes
    .filter((i) => existing.has(i.indexName))
    .filter((i) => existing.get(i.indexName)?.Projection?.ProjectionType !== i.projection)
    .map((i) => i.indexName);
  if (missing.length > 0) {
    return `Local table ${table.localName} lacks index(es) ${missing.join(', ')}: stop, delete its data directory and restart.`;
  }
  return stale.length === 0
    ? undefined
    : `Local table ${table.localName} has index(es) ${stale.join(', ')} from an older layout (other projection). It works; to match AWS, delete its data directory and restart.`;
}

/** VISIBILITY_TIMEOUT_FACTOR x the longest timeout among the functions consuming the queue. */
function visibilityTimeoutFor(queue: QueueDefinition): number {
  const timeouts = consumers
    .filter((c) => definitionsByExportName.get(c.queue) === queue)
    .map((c) => functions[c.fn].timeoutSeconds);
  return timeouts.length === 0
    ? DEFAULT_VISIBILITY_TIMEOUT_SECONDS
    : VISIBILITY_TIMEOUT_FACTOR * Math.max(...timeouts);
}

/** Persisted queue URLs keep the port they were created on; fauxqs finds queues by name anyway. */
function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.toString();
}

async function ensureQueue(
  sqs: SQSClient,
  port: number,
  queue: QueueDefinition,
  visibility: number,
): Promise<LocalQueue> {
  const create = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`fauxqs returned no URL for queue ${name}`);
    // Set after creating so a persisted queue converges on today's definition.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [QueueAttributeName.QueueArn] }),
    );
    const arn = Attributes?.QueueArn;
    if (!arn) throw new Error(`fauxqs returned no ARN for queue ${name}`);
    return { url: withPort(QueueUrl, port), arn };
  };
  const dlq = await create(`${queue.localName}-dlq`, {
    MessageRetentionPeriod: String(queue.dlqRetentionDays * SECONDS_PER_DAY),
  });
  const main = await create(queue.localName, {
    VisibilityTimeout: String(visibility),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
  });
  return {
    definition: queue,
    url: main.url,
    arn: main.arn,
    dlqUrl: dlq.url,
    dlqArn: dlq.arn,
    visibilityTimeoutSeconds: visibility,
  };
}

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  resolveLocalhostSubdomains();
  const { dataDir } = options;
  const dynalite = await startDynalite(dataDir, options.dynamoPort ?? 0);
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  try {
    const sqsDataDir = dataDir === undefined ? undefined : join(dataDir, 'sqs');
    if (sqsDataDir !== undefined) await mkdir(sqsDataDir, { recursive: true });
    fauxqs = await startFauxqs({
      port: options.sqsPort ?? 0,
      logger: false,
      defaultRegion: LOCAL_REGION,
      dataDir: sqsDataDir,
    });
  } catch (error) {
    await dynalite.stop();
    throw error;
  }

  const endpoints = {
    dynamodb: `http://127.0.0.1:${dynalite.port}`,
    sqs: `http://127.0.0.1:${fauxqs.port}`,
    s3: `http://127.0.0.1:${fauxqs.port}`,
  };
  const clients: { destroy(): void }[] = [];
  const dynamoClient = () => {
    const client = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    });
    clients.push(client);
    return client;
  };
  const sqsClient = () => {
    const client = new SQSClient({
      region: LOCAL_REGION,
      endpoint: endpoints.sqs,
      credentials: LOCAL_CREDENTIALS,
      useQueueUrlAsEndpoint: false,
    });
    clients.push(client);
    return client;
  };
  const s3Client = () => {
    const client = new S3Client({
      region: LOCAL_REGION,
      endpoint: endpoints.s3,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    clients.push(client);
    return client;
  };
  const stop = async () => {
    for (const client of clients.splice(0)) client.destroy();
    await fauxqs.stop();
    await dynalite.stop();
  };

  try {
    const dynamo = dynamoClient();
    const sqs = sqsClient();
    const warnings = (await Promise.all(storage.tables.map((t) => ensureTable(dynamo, t)))).filter(
      (w) => w !== undefined,
    );
    const queues: LocalQueue[] = [];
    for (const queue of storage.queues) {
      queues.push(
        await ensureQueue(
          sqs,
          fauxqs.port,
          queue,
          options.visibilityTimeoutSeconds ?? visibilityTimeoutFor(queue),
        ),
      );
    }
    const s3 = s3Client();
    for (const bucket of storage.buckets) {
      try {
        await s3.send(new CreateBucketCommand({ Bucket: bucket.localName }));
      } catch (error) {
        // A persisted bucket from an earlier start.
        const name = (error as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
      }
    }
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      // Clients built with `useQueueUrlAsEndpoint: false` use this; others follow the queue URL.
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      // Path-style URLs: bucket-name hosts under 127.0.0.1 do not resolve.
      S3_FORCE_PATH_STYLE: 'true',
    };
    for (const bucket of storage.buckets) env[bucket.envVar] = bucket.localName;
    for (const table of storage.tables) env[table.envVar] = table.localName;
    for (const queue of queues) env[queue.definition.envVar] = queue.url;

    return {
      region: LOCAL_REGION,
      endpoints,
      bucketNames: Object.fromEntries(storage.buckets.map((b) => [b.id, b.localName])),
      tableNames: Object.fromEntries(storage.tables.map((t) => [t.id, t.localName])),
      queueUrls: Object.fromEntries(queues.map((q) => [q.definition.id, { url: q.url, dlqUrl: q.dlqUrl }])),
      queues,
      queueFor(key) {
        const queue = queues.find((q) => q.definition === definitionsByExportName.get(key));
        if (!queue) throw new Error(`Queue ${key} is not in the queues list of tables.ts`);
        return queue;
      },
      peekMessages(queueUrl) {
        const name = new URL(queueUrl).pathname.split('/').pop() ?? '';
        const state = fauxqs.inspectQueue(name);
        if (!state) throw new Error(`No local queue named ${name}`);
        const now = Date.now();
        return [
          ...state.messages.ready.map((m) => ({ message: m, inFlight: false })),
          ...state.messages.inflight.map((e) => ({
            message: e.message,
            inFlight: e.visibilityDeadline > now,
          })),
        ].map(({ message, inFlight }) => ({
          messageId: message.messageId,
          body: message.body,
          receiveCount: message.approximateReceiveCount,
          inFlight,
        }));
      },
      env,
      warnings,
      dynamoClient,
      sqsClient,
      s3Client,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
