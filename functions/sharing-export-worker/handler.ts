/**
 * SQS consumer for sharing export jobs: each message runs one checkpointed step of an export
 * (shared/use-cases/export-job.ts). A step that fails (an outage) is reported as a batch item
 * failure, so SQS delivers it again and the step reruns from the job's last recorded part; after
 * maxReceiveCount it waits in the DLQ, and the job's item shows where it stopped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { sharingExportV1 } from '#shared/messages/sharing-export.ts';
import { runExportStep } from '#shared/use-cases/export-job.ts';
import { exportJobDeps } from '../export-jobs.ts';
import { describeError, logger, metrics } from '../observability.ts';

const deps = exportJobDeps();
const processor = new BatchProcessor(EventType.SQS);

export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

function parseRecord(record: SQSRecord) {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError('Message body is not JSON');
  }
  const result = z.safeParse(sharingExportV1, body);
  if (!result.success) {
    const paths = result.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(root)');
    throw new PoisonMessageError(`Message does not match sharing.export v1 at ${paths.join(', ')}`);
  }
  return result.data;
}

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
  try {
    const message = parseRecord(record);
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
  } catch (e) {
    logger.error('export step failed', { messageId: record.messageId, receiveCount, ...describeError(e) });
    metrics.addMetric('SharingExportFailures', MetricUnit.Count, 1);
    throw e;
  }
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
