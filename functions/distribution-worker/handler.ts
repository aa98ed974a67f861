/**
 * SQS consumer for distribution jobs: each message runs one checkpointed step of a plan job, an
 * approval job, a payment file job, the check of an uploaded results file or a results job
 * (shared/use-cases/plan-job.ts, approval-job.ts, payment-file-job.ts, payment-results.ts). A step that fails (an outage)
 * is reported as a batch item failure, so SQS delivers it again and the step reruns; after
 * maxReceiveCount it waits in the DLQ, and the plan's header shows where the job stopped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { distributionJobV1 } from '#shared/messages/distribution-job.ts';
import { runApprovalStep } from '#shared/use-cases/approval-job.ts';
import { runPaymentFileStep } from '#shared/use-cases/payment-file-job.ts';
import { applyResultsStep, checkUploadedResultsStep } from '#shared/use-cases/payment-results.ts';
import { runPlanStep } from '#shared/use-cases/plan-job.ts';
import { workerDeps } from '../distribution-jobs.ts';
import { describeError, logger, metrics } from '../observability.ts';

const deps = workerDeps();
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
  const result = z.safeParse(distributionJobV1, body);
  if (!result.success) {
    const paths = result.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(root)');
    throw new PoisonMessageError(`Message does not match distribution.job v1 at ${paths.join(', ')}`);
  }
  return result.data;
}

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
  try {
    const message = parseRecord(record);
    const started = Date.now();
    const steps = {
      plan: runPlanStep,
      approve: runApprovalStep,
      'payment-file': runPaymentFileStep,
      'results-check': (m: typeof message) => checkUploadedResultsStep(m, deps),
      results: applyResultsStep,
    } as const;
    const outcome = await steps[message.kind](message, receiveCount, deps);
    logger.info('distribution job step', {
      distributionId: message.distributionId,
      kind: message.kind,
      step: message.step,
      outcome,
      ms: Date.now() - started,
      receiveCount,
    });
    metrics.addMetric('DistributionJobSteps', MetricUnit.Count, 1);
  } catch (e) {
    logger.error('job step failed', { messageId: record.messageId, receiveCount, ...describeError(e) });
    metrics.addMetric('DistributionJobFailures', MetricUnit.Count, 1);
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
