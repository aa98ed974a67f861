/**
 * Admin distribution routes: start a plan (a background job: 202), read it with its progress and
 * lines, approve it and release its payment file (each by admins other than its creator),
 * download the payment file, and upload the bank's payment results (text/csv).
 */
import { approvePlan, getPlan, paymentFile, releasePlan, startPlan } from '#shared/use-cases/distribute.ts';
import { submitResults } from '#shared/use-cases/payment-results.ts';
import { distributionDeps } from '../distribution-jobs.ts';
import { apiHandler } from '../http/api-handler.ts';
import { HttpError } from '../http/errors.ts';
import { header } from '../http/request.ts';
import { json, securityHeaders } from '../http/response.ts';
import { logger } from '../observability.ts';
import { payoutVault } from '../payout-vault.ts';

const deps = distributionDeps();
// This function writes the payment file: the only one allowed to open sealed account numbers.
const vault = payoutVault();
const param = (event: { pathParameters?: Record<string, string | undefined> }, name: string) =>
  event.pathParameters?.[name] ?? '';

/** A results file of 100,000 lines is ~6 MB; Lambda's request limit is 6 MB, API Gateway's 10. */
const MAX_RESULTS_BYTES = 5_500_000;

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
      scheduled: result.paymentsScheduled,
      held: result.held?.length,
    });
    return json(200, result);
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
    return json(200, result);
  },

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv': async ({ event }) => {
    const distributionId = param(event, 'distributionId');
    const part = await paymentFile(
      param(event, 'poolId'),
      distributionId,
      event.queryStringParameters?.['cursor'],
      { ...deps, payoutVault: vault },
    );
    const headers: Record<string, string> = {
      ...securityHeaders,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="payments-${distributionId.replace(/[^A-Za-z0-9-]/g, '')}.csv"`,
    };
    if (part.cursor) {
      // A large plan comes in parts: the next one is linked (RFC 8288) and named in a header.
      headers['x-next-cursor'] = part.cursor;
      headers['link'] = `<?cursor=${encodeURIComponent(part.cursor)}>; rel="next"`;
    }
    return { statusCode: 200, headers, body: part.csv };
  },

  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results': async ({ event }) => {
    const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/csv') {
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the results file as CSV, with the header Content-Type: text/csv.',
      );
    }
    const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes.length > MAX_RESULTS_BYTES) {
      throw new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        'This results file is larger than 5.5 MB. Split it into several files of fewer lines and send them one after another.',
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
