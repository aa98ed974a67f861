import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { DLQ_ARN_OUTPUT, DLQ_URL_OUTPUT } from '../config/outputs.ts';
import { addQueueWorker } from '../constructs/queue-worker.ts';
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
  /** E-mail's outbox, where the deployment sends e-mail: invitations and claim changes record mail. */
  readonly mailQueue?: IQueue | undefined;
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
    const worker = addQueueWorker(this, {
      config,
      queueName: 'enrichmentQueue',
      definition: enrichmentQueue,
      key: data.key,
      logEncryptionKey: data.opsKey,
      removalPolicy: removalPolicyFor(config),
      maxConcurrency: MAX_CONSUMER_CONCURRENCY,
      deadLetterReason:
        'This is the dead-letter queue: its messages wait for an operator to fix the cause and redrive them (npm run redrive). A DLQ of the DLQ would only hide them further.',
      resources: (queue) => ({
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
        enrichmentQueue: queue,
        ...(props.mailQueue ? { mailQueue: props.mailQueue } : {}),
      }),
    });
    this.queue = worker.queue;
    this.deadLetterQueue = worker.deadLetterQueue;
    this.consumers = worker.consumers;

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
