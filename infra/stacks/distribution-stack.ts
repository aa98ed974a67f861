import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { distributionQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName } from '../config/outputs.ts';
import { addQueueWorker } from '../constructs/queue-worker.ts';
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
  /** E-mail's outbox, where the deployment sends e-mail: invitations and claim changes record mail. */
  readonly mailQueue?: IQueue | undefined;
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
    const worker = addQueueWorker(this, {
      config,
      queueName: 'distributionQueue',
      definition: distributionQueue,
      key: data.key,
      logEncryptionKey: data.opsKey,
      removalPolicy: removalPolicyFor(config),
      maxConcurrency: MAX_WORKER_CONCURRENCY,
      deadLetterReason:
        "This is the dead-letter queue: a job step that failed every retry waits here; the plan's header shows where the job stopped, and redriving the message resumes it.",
      resources: (queue) => ({
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
        payoutKey: data.payoutKey,
        distributionQueue: queue,
        // Append only: the payment file job records the file's checksum in the audit trail.
        auditTable: data.auditTable,
        ...(props.mailQueue ? { mailQueue: props.mailQueue } : {}),
        artefactBucket: { arn: Fn.importValue(artefactBucketExportName(config.envName)), key: data.key },
      }),
    });
    this.queue = worker.queue;
    this.deadLetterQueue = worker.deadLetterQueue;
    this.consumers = worker.consumers;
    new CfnOutput(this, `${distributionQueue.id}Url`, { value: this.queue.queueUrl });
    new CfnOutput(this, `${distributionQueue.id}DlqUrl`, {
      description: 'Dead-letter queue of distribution job steps',
      value: this.deadLetterQueue.queueUrl,
    });
  }
}
