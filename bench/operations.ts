/**
 * Counts (does not estimate) what one report costs in AWS requests and DynamoDB capacity units,
 * by running the unmodified intake and enrichment handlers against the local DynamoDB and SQS
 * servers with an SDK middleware that tallies every request and asks DynamoDB for the
 * ConsumedCapacity of each call.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { startLocalAws } from '#local/aws.ts';
import { toSqsRecord } from '#local/poller.ts';
import { mainTable } from '#shared/storage/tables.ts';
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

// dynalite reports the base table's units only; DynamoDB also charges every GSI the item lands in
// (our GSIs project ALL attributes). Use dynalite's own item-size rule to add those units.
const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as {
  itemSize: (item: Record<string, unknown>) => number;
};
const gsiKeys = mainTable.globalIndexes.map((g) => g.partitionKey.name);
const AV_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS']);
const isAttributeValue = (v: unknown) =>
  typeof v === 'object' && v !== null && Object.keys(v).length === 1 && AV_TYPES.has(Object.keys(v)[0]!);
/** Plain JS values (DocumentClient input) to DynamoDB's wire shape, for sizing only. */
function toAttributeValue(v: unknown): unknown {
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (v === null || v === undefined) return { NULL: true };
  if (Array.isArray(v)) return { L: v.map(toAttributeValue) };
  return { M: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, toAttributeValue(x)])) };
}
function gsiWriteUnits(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  const wire = Object.values(item).every(isAttributeValue)
    ? item
    : Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toAttributeValue(v)]));
  const indexes = gsiKeys.filter((k) => item[k] !== undefined).length;
  return indexes * Math.ceil(itemSize(wire) / 1024);
}

type Capacity = { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number };

function countingMiddleware(service: string, tally: () => Tally) {
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
      // To see the item an update leaves (for GSI units) without changing what callers get back.
      const askedForItem = args.input['ReturnValues'] !== undefined;
      if (name === 'UpdateItemCommand' && !askedForItem) args.input['ReturnValues'] = 'ALL_NEW';
      const result = await next(args);
      if (service === 'dynamodb' && args.input['TableName'] === process.env[mainTable.envVar]) {
        if (name === 'PutItemCommand') t.wcu += gsiWriteUnits(args.input['Item'] as Record<string, unknown>);
        if (name === 'UpdateItemCommand') {
          t.wcu += gsiWriteUnits(result.output['Attributes'] as Record<string, unknown> | undefined);
          if (!askedForItem) delete result.output['Attributes'];
        }
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
    clients.dynamo.middlewareStack.add(countingMiddleware('dynamodb', tally) as never, {
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
