/**
 * Admin distribution routes: compute a plan for a pool, read it, approve (lock) it, and download
 * the payment file. Approving is resumable: calling it again after a failure finishes the job.
 */
import { approvePlan, createPlan, getPlan, paymentFile } from '#shared/use-cases/distribute.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json, securityHeaders } from '../http/response.ts';
import { logger } from '../observability.ts';
import { claimRepository, distributionRepository, poolRepository } from '../repositories.ts';

const deps = { pools: poolRepository(), claims: claimRepository(), distributions: distributionRepository() };
const param = (event: { pathParameters?: Record<string, string | undefined> }, name: string) =>
  event.pathParameters?.[name] ?? '';

export const handler = apiHandler({
  'POST /v1/admin/pools/{poolId}/distributions': async ({ event, caller }) => {
    const plan = await createPlan(param(event, 'poolId'), caller!.sub, deps);
    logger.info('distribution planned', {
      poolId: plan.poolId,
      distributionId: plan.distributionId,
      payouts: plan.payoutCount,
      excluded: plan.excludedCount,
    });
    return json(201, plan);
  },

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}': async ({ event }) => {
    const q = event.queryStringParameters ?? {};
    return json(
      200,
      await getPlan(
        param(event, 'poolId'),
        param(event, 'distributionId'),
        {
          ...(q['cursor'] ? { cursor: q['cursor'] } : {}),
          ...(q['excludedCursor'] ? { excludedCursor: q['excludedCursor'] } : {}),
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
    logger.info('distribution approved', {
      poolId: result.poolId,
      distributionId: result.distributionId,
      scheduled: result.paymentsScheduled,
      closed: result.claimsClosed,
      held: result.held.length,
    });
    return json(200, result);
  },

  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv': async ({ event }) => {
    const distributionId = param(event, 'distributionId');
    const part = await paymentFile(
      param(event, 'poolId'),
      distributionId,
      event.queryStringParameters?.['cursor'],
      deps,
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
});
