/**
 * The local stand-in for Lambda's SQS event source mapping (with ReportBatchItemFailures):
 *
 * 1. Long-poll the queue, gathering up to `batchSize` messages within the batching window.
 * 2. Invoke the consumer with an `SQSEvent` shaped like Lambda's.
 * 3. Delete the messages the handler did not list in `batchItemFailures`; if it threw (as
 *    Powertools' BatchProcessor does when every record fails) or timed out, delete none.
 * Undeleted messages reappear after the visibility timeout; after `maxReceiveCount` receives
 * fauxqs moves them to the dead-letter queue, as SQS does.
 */
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import {
  cachedLoader,
  type FunctionSettings,
  type HandlerLoader,
  importFunctionHandler,
  invokeFunction,
  LOCAL_REGION,
  type LocalLogger,
  quietLogger,
} from './lambda.ts';

/** SQS's own cap on one ReceiveMessage and one DeleteMessageBatch. */
const SQS_MAX_MESSAGES_PER_CALL = 10;
const SQS_MAX_WAIT_TIME_SECONDS = 20;
const RETRY_AFTER_ERROR_MS = 1_000;

export interface PollerSource {
  readonly fn: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

export interface PollerOptions {
  /** A client for the local queue (built with `useQueueUrlAsEndpoint: false`). */
  readonly sqs: SQSClient;
  readonly sources: readonly PollerSource[];
  /** Timeout and memory per function; defaults to `functions` from routes.ts. */
  readonly functions: Readonly<Record<string, FunctionSettings>>;
  readonly loadHandler?: HandlerLoader;
  /** Long-poll wait, 1-20 s. pause() takes up to this long (see there); stop() does not. */
  readonly waitTimeSeconds?: number;
  readonly logger?: LocalLogger;
}

export interface Poller {
  /** Starts polling every source (again, after pause()). */
  start(): void;
  /**
   * Stops polling. Takes effect at once: messages that a receive already under way brings back
   * are made visible again, not processed. The promise settles when that receive has returned
   * (up to `waitTimeSeconds`) and the batch in flight is done. (Aborting the receive instead
   * would leave a long poll inside fauxqs that takes the next message and answers nobody,
   * hiding it for a whole visibility timeout.)
   */
  pause(): Promise<void>;
  /**
   * Stops at once: aborts the receive (only safe when the queue server is going away too) and
   * waits for the batch in flight to finish and be deleted.
   */
  stop(): Promise<void>;
}

function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Lambda's record attribute shape: camelCase, binary as base64, the reserved list fields empty. */
function recordAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  const mapped: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    mapped[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return mapped;
}

export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecordAttributes = {
    ...system,
    ApproximateReceiveCount: system['ApproximateReceiveCount'] ?? '1',
    SentTimestamp: system['SentTimestamp'] ?? String(Date.now()),
    SenderId: system['SenderId'] ?? '',
    ApproximateFirstReceiveTimestamp: system['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
  };
  const body = message.Body ?? '';
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    attributes,
    messageAttributes: recordAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? md5Hex(body),
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * The ids of messages to keep, or 'all'. As Lambda: no response or an empty list is success; a
 * malformed list, or an id that is empty or not in the batch, fails the whole batch.
 */
export function failedMessageIds(result: unknown, batchIds: ReadonlySet<string>): Set<string> | 'all' {
  if (result === null || typeof result !== 'object' || !('batchItemFailures' in result)) return new Set();
  const failures = result.batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const ids = new Set<string>();
  for (const failure of failures) {
    const id: unknown = failure?.itemIdentifier;
    if (typeof id !== 'string' || !batchIds.has(id)) return 'all';
    ids.add(id);
  }
  return ids;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((wake) => {
    const timer = setTimeout(wake, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        wake();
      },
      { once: true },
    );
  });
}

export function createPoller(options: PollerOptions): Poller {
  const { sqs, sources } = options;
  const logger = options.logger ?? quietLogger;
  const loadHandler = cachedLoader(options.loadHandler ?? importFunctionHandler);
  const waitTimeSeconds = Math.min(
    Math.max(options.waitTimeSeconds ?? SQS_MAX_WAIT_TIME_SECONDS, 1),
    SQS_MAX_WAIT_TIME_SECONDS,
  );
  for (const source of sources) {
    if (!Object.hasOwn(options.functions, source.fn))
      throw new Error(`Consumer "${source.fn}" has no function settings`);
  }

  let running:
    | {
        readonly stopping: { value: boolean };
        readonly abort: AbortController;
        readonly loops: Promise<void>[];
      }
    | undefined;

  async function receive(
    source: PollerSource,
    waitSeconds: number,
    max: number,
    signal: AbortSignal,
  ): Promise<Message[]> {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: source.queueUrl,
        MaxNumberOfMessages: Math.min(max, SQS_MAX_MESSAGES_PER_CALL),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages ?? [];
  }

  /** Like the event source mapping: the first message opens the batching window. */
  async function receiveBatch(
    source: PollerSource,
    stopping: { value: boolean },
    signal: AbortSignal,
  ): Promise<Message[]> {
    const batch = await receive(source, waitTimeSeconds, source.batchSize, signal);
    if (batch.length === 0) return batch;
    const windowEnds = Date.now() + source.maxBatchingWindowSeconds * 1000;
    while (batch.length < source.batchSize && !stopping.value) {
      const remainingMs = windowEnds - Date.now();
      if (remainingMs <= 0) break;
      const more = await receive(
        source,
        Math.ceil(remainingMs / 1000),
        source.batchSize - batch.length,
        signal,
      );
      if (more.length === 0) break;
      batch.push(...more);
    }
    return batch;
  }

  async function deleteMessages(source: PollerSource, messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += SQS_MAX_MESSAGES_PER_CALL) {
      const chunk = messages.slice(i, i + SQS_MAX_MESSAGES_PER_CALL);
      const { Failed } = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: source.queueUrl,
          Entries: chunk.map((m, j) => ({ Id: `m${j}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      for (const failure of Failed ?? []) {
        logger.error(
          `${source.fn}: could not delete message ${failure.Id}: ${failure.Code} ${failure.Message ?? ''}`,
        );
      }
    }
  }

  /** Hands messages back to the queue untouched, as a consumer that stopped would. */
  async function release(source: PollerSource, messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += SQS_MAX_MESSAGES_PER_CALL) {
      const chunk = messages.slice(i, i + SQS_MAX_MESSAGES_PER_CALL);
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: source.queueUrl,
          Entries: chunk.map((m, j) => ({
            Id: `m${j}`,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }

  async function processBatch(source: PollerSource, messages: readonly Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, source.queueArn)) };
    let failed: Set<string> | 'all';
    try {
      const handler = await loadHandler(source.fn);
      const result = await invokeFunction(
        source.fn,
        handler,
        event,
        options.functions[source.fn] as FunctionSettings,
      );
      failed = failedMessageIds(result, new Set(event.Records.map((r) => r.messageId)));
      if (failed === 'all')
        logger.error(`${source.fn}: invalid batchItemFailures, the whole batch will be retried`);
    } catch (error) {
      logger.error(
        `${source.fn}: batch of ${messages.length} failed, retrying after the visibility timeout:`,
        error,
      );
      failed = 'all';
    }
    if (failed === 'all') return;
    const done = failed;
    await deleteMessages(
      source,
      messages.filter((m) => !done.has(m.MessageId ?? '')),
    );
  }

  async function poll(
    source: PollerSource,
    stopping: { value: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    while (!stopping.value) {
      let messages: Message[];
      try {
        messages = await receiveBatch(source, stopping, signal);
      } catch (error) {
        if (stopping.value) return;
        logger.error(`${source.fn}: receiving from ${source.queueUrl} failed:`, error);
        await sleep(RETRY_AFTER_ERROR_MS, signal);
        continue;
      }
      if (messages.length === 0) continue;
      try {
        if (stopping.value) await release(source, messages);
        else await processBatch(source, messages);
      } catch (error) {
        logger.error(`${source.fn}: deleting or releasing messages failed:`, error);
      }
    }
  }

  async function halt(abortReceive: boolean): Promise<void> {
    const current = running;
    if (!current) return;
    running = undefined;
    current.stopping.value = true;
    if (abortReceive) current.abort.abort();
    await Promise.all(current.loops);
  }

  return {
    start() {
      if (running) return;
      const stopping = { value: false };
      const abort = new AbortController();
      running = { stopping, abort, loops: sources.map((source) => poll(source, stopping, abort.signal)) };
    },
    pause: () => halt(false),
    stop: () => halt(true),
  };
}
