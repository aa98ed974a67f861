/**
 * The loop every SQS consumer runs. Each record is parsed and validated on its own and run; a bad
 * or failing record is reported back as a batch item failure, so SQS retries only it (and, after
 * the queue's maxReceiveCount, moves it to the dead-letter queue). Each record's AWS calls stop
 * before the invocation's timeout (deadline.ts), so a slow dependency fails records one by one,
 * where they can be backed off, instead of timing out the whole batch.
 *
 * A queue whose consumer must ride out outages of hours asks for back-off: a failed record is
 * hidden for longer each time (shared/queues/retry-schedule.ts) so its receives are not used up
 * in minutes. A consumer may also keep a record somewhere safer on its last receive.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { retryDelaySeconds } from '#shared/queues/retry-schedule.ts';
import type { QueueDefinition } from '#shared/storage/tables.ts';
import { config, type RuntimeConfig, required } from './config.ts';
import { withDeadline } from './deadline.ts';
import { describeError, metrics } from './observability.ts';
import { sqs } from './sqs-client.ts';

/** A message that can never be processed: retrying will not help, so say so plainly in the logs. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/** Time kept back from the deadline for the back-off or last-receive step after a record failed. */
export const SAFETY_STEP_MS = 1_500;

/** The record's body as a valid message, or a PoisonMessageError naming only the failing paths. */
export function parseMessage<T>(record: SQSRecord, schema: z.ZodMiniType<T>, messageName: string): T {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError('Message body is not JSON');
  }
  const result = z.safeParse(schema, body);
  if (!result.success) {
    // Paths only: the values may be a victim's data.
    const paths = result.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(root)');
    throw new PoisonMessageError(`Message does not match ${messageName} at ${paths.join(', ')}`);
  }
  return result.data;
}

/** The settings that hold a queue's URL. */
type QueueUrlSetting = Extract<keyof RuntimeConfig, `${string}_QUEUE_URL`>;

export interface QueueConsumerOptions<T> {
  /** The queue read, for its maxReceiveCount. */
  readonly queue: QueueDefinition;
  readonly schema: z.ZodMiniType<T>;
  /** Named in poison-message errors, e.g. "report.received v1". */
  readonly messageName: string;
  /** The consumer's own logger, so its lines name the function even in a shared process. */
  readonly logger: Logger;
  /** Metric counted once per failed record. */
  readonly failureMetric: string;
  /** Runs one valid message; throwing makes SQS deliver the record again. */
  readonly run: (message: T, receiveCount: number) => Promise<void>;
  /**
   * Hide a failed record for longer each time (retry-schedule.ts) instead of for the visibility
   * timeout: the setting naming the queue's URL, for ChangeMessageVisibility.
   */
  readonly backOffVia?: QueueUrlSetting;
  /**
   * With `backOffVia`: how long to hide a record that failed with an error the consumer knows
   * (undefined: the retry schedule's delay). The mailer waits seconds, not minutes, for a change.
   */
  readonly delayFor?: (error: unknown, receiveCount: number) => number | undefined;
  /** Runs on a failed record's last receive, before SQS dead-letters it; best effort. */
  readonly onLastReceive?: (record: SQSRecord, receiveCount: number, error: unknown) => Promise<void>;
}

/** Runs `step` under its own short deadline (the record's may be spent: that may be why it failed). */
export function safetyStep<T>(step: () => Promise<T>): Promise<T> {
  return withDeadline(Date.now() + SAFETY_STEP_MS, step);
}

/** A Lambda handler for an SQS event source mapping with reportBatchItemFailures. */
export function queueConsumer<T>(options: QueueConsumerOptions<T>) {
  const { queue, schema, messageName, logger, failureMetric, run } = options;
  const processor = new BatchProcessor(EventType.SQS);

  /** Hides a failed message until its next try; best effort (SQS retries it anyway). */
  async function backOff(queueUrl: QueueUrlSetting, record: SQSRecord, seconds: number): Promise<void> {
    try {
      await safetyStep(() =>
        sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: required(queueUrl),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: seconds,
          }),
        ),
      );
    } catch (e) {
      logger.warn('could not delay the retry of a failed record', {
        messageId: record.messageId,
        ...describeError(e),
      });
    }
  }

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    try {
      await run(parseMessage(record, schema, messageName), receiveCount);
    } catch (e) {
      logger.error('record failed', { messageId: record.messageId, receiveCount, ...describeError(e) });
      metrics.addMetric(failureMetric, MetricUnit.Count, 1);
      if (receiveCount >= queue.maxReceiveCount) await options.onLastReceive?.(record, receiveCount, e);
      // A poison message never succeeds: let it reach the dead-letter queue (and its alarm) soon.
      else if (options.backOffVia && !(e instanceof PoisonMessageError)) {
        const seconds =
          options.delayFor?.(e, receiveCount) ?? retryDelaySeconds(receiveCount, config().RETRY_BASE_SECONDS);
        await backOff(options.backOffVia, record, seconds);
      }
      throw e;
    }
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    try {
      const deadline = Date.now() + context.getRemainingTimeInMillis() - 2 * SAFETY_STEP_MS;
      return await withDeadline(deadline, () =>
        processPartialResponse(event, recordHandler, processor, { context }),
      );
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
