import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { createFunction } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

export interface EnrichmentStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
}

/**
 * Reports wait here between intake and storage: the enrichment queue with its dead-letter
 * queue, and the consumers from functions/routes.ts reading it in batches.
 */
export class EnrichmentStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<string, RestoreFunction>;

  constructor(scope: Construct, id: string, props: EnrichmentStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const removalPolicy = removalPolicyFor(config.stage);

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

    this.queue = new Queue(this, enrichmentQueue.id, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * longestTimeout),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: enrichmentQueue.maxReceiveCount },
      removalPolicy,
    });

    const byName = new Map<string, RestoreFunction>();
    for (const consumer of queueConsumers) {
      const fn = createFunction(this, consumer.fn, {
        config,
        logEncryptionKey: data.key,
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
          // A burst of reports should queue up, not starve the table (or other functions) of capacity.
          maxConcurrency: 5,
        }),
      );
      byName.set(consumer.fn, fn);
    }
    this.consumers = byName;

    // Anything in the DLQ is a victim's report that was not stored: someone must look.
    const alarm = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })
      .createAlarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription: `Reports failed enrichment ${enrichmentQueue.maxReceiveCount} times and wait in the dead-letter queue (Restore ${config.envName}). Inspect, fix, then redrive.`,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    if (config.alarmEmail) {
      const topic = new Topic(this, 'AlarmTopic', {
        displayName: `Restore ${config.envName} alarms`,
        masterKey: data.key,
        enforceSSL: true,
      });
      topic.addSubscription(new EmailSubscription(config.alarmEmail));
      alarm.addAlarmAction(new SnsAction(topic));
    }

    new CfnOutput(this, `${enrichmentQueue.id}Url`, { value: this.queue.queueUrl });
    new CfnOutput(this, `${enrichmentQueue.id}DlqUrl`, { value: this.deadLetterQueue.queueUrl });
  }
}
