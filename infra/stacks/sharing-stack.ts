import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { sharingExportQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName } from '../config/outputs.ts';
import { addQueueWorker } from '../constructs/queue-worker.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

/** Exports are rare (an admin's request); two at once keep the shared-summary index unhurried. */
export const MAX_EXPORT_CONCURRENCY = 2;

export interface SharingStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
}

/**
 * Sharing export jobs (docs/sharing.md, "Bulk export for staff"): the queue whose messages are
 * the steps of an export, its dead-letter queue, and the worker that writes the STIX bundle to
 * the artefact bucket (exports/) one part per message. The admin API starts exports by sending
 * step 0.
 */
export class SharingStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<FunctionName, RestoreFunction>;

  constructor(scope: Construct, id: string, props: SharingStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const worker = addQueueWorker(this, {
      config,
      queueName: 'sharingExportQueue',
      definition: sharingExportQueue,
      key: data.key,
      logEncryptionKey: data.opsKey,
      removalPolicy: removalPolicyFor(config),
      maxConcurrency: MAX_EXPORT_CONCURRENCY,
      deadLetterReason:
        'This is the dead-letter queue: an export step that failed every retry waits here; the export shows where it stopped, and redriving the message resumes it from its last written part.',
      resources: (queue) => ({
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
        sharingExportQueue: queue,
        artefactBucket: { arn: Fn.importValue(artefactBucketExportName(config.envName)), key: data.key },
      }),
    });
    this.queue = worker.queue;
    this.deadLetterQueue = worker.deadLetterQueue;
    this.consumers = worker.consumers;
    new CfnOutput(this, `${sharingExportQueue.id}Url`, { value: this.queue.queueUrl });
    new CfnOutput(this, `${sharingExportQueue.id}DlqUrl`, {
      description: 'Dead-letter queue of sharing export steps',
      value: this.deadLetterQueue.queueUrl,
    });
  }
}
