/**
 * GuardDuty Malware Protection for S3 publishes one EventBridge event per scanned object; this
 * function takes it (the rule in infra/stacks/uploads-stack.ts matches only the uploads bucket)
 * and runs the document's state machine (shared/use-cases/follow-up.ts recordScanResult). The
 * local runtime sends the same event shape with NO_THREATS_FOUND for every upload.
 * A throw makes EventBridge retry; the state moves once, so a retry is harmless.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { recordScanResult } from '#shared/use-cases/follow-up.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { followUpRepository } from '../repositories.ts';
import { uploadStore } from '../uploads.ts';

const deps = { followUps: followUpRepository(), uploads: uploadStore() };

/** The parts of "GuardDuty Malware Protection Object Scan Result" this function reads. */
export const scanResultEvent = z.object({
  'detail-type': z.literal('GuardDuty Malware Protection Object Scan Result'),
  detail: z.object({
    s3ObjectDetails: z.object({ bucketName: z.string(), objectKey: z.string() }),
    scanResultDetails: z.object({
      scanResultStatus: z.enum([
        'NO_THREATS_FOUND',
        'THREATS_FOUND',
        'UNSUPPORTED',
        'ACCESS_DENIED',
        'FAILED',
      ]),
    }),
  }),
});

export const handler = async (event: unknown): Promise<{ outcome: string }> => {
  const parsed = z.safeParse(scanResultEvent, event);
  if (!parsed.success) {
    logger.warn('not a malware scan result; ignored');
    return { outcome: 'IGNORED' };
  }
  const { s3ObjectDetails, scanResultDetails } = parsed.data.detail;
  try {
    const outcome = await recordScanResult(
      { key: s3ObjectDetails.objectKey, verdict: scanResultDetails.scanResultStatus },
      deps,
    );
    // The key names the claim; log only the outcome.
    logger.info('upload scanned', { verdict: scanResultDetails.scanResultStatus, outcome });
    metrics.addMetric(`Upload${outcome === 'CLEAN' ? 'Clean' : 'Refused'}`, MetricUnit.Count, 1);
    return { outcome };
  } catch (e) {
    logger.error('scan result not applied; EventBridge will retry', describeError(e));
    throw e;
  } finally {
    metrics.publishStoredMetrics();
  }
};
