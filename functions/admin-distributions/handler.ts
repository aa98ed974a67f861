/**
 * Admin distribution routes: start a plan (a background job: 202), read it with its progress and
 * lines, approve it and release its payment file (each by admins other than its creator; the
 * sign-off that completes either answers 202 and starts a job), download the payment file (a
 * short-lived S3 link to the one file written at release), and report the bank's payment results
 * (text/csv in the request, or any size uploaded straight to S3 first).
 */
import * as z from 'zod/mini';
import { parseWith } from '#shared/domain/validation.ts';
import {
  approvePlan,
  getPlan,
  paymentFileBytes,
  paymentFileLink,
  releasePlan,
  startPlan,
} from '#shared/use-cases/distribute.ts';
import {
  startResultsUpload,
  submitResults,
  submitUploadedResults,
} from '#shared/use-cases/payment-results.ts';
import { distributionDeps } from '../distribution-jobs.ts';
import { apiHandler } from '../http/api-handler.ts';
import { HttpError } from '../http/errors.ts';
import { header, readJsonObject } from '../http/request.ts';
import { json, securityHeaders } from '../http/response.ts';
import { logger } from '../observability.ts';

const deps = distributionDeps();
const param = (event: { pathParameters?: Record<string, string | undefined> }, name: string) =>
  event.pathParameters?.[name] ?? '';

/** A results file of 100,000 lines is ~6 MB; Lambda's request limit is 6 MB, API Gateway's 10. */
const MAX_RESULTS_BYTES = 5_500_000;
/** A payment file answered in the response itself up to this size (Lambda answers at most 6 MB, base64 included). */
const MAX_INLINE_FILE_BYTES = 4_000_000;

const uploadedResults = z.object({ uploadId: z.string().check(z.minLength(1), z.maxLength(60)) });

export const handler = apiHandler({
  'POST /v1/admin/pools/{poolId}/distributions': async ({ event, caller }) => {
    const plan = await startPlan(param(event, 'poolId'), caller!.sub, deps);
    logger.info('distribution started', { poolId: plan.poolId, distributionId: plan.distributionId });
    return json(202, plan);
  },

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}': async ({ event }) => {
    const q = event.queryStringParameters ?? {};
    const limit = q['limit'] === undefined ? undefined : Number(q['limit']);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
      throw new HttpError(400, 'INVALID_LIMIT', 'limit must be a whole number from 1 to 1000.');
    }
    return json(
      200,
      await getPlan(
        param(event, 'poolId'),
        param(event, 'distributionId'),
        {
          ...(q['cursor'] ? { cursor: q['cursor'] } : {}),
          ...(q['excludedCursor'] ? { excludedCursor: q['excludedCursor'] } : {}),
          ...(limit !== undefined ? { limit } : {}),
        },
        deps,
      ),
    );
  },

  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/approve': async ({ event, caller }) => {
    const result = await approvePlan(
      param(event, 'poolId'),
      param(event, 'distributionId'),
      caller!.sub,
      deps,
    );
    logger.info('distribution approval', {
      poolId: result.poolId,
      distributionId: result.distributionId,
      status: result.status,
      approvalsMissing: result.approvalsMissing,
    });
    // 202: approved, and the job moving the claims is queued; 200: signed, more sign-offs needed.
    return json(result.status === 'APPROVED' ? 202 : 200, result);
  },

  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/release': async ({ event, caller }) => {
    const result = await releasePlan(
      param(event, 'poolId'),
      param(event, 'distributionId'),
      caller!.sub,
      deps,
    );
    logger.info('distribution release', {
      poolId: result.poolId,
      distributionId: result.distributionId,
      status: result.status,
    });
    // 202: released, and the job writing the payment file is queued; 200: more sign-offs needed.
    return json(result.status === 'RELEASED' ? 202 : 200, result);
  },

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file': async ({ event }) =>
    json(200, await paymentFileLink(param(event, 'poolId'), param(event, 'distributionId'), deps)),

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv': async ({ event }) => {
    // The file itself, for scripts: the stored object, streamed when it fits in a Lambda answer,
    // else a redirect to the same short-lived S3 link (curl -L).
    const link = await paymentFileLink(param(event, 'poolId'), param(event, 'distributionId'), deps);
    if (link.bytes > MAX_INLINE_FILE_BYTES) {
      return {
        statusCode: 303,
        headers: { ...securityHeaders, location: link.url, 'x-checksum-sha256': link.sha256 },
        body: '',
      };
    }
    const bytes = await paymentFileBytes(param(event, 'poolId'), param(event, 'distributionId'), deps);
    return {
      statusCode: 200,
      headers: {
        ...securityHeaders,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${link.fileName}"`,
        'x-checksum-sha256': link.sha256,
      },
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
    };
  },

  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results/uploads': async ({
    event,
  }) => {
    const slot = await startResultsUpload(param(event, 'poolId'), param(event, 'distributionId'), deps);
    return json(201, slot);
  },

  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results': async ({ event }) => {
    const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type === 'application/json') {
      // A file uploaded to S3 first (any size): the worker checks it; follow it with GET.
      const { uploadId } = parseWith(uploadedResults, readJsonObject(event));
      const checking = await submitUploadedResults(
        param(event, 'poolId'),
        param(event, 'distributionId'),
        uploadId,
        deps,
      );
      logger.info('payment results upload queued', { distributionId: checking.distributionId });
      return json(202, checking);
    }
    if (type !== 'text/csv') {
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the results file as CSV, with the header Content-Type: text/csv, or upload it first and send {"uploadId": ...} as application/json.',
      );
    }
    const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes.length > MAX_RESULTS_BYTES) {
      throw new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        'This results file is larger than 5.5 MB. Upload it first (POST .../payment-results/uploads), then send its uploadId.',
      );
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError(400, 'INVALID_CSV', 'The results file is not UTF-8 text. Save it as CSV (UTF-8).');
    }
    const accepted = await submitResults(param(event, 'poolId'), param(event, 'distributionId'), text, deps);
    logger.info('payment results accepted', {
      distributionId: accepted.distributionId,
      file: accepted.file,
      lines: accepted.lines,
    });
    return json(202, accepted);
  },
});
