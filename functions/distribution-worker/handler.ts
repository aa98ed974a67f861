/**
 * SQS consumer for distribution jobs: each message runs one checkpointed step of a plan job, an
 * approval job, a payment file job, the check of an uploaded results file or a results job
 * (shared/use-cases/plan-job.ts, approval-job.ts, payment-file-job.ts, payment-results.ts),
 * through the shared consumer loop (queue-consumer.ts). A step that fails (an outage) is reported
 * as a batch item failure, so SQS delivers it again after the visibility timeout and the step
 * reruns; after
 * maxReceiveCount it waits in the DLQ, and the plan's header shows where the job stopped.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { distributionJobV1 } from '#shared/messages/distribution-job.ts';
import { distributionQueue } from '#shared/storage/tables.ts';
import { runApprovalStep } from '#shared/use-cases/approval-job.ts';
import { runPaymentFileStep } from '#shared/use-cases/payment-file-job.ts';
import { applyResultsStep, checkUploadedResultsStep } from '#shared/use-cases/payment-results.ts';
import { runPlanStep } from '#shared/use-cases/plan-job.ts';
import { workerDeps } from '../distribution-jobs.ts';
import { metrics, logger as sharedLogger } from '../observability.ts';
import { queueConsumer } from '../queue-consumer.ts';

// Its own logger: in the local runtime's shared process, these lines must name this function.
const logger = sharedLogger.createChild();
const deps = workerDeps();

export const handler = queueConsumer({
  queue: distributionQueue,
  schema: distributionJobV1,
  messageName: 'distribution.job v1',
  logger,
  failureMetric: 'DistributionJobFailures',
  run: async (message, receiveCount) => {
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
  },
});
