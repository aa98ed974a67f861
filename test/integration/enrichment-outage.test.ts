/**
 * An accepted report outlives a long outage: the consumer hides a failed message for longer each
 * time instead of burning its receives, archives the raw message on its last receive, and both
 * the archive and the dead-letter queue can be replayed with `npm run redrive -- --local`.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '#local/fault-proxy.ts';
import { retryDelaySeconds, retryPatienceSeconds } from '#shared/queues/retry-schedule.ts';
import { MessageArchive } from '#shared/storage/message-archive.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import { lambdaContext } from '#test/support/events.ts';
import { makeMinimalReportBody } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { redriveLocal } from '../../scripts/redrive.ts';

let stack: LocalStack;
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy();
  stack = await startLocalStack({
    handlerEndpoints: (endpoints) => {
      proxy.setTarget(endpoints.dynamodb);
      return { dynamodb: proxy.url };
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

const endpoints = () => stack.runtime.aws.endpoints;
const archive = () => new MessageArchive(DynamoDBDocumentClient.from(stack.dynamo), stack.tableNames.main);

describe('the retry schedule', () => {
  it('doubles from a minute up to six hours and lets an outage last most of a day', () => {
    expect([1, 2, 3].map((n) => retryDelaySeconds(n))).toEqual([60, 120, 240]);
    expect(retryDelaySeconds(30)).toBe(6 * 3600);
    expect(retryPatienceSeconds()).toBeGreaterThan(12 * 3600);
  });
});

describe('during a table outage', () => {
  it('hides a failed report for its back-off instead of retrying at the visibility timeout', async () => {
    proxy.setRules([{ fault: { kind: 'unavailable' } }]);
    try {
      const res = await fetch(`${stack.baseUrl}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(makeMinimalReportBody()),
      });
      // The queue took it: the caller has a reference number although the table is down.
      expect(res.status).toBe(202);
      const queued = () => stack.runtime.aws.peekMessages(stack.queueUrls.enrichment);
      await stack.waitFor(() => queued().some((m) => m.receiveCount === 1 && m.inFlight), {
        message: 'the consumer did not try the report',
      });
      // The test queue's visibility timeout is 2 s: without the back-off it would be back by now.
      await new Promise((wake) => setTimeout(wake, 5_000));
      const [message] = queued();
      expect(message).toMatchObject({ receiveCount: 1, inFlight: true });
    } finally {
      proxy.setRules([]);
    }
  });
});

describe('before a report could be lost', () => {
  it('archives the raw message on its last receive, and `redrive --local --archived` replays it', async () => {
    const { handler } = (await import('#functions/enrich/handler.ts')) as {
      handler: (e: SQSEvent, c: unknown) => Promise<unknown>;
    };
    const body = JSON.stringify({ type: 'not-a-report', marker: randomUUID() });
    const event: SQSEvent = {
      Records: [
        {
          messageId: randomUUID(),
          receiptHandle: 'unused',
          body,
          attributes: {
            ApproximateReceiveCount: String(enrichmentQueue.maxReceiveCount),
            SentTimestamp: String(Date.now()),
            SenderId: 'test',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: { type: { stringValue: 'report.received', dataType: 'String' } },
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:restore-enrichment',
          awsRegion: 'us-east-1',
        },
      ],
    };
    await handler(event, lambdaContext('enrich')).catch(() => undefined);
    const kept = await archive().list();
    expect(kept.map((m) => m.body)).toContain(body);
    expect(kept.find((m) => m.body === body)).toMatchObject({
      receiveCount: enrichmentQueue.maxReceiveCount,
      reason: 'PoisonMessageError',
      attributes: { type: 'report.received' },
    });

    await stack.pausePoller();
    try {
      const lines: string[] = [];
      const replayed = await redriveLocal({ local: true, archived: true, dryRun: false }, endpoints(), (l) =>
        lines.push(l),
      );
      expect(replayed).toBeGreaterThanOrEqual(1);
      expect(await stack.peekMessage('enrichment')).toBe(body);
      expect((await archive().list()).map((m) => m.body)).not.toContain(body);
    } finally {
      stack.resumePoller();
    }
  });

  it('`redrive --local` moves dead-lettered messages back, though the local SQS has no move task', async () => {
    await stack.pausePoller();
    try {
      const body = JSON.stringify({ type: 'dead-lettered', marker: randomUUID() });
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: stack.queueUrls.enrichmentDlq, MessageBody: body }),
      );
      const moved = await redriveLocal({ local: true, dryRun: false }, endpoints(), () => undefined);
      expect(moved).toBe(1);
      expect(await stack.queueDepth('enrichmentDlq')).toBe(0);
      const bodies = stack.runtime.aws.peekMessages(stack.queueUrls.enrichment).map((m) => m.body);
      expect(bodies).toContain(body);
    } finally {
      stack.resumePoller();
    }
  });
});

describe('a DynamoDB outage on the public read and claim routes', () => {
  it.each([
    ['GET', '/v1/pools', undefined],
    ['POST', '/v1/claims', { claimant: { name: 'Rosa' } }],
    ['POST', '/v1/claims/status', { claimId: 'CLM-7K3M-9QXD-2HFA-8WN4', accessCode: 'AAAA-BBBB-CCCC-DDDD' }],
  ])('%s %s answers 503 with Retry-After, not 500', async (method, path, body) => {
    proxy.setRules([{ fault: { kind: 'unavailable' } }]);
    try {
      const valid =
        path === '/v1/claims'
          ? {
              claimant: {
                name: 'Rosa Martínez',
                address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
              },
              payments: [{ amountCents: 5_000, method: 'cash' }],
              attestation: {
                underPenaltyOfPerjury: true,
                notInvolvedInOffense: true,
                signedName: 'Rosa Martínez',
              },
            }
          : body;
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(valid ? { body: JSON.stringify(valid) } : {}),
      });
      expect(res.status, await res.clone().text()).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      proxy.setRules([]);
    }
  });
});

describe('a slow table', () => {
  it('does not make intake run past its timeout: the report is queued, so the answer is 202', async () => {
    proxy.setRules([
      { operations: ['PutItem', 'GetItem', 'UpdateItem'], fault: { kind: 'slow', ms: 30_000 } },
    ]);
    try {
      const started = Date.now();
      const res = await fetch(`${stack.baseUrl}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(makeMinimalReportBody()),
      });
      expect(res.status, await res.clone().text()).toBe(202);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      proxy.setRules([]);
    }
  }, 30_000);
});
