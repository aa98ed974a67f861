/**
 * The local event source mapping against the real enrichment queue (fauxqs) and a recording
 * fixture consumer: the SQSEvent it builds, what it deletes, and redrive to the DLQ.
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import {
  CONSUMER_FIXTURE,
  consumerFixtureConsumers,
  consumerFixtureFunctions,
  createRecordingConsumer,
  fixtureMessage,
  type RecordingConsumer,
} from '#test/support/fixtures/recording-consumer.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

const VISIBILITY_TIMEOUT_SECONDS = 1;

let stack: LocalStack;
let consumer: RecordingConsumer;

beforeAll(async () => {
  consumer = createRecordingConsumer();
  stack = await startLocalStack({
    routes: [],
    functions: consumerFixtureFunctions,
    consumers: consumerFixtureConsumers,
    loadHandler: async (fn) => (fn === CONSUMER_FIXTURE ? consumer.handler : undefined),
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
    // Failures are the point here; keep the poller's error lines out of the test output.
    logger: { info: () => {}, error: () => {} },
  });
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  consumer.batches.length = 0;
});

async function sendTogether(bodies: readonly string[]): Promise<void> {
  // Paused while sending, so the whole set is waiting when the poller looks: one batch.
  await stack.pausePoller();
  try {
    const { Failed } = await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queueUrls.enrichment,
        Entries: bodies.map((MessageBody, i) => ({ Id: `e${i}`, MessageBody })),
      }),
    );
    expect(Failed ?? []).toEqual([]);
  } finally {
    stack.resumePoller();
  }
}

const drained = () =>
  stack.waitFor(async () => (await stack.queueDepth('enrichment')) === 0, {
    timeoutMs: 10_000,
    message: 'the enrichment queue did not drain',
  });

describe('the local SQS event source mapping', () => {
  it('delivers a batch shaped like Lambda’s SQSEvent and deletes it on success', async () => {
    const body = fixtureMessage('ok');
    const sentAt = Date.now();
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrls.enrichment,
        MessageBody: body,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'report' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    const [record] = await stack.waitFor(
      () => consumer.deliveries(body).length > 0 && consumer.deliveries(body),
      {
        message: 'the message was never delivered',
      },
    );
    expect(record).toMatchObject({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${enrichmentQueue.localName}`,
      awsRegion: 'us-east-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SenderId: expect.any(String),
        SentTimestamp: expect.stringMatching(/^\d+$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {
        kind: { stringValue: 'report', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(Math.abs(Number(record?.attributes.SentTimestamp) - sentAt)).toBeLessThan(5_000);
    await drained();
    expect(consumer.deliveries(body)).toHaveLength(1);
  });

  it('deletes only the records not listed in batchItemFailures', async () => {
    const ok1 = fixtureMessage('ok');
    const failing = fixtureMessage('fail-once');
    const ok2 = fixtureMessage('ok');
    await sendTogether([ok1, failing, ok2]);

    await stack.waitFor(() => consumer.deliveries(failing).length >= 2, {
      message: 'the failed record did not come back after the visibility timeout',
    });
    const [first] = consumer.batches;
    expect(first?.Records.map((r) => r.body).sort()).toEqual([ok1, failing, ok2].sort());
    // The successes were deleted: never delivered again. The failure came back on its own.
    expect(consumer.deliveries(ok1)).toHaveLength(1);
    expect(consumer.deliveries(ok2)).toHaveLength(1);
    expect(consumer.deliveries(failing).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(consumer.batches[1]?.Records.map((r) => r.body)).toEqual([failing]);
    await drained();
  });

  it('deletes nothing when the handler throws: the whole batch comes back', async () => {
    const ok = fixtureMessage('ok');
    const throwing = fixtureMessage('throw-once');
    await sendTogether([ok, throwing]);

    await stack.waitFor(
      () => consumer.deliveries(ok).length >= 2 && consumer.deliveries(throwing).length >= 2,
      {
        message: 'the batch was not redelivered after the handler threw',
      },
    );
    expect(consumer.deliveries(ok).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    await drained();
    expect(consumer.deliveries(ok)).toHaveLength(2);
  });

  it(`moves a record that always fails to the DLQ after maxReceiveCount (${enrichmentQueue.maxReceiveCount}) receives`, async () => {
    const poison = fixtureMessage('fail');
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrls.enrichment, MessageBody: poison }),
    );

    const parked = await stack.waitFor(
      () => stack.runtime.aws.peekMessages(stack.queueUrls.enrichmentDlq)[0],
      {
        timeoutMs: (enrichmentQueue.maxReceiveCount + 3) * (VISIBILITY_TIMEOUT_SECONDS + 1) * 1000,
        message: 'the poison message never reached the DLQ',
      },
    );
    expect(parked.body).toBe(poison);
    expect(await stack.queueDepth('enrichmentDlq')).toBe(1);
    expect(await stack.queueDepth('enrichment')).toBe(0);
    const receiveCounts = consumer
      .deliveries(poison)
      .map((r) => Number(r.attributes.ApproximateReceiveCount));
    expect(receiveCounts).toEqual(Array.from({ length: enrichmentQueue.maxReceiveCount }, (_, i) => i + 1));
  });

  it('pausing takes effect at once: a message sent right after waits in the queue, visible', async () => {
    const body = fixtureMessage('ok');
    const paused = stack.pausePoller();
    try {
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: stack.queueUrls.enrichment, MessageBody: body }),
      );
      await paused;
      expect(await stack.peekMessage('enrichment')).toBe(body);
      expect(consumer.deliveries(body)).toHaveLength(0);
    } finally {
      stack.resumePoller();
    }
    await stack.waitFor(() => consumer.deliveries(body).length === 1, {
      message: 'not delivered after resuming',
    });
    await drained();
  });
});
