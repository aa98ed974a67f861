import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { DLQ_ARN_OUTPUT, DLQ_URL_OUTPUT } from '../config/outputs.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { createFunction } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

// Stable output keys (no exports) naming the dead-letter queue; `npm run redrive` reads them.
export { DLQ_ARN_OUTPUT, DLQ_URL_OUTPUT } from '../config/outputs.ts';

/** At most this many batches in flight per consumer: a burst of reports queues up, not the table. */
export const MAX_CONSUMER_CONCURRENCY = 5;

export interface EnrichmentStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
}

/**
 * Reports wait here between intake and storage: the enrichment queue with its dead-letter
 * queue, and the consumers from functions/routes.ts reading it in batches. Alarms on both queues
 * are in the monitoring stack.
 */
export class EnrichmentStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<FunctionName, RestoreFunction>;

  constructor(scope: Construct, id: string, props: EnrichmentStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const removalPolicy = removalPolicyFor(config);

    const queueConsumers = consumers.filter((c) => c.queue === 'enrichmentQueue');
    if (queueConsumers.length === 0) {
      throw new Error(`${enrichmentQueue.id} has no consumer in functions/routes.ts: nothing would drain it`);
    }
    // A message must stay invisible while any consumer may still be working on its batch.
    const longestTimeout = Math.max(...queueConsumers.map((c) => functions[c.fn].timeoutSeconds));

    this.deadLetterQueue = new Queue(this, `${enrichmentQueue.id}Dlq`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(enrichmentQueue.dlqRetentionDays),
      removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This is the dead-letter queue: its messages wait for an operator to fix the cause and redrive them (npm run redrive). A DLQ of the DLQ would only hide them further.',
    );

    this.queue = new Queue(this, enrichmentQueue.id, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * longestTimeout),
      ...(enrichmentQueue.retentionDays === undefined
        ? {}
        : { retentionPeriod: Duration.days(enrichmentQueue.retentionDays) }),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: enrichmentQueue.maxReceiveCount },
      removalPolicy,
    });

    const byName = new Map<FunctionName, RestoreFunction>();
    for (const consumer of queueConsumers) {
      const fn = createFunction(this, consumer.fn, {
        config,
        logEncryptionKey: data.opsKey,
        resources: {
          mainTable: data.mainTable,
          idempotencyTable: data.idempotencyTable,
          indicatorKey: data.indicatorKey,
          enrichmentQueue: this.queue,
        },
      });
      fn.fn.addEventSource(
        new SqsEventSource(this.queue, {
          batchSize: consumer.batchSize,
          maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          // Never more pollers than the function's reserved concurrency, or they would be throttled.
          maxConcurrency: Math.min(MAX_CONSUMER_CONCURRENCY, config.reservedConcurrency),
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
    this.consumers = byName;

    new CfnOutput(this, `${enrichmentQueue.id}Url`, { value: this.queue.queueUrl });
    new CfnOutput(this, DLQ_URL_OUTPUT, {
      description: 'Dead-letter queue URL (npm run redrive)',
      value: this.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, DLQ_ARN_OUTPUT, {
      description: 'Dead-letter queue ARN (npm run redrive)',
      value: this.deadLetterQueue.queueArn,
    });
  }
}
