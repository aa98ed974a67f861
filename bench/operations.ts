/**
 * Counts (does not estimate) what one report costs in AWS requests and DynamoDB capacity units,
 * by running the unmodified intake and enrichment handlers against the local DynamoDB and SQS
 * servers with an SDK middleware that tallies every request and asks DynamoDB for the
 * ConsumedCapacity of each call.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { startLocalAws } from '#local/aws.ts';
import { toSqsRecord } from '#local/poller.ts';
import { type GlobalIndexDefinition, mainTable } from '#shared/storage/tables.ts';
import { apiEvent, lambdaContext, sqsEvent } from '#test/support/events.ts';
import { syntheticReport } from './synthetic-reports.ts';

export interface OperationFigures {
  label: string;
  reports: number;
  requestsPerReport: Record<string, number>;
  writeUnitsPerReport: number;
  readUnitsPerReport: number;
}

interface Tally {
  requests: Map<string, number>;
  wcu: number;
  rcu: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

// dynalite reports the base table's units only; DynamoDB also charges each GSI a write whenever
// the item enters, leaves or changes in that index: by the size of the index's copy (the whole
// item for ALL, the keys for KEYS_ONLY), twice when an index key changes (delete plus put), and
// nothing when the write leaves the copy as it was. The middleware reads the item before and after
// each write with a client it does not count, and prices that with dynalite's own item-size rule.
const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as {
  itemSize: (item: Record<string, unknown>) => number;
};
type WireItem = Record<string, AttributeValue>;
const tableKeys = [mainTable.partitionKey.name, ...(mainTable.sortKey ? [mainTable.sortKey.name] : [])];

/** The copy of `item` that `index` keeps, or undefined when the item is not in the index. */
function indexCopy(item: WireItem | undefined, index: GlobalIndexDefinition): WireItem | undefined {
  if (!item?.[index.partitionKey.name] || !item[index.sortKey.name]) return undefined;
  if (index.projection === 'ALL') return item;
  const names = [...tableKeys, index.partitionKey.name, index.sortKey.name];
  return Object.fromEntries(names.filter((n) => item[n]).map((n) => [n, item[n]!]));
}

/** Canonical JSON (sorted keys), to compare two copies. */
const canonical = (v: unknown): string =>
  typeof v !== 'object' || v === null
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

const units = (item: WireItem) => Math.ceil(itemSize(item) / 1024);

const AV_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS']);
const isAttributeValue = (v: unknown) =>
  typeof v === 'object' && v !== null && Object.keys(v).length === 1 && AV_TYPES.has(Object.keys(v)[0]!);
/** DocumentClient input (plain values) or wire values, as wire values. */
function toWire(v: unknown): AttributeValue {
  if (isAttributeValue(v)) return v as AttributeValue;
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (v === null || v === undefined) return { NULL: true };
  if (Array.isArray(v)) return { L: v.map(toWire) };
  return { M: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, toWire(x)])) };
}

export function gsiWriteUnits(before: WireItem | undefined, after: WireItem | undefined): number {
  let total = 0;
  for (const index of mainTable.globalIndexes) {
    const was = indexCopy(before, index);
    const is = indexCopy(after, index);
    if (!was && !is) continue;
    const keyOf = (c: WireItem) => canonical(tableKeys.map((k) => c[k]));
    const indexKeyOf = (c: WireItem) => canonical([c[index.partitionKey.name], c[index.sortKey.name]]);
    const moved = !!was && !!is && (keyOf(was) !== keyOf(is) || indexKeyOf(was) !== indexKeyOf(is));
    if (is && (!was || moved || canonical(was) !== canonical(is))) total += units(is);
    if (was && (!is || moved)) total += units(was);
  }
  return total;
}

type Capacity = { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number };

/** Reads main-table items for GSI pricing, outside the tally. */
type ItemReader = (key: WireItem) => Promise<WireItem | undefined>;

function countingMiddleware(service: string, tally: () => Tally, readItem?: ItemReader) {
  return (
    next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
    context: { commandName?: string },
  ) =>
    async (args: { input: Record<string, unknown> }) => {
      const name = context.commandName ?? 'unknown';
      const t = tally();
      const key = `${service}:${name.replace(/Command$/, '')}`;
      t.requests.set(key, (t.requests.get(key) ?? 0) + 1);
      if (service === 'dynamodb') args.input['ReturnConsumedCapacity'] = 'TOTAL';
      const onMain = service === 'dynamodb' && args.input['TableName'] === process.env[mainTable.envVar];
      if (onMain && name === 'BatchWriteItemCommand') {
        throw new Error('The benchmark cannot price GSI writes of a BatchWriteItem on the main table');
      }
      const single = onMain && WRITES.has(name) && readItem !== undefined;
      const source = (args.input['Key'] ?? args.input['Item']) as Record<string, unknown> | undefined;
      const itemKey =
        single && source ? Object.fromEntries(tableKeys.map((k) => [k, toWire(source[k])])) : undefined;
      const before = itemKey ? await readItem!(itemKey) : undefined;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } finally {
        // A write refused by its condition changes nothing, in the table or its indexes.
        if (itemKey) t.wcu += gsiWriteUnits(before, await readItem!(itemKey));
      }
      if (service === 'dynamodb') {
        const cc = result.output['ConsumedCapacity'] as Capacity | Capacity[] | undefined;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) {
          const units = c.CapacityUnits ?? 0;
          if (WRITES.has(name)) t.wcu += units;
          // DynamoDB bills a read of nothing as 0.5 units (eventually consistent); dynalite says 0.
          else t.rcu += Math.max(units, 0.5);
        }
      }
      return result;
    };
}

export async function benchOperations(reports = 40): Promise<OperationFigures[]> {
  const aws = await startLocalAws({ visibilityTimeoutSeconds: 30 });
  Object.assign(process.env, aws.env, {
    INDICATOR_KEY: randomBytes(32).toString('base64'),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  try {
    const clients = {
      ...(await import('#functions/clients.ts')),
      ...(await import('#functions/sqs-client.ts')),
    };
    let current: Tally = { requests: new Map(), wcu: 0, rcu: 0 };
    const tally = () => current;
    // Reads for GSI pricing go through a client of their own, so they are not counted.
    const pricingReader = new DynamoDBClient({});
    const readItem: ItemReader = async (Key) =>
      (
        await pricingReader.send(
          new GetItemCommand({ TableName: process.env[mainTable.envVar], Key, ConsistentRead: true }),
        )
      ).Item;
    clients.dynamo.middlewareStack.add(countingMiddleware('dynamodb', tally, readItem) as never, {
      step: 'initialize',
      name: 'benchCount',
    });
    clients.sqs.middlewareStack.add(countingMiddleware('sqs', tally) as never, {
      step: 'initialize',
      name: 'benchCount',
    });
    const intake = (await import('#functions/intake/handler.ts')).handler as unknown as (
      e: unknown,
      c: unknown,
    ) => Promise<APIGatewayProxyStructuredResultV2>;
    const enrich = (await import('#functions/enrich/handler.ts')).handler as unknown as (
      e: unknown,
      c: unknown,
    ) => Promise<SQSBatchResponse>;
    const queue = aws.queueFor('enrichmentQueue');

    const run = async (label: string, withKey: boolean, seedBase: number): Promise<OperationFigures> => {
      current = { requests: new Map(), wcu: 0, rcu: 0 };
      for (let i = 0; i < reports; i++) {
        const headers: Record<string, string> = withKey
          ? { 'idempotency-key': `bench-${seedBase}-${i}-${Date.now()}` }
          : {};
        const res = await intake(
          apiEvent({ routeKey: 'POST /v1/reports', body: syntheticReport(seedBase + i), headers }),
          lambdaContext('intake'),
        );
        if (res.statusCode !== 202) throw new Error(`intake answered ${res.statusCode}: ${res.body}`);
      }
      // Drain the queue the way Lambda's event source mapping does: receive, invoke, delete.
      let processed = 0;
      for (let polls = 0; processed < reports && polls < reports * 3; polls++) {
        const got = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const messages = got.Messages ?? [];
        if (messages.length === 0) continue;
        const result = await enrich(
          sqsEvent(messages.map((m) => toSqsRecord(m, queue.arn))),
          lambdaContext('enrich'),
        );
        if (result.batchItemFailures.length > 0) throw new Error('enrichment failed during the benchmark');
        await clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queue.url,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
        processed += messages.length;
      }
      if (processed !== reports) throw new Error(`only ${processed} of ${reports} reports were enriched`);
      const perReport = (n: number) => Math.round((n / reports) * 100) / 100;
      return {
        label,
        reports,
        requestsPerReport: Object.fromEntries(
          [...current.requests].sort().map(([k, v]) => [k, perReport(v)]),
        ),
        writeUnitsPerReport: perReport(current.wcu),
        readUnitsPerReport: perReport(current.rcu),
      };
    };

    return [
      await run('without Idempotency-Key', false, 1_000),
      await run('with Idempotency-Key', true, 2_000),
    ];
  } finally {
    await aws.stop();
  }
}
