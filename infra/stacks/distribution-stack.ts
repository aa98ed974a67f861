import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { distributionQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName } from '../config/outputs.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { createFunction } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

/**
 * Two plan jobs at once per deployment are plenty (a programme computes a plan a few times a
 * year); more would only spread one pool's reads over more readers of the same index partition.
 */
export const MAX_WORKER_CONCURRENCY = 2;

export interface DistributionStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
}

/**
 * Distribution jobs (docs/distribution-jobs.md): the queue whose messages are the steps of plan
 * and results jobs, its dead-letter queue, and the worker that runs one step per message and
 * queues the next. The admin API (api stack) starts jobs by sending step 0.
 */
export class DistributionStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<FunctionName, RestoreFunction>;

  constructor(scope: Construct, id: string, props: DistributionStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const removalPolicy = removalPolicyFor(config);
    const queueConsumers = consumers.filter((c) => c.queue === 'distributionQueue');
    if (queueConsumers.length === 0) {
      throw new Error(
        `${distributionQueue.id} has no consumer in functions/routes.ts: nothing would run jobs`,
      );
    }
    const longestTimeout = Math.max(...queueConsumers.map((c) => functions[c.fn].timeoutSeconds));

    this.deadLetterQueue = new Queue(this, `${distributionQueue.id}Dlq`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(distributionQueue.dlqRetentionDays),
      removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      "This is the dead-letter queue: a job step that failed every retry waits here; the plan's header shows where the job stopped, and redriving the message resumes it.",
    );
    this.queue = new Queue(this, distributionQueue.id, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      // A crashed step comes back after this long and runs again (docs/distribution-jobs.md).
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * longestTimeout),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: distributionQueue.maxReceiveCount },
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
          distributionQueue: this.queue,
          artefactBucket: { arn: Fn.importValue(artefactBucketExportName(config.envName)), key: data.key },
        },
      });
      fn.fn.addEventSource(
        new SqsEventSource(this.queue, {
          batchSize: consumer.batchSize,
          ...(consumer.maxBatchingWindowSeconds > 0
            ? { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) }
            : {}),
          reportBatchItemFailures: true,
          maxConcurrency: Math.min(MAX_WORKER_CONCURRENCY, config.reservedConcurrency),
        }),
      );
      for (const mapping of fn.fn.node.children.filter((c) => c instanceof EventSourceMapping)) {
        acknowledge(
          mapping,
          'Serverless-LambdaEventSourceMappingDestination',
          "SQS event source mappings take no on-failure destination; failed steps go to the queue's own dead-letter queue after maxReceiveCount receives.",
        );
      }
      byName.set(consumer.fn, fn);
    }
    this.consumers = byName;
    new CfnOutput(this, `${distributionQueue.id}Url`, { value: this.queue.queueUrl });
    new CfnOutput(this, `${distributionQueue.id}DlqUrl`, {
      description: 'Dead-letter queue of distribution job steps',
      value: this.deadLetterQueue.queueUrl,
    });
  }
}
