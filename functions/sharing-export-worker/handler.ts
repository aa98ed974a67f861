/**
 * SQS consumer for sharing export jobs: each message runs one checkpointed step of an export
 * (shared/use-cases/export-job.ts), through the shared consumer loop (queue-consumer.ts). A step
 * that fails (an outage, a worker out of time) is reported as a batch item failure, so SQS
 * delivers it again after the visibility timeout and the step reruns from the job's last
 * recorded part; after maxReceiveCount it waits in the DLQ, and the job shows where it stopped.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sharingExportV1 } from '#shared/messages/sharing-export.ts';
import { sharingExportQueue } from '#shared/storage/tables.ts';
import { runExportStep } from '#shared/use-cases/export-job.ts';
import { exportJobDeps } from '../export-jobs.ts';
import { metrics, logger as sharedLogger } from '../observability.ts';
import { queueConsumer } from '../queue-consumer.ts';

// Its own logger: in the local runtime's shared process, these lines must name this function.
const logger = sharedLogger.createChild();
const deps = exportJobDeps();

export const handler = queueConsumer({
  queue: sharingExportQueue,
  schema: sharingExportV1,
  messageName: 'sharing.export v1',
  logger,
  failureMetric: 'SharingExportFailures',
  run: async (message, receiveCount) => {
    const started = Date.now();
    const outcome = await runExportStep(message, receiveCount, deps);
    logger.info('sharing export step', {
      exportId: message.exportId,
      step: message.step,
      outcome,
      ms: Date.now() - started,
      receiveCount,
    });
    metrics.addMetric('SharingExportSteps', MetricUnit.Count, 1);
  },
});
