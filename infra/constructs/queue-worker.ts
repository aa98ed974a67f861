import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ConsumerDefinition, FunctionName } from '#functions/routes.ts';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import type { QueueDefinition } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { acknowledge } from './acknowledge.ts';
import { type AccessResources, createFunction } from './function-access.ts';
import type { RestoreFunction } from './restore-function.ts';

export interface QueueWorkerProps {
  readonly config: DeploymentConfig;
  /** Which of functions/routes.ts's consumer queues this is, and its definition in tables.ts. */
  readonly queueName: ConsumerDefinition['queue'];
  readonly definition: QueueDefinition;
  /** The CMK both queues are encrypted with (the data key: messages carry victims' data). */
  readonly key: IKey;
  readonly logEncryptionKey: IKey;
  readonly removalPolicy: RemovalPolicy;
  /** Most batches in flight per consumer (never above the function's reserved concurrency). */
  readonly maxConcurrency: number;
  /** Why this dead-letter queue has no dead-letter queue of its own: what waits there, and how it leaves. */
  readonly deadLetterReason: string;
  /** What the consumers may touch besides their own queue (which is added here). */
  readonly resources: (queue: Queue) => AccessResources;
}

export interface QueueWorker {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<FunctionName, RestoreFunction>;
}

/**
 * A queue-driven worker: an encrypted queue, its dead-letter queue, and every consumer that
 * functions/routes.ts declares for it, each reading in batches with partial batch failures.
 * Resources are made directly in `scope` under the queue's id, so stacks keep the logical ids
 * (and the queues, with their messages) they had before this was shared.
 */
export function addQueueWorker(scope: Construct, props: QueueWorkerProps): QueueWorker {
  const { config, definition, key, removalPolicy } = props;
  const queueConsumers = consumers.filter((c) => c.queue === props.queueName);
  if (queueConsumers.length === 0) {
    throw new Error(`${definition.id} has no consumer in functions/routes.ts: nothing would drain it`);
  }
  // A message must stay invisible while any consumer may still be working on its batch.
  const longestTimeout = Math.max(...queueConsumers.map((c) => functions[c.fn].timeoutSeconds));

  const deadLetterQueue = new Queue(scope, `${definition.id}Dlq`, {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(definition.dlqRetentionDays),
    removalPolicy,
  });
  acknowledge(deadLetterQueue, 'Serverless-SQSRedrivePolicy', props.deadLetterReason);

  const queue = new Queue(scope, definition.id, {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    // A crashed batch comes back after this long and runs again.
    visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * longestTimeout),
    ...(definition.retentionDays === undefined
      ? {}
      : { retentionPeriod: Duration.days(definition.retentionDays) }),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    removalPolicy,
  });

  const byName = new Map<FunctionName, RestoreFunction>();
  for (const consumer of queueConsumers) {
    const fn = createFunction(scope, consumer.fn, {
      config,
      logEncryptionKey: props.logEncryptionKey,
      resources: props.resources(queue),
    });
    fn.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: consumer.batchSize,
        ...(consumer.maxBatchingWindowSeconds > 0
          ? { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) }
          : {}),
        reportBatchItemFailures: true,
        // Never more pollers than the function's reserved concurrency, or they would be throttled.
        maxConcurrency: Math.min(props.maxConcurrency, config.reservedConcurrency),
      }),
    );
    for (const mapping of fn.fn.node.children.filter((c) => c instanceof EventSourceMapping)) {
      acknowledge(
        mapping,
        'Serverless-LambdaEventSourceMappingDestination',
        "SQS event source mappings take no on-failure destination; failed messages go to the queue's own dead-letter queue after maxReceiveCount receives, which is alarmed.",
      );
    }
    byName.set(consumer.fn, fn);
  }
  return { queue, deadLetterQueue, consumers: byName };
}
