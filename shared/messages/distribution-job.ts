/**
 * The distribution queue's message, version 1: "run step `step` of this plan's job". The job's
 * state lives in the plan's header, not in the message, so a duplicate or late message is
 * recognised (its step is not the one the header waits for) and does nothing.
 */
import * as z from 'zod/mini';

export const DISTRIBUTION_JOB = 'restore.distribution.job';

export const distributionJobV1 = z.object({
  type: z.literal(DISTRIBUTION_JOB),
  version: z.literal(1),
  /**
   * plan: compute the plan; approve: move an approved plan's claims; payment-file: write the
   * released plan's payment file; results-check: check a results file uploaded to S3;
   * results: apply an accepted payment results file to claims.
   */
  kind: z.enum(['plan', 'approve', 'payment-file', 'results-check', 'results']),
  poolId: z.string().check(z.minLength(1), z.maxLength(60)),
  distributionId: z.string().check(z.minLength(1), z.maxLength(60)),
  step: z.int().check(z.gte(0)),
  /** results: which accepted file (1-based). */
  file: z.optional(z.int().check(z.gte(1))),
});

export type DistributionJobV1 = z.output<typeof distributionJobV1>;
