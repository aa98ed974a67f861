/** Staff claim routes: the review queue, one claim, and decisions (recorded with who and when). */
import { decideClaim, getClaimForReview, listClaims } from '#shared/use-cases/review-claims.ts';
import { apiHandler } from '../http/api-handler.ts';
import { readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { logger } from '../observability.ts';
import { claimantIndex, claimRepository, poolRepository, reportRepository } from '../repositories.ts';

const deps = {
  claims: claimRepository(),
  pools: poolRepository(),
  flags: { contacts: claimantIndex(), reports: reportRepository() },
};
const claimId = (event: { pathParameters?: Record<string, string | undefined> }) =>
  event.pathParameters?.['claimId'] ?? '';

export const handler = apiHandler({
  'GET /v1/admin/claims': async ({ event }) =>
    json(200, await listClaims(event.queryStringParameters ?? {}, deps)),

  'GET /v1/admin/claims/{claimId}': async ({ event }) =>
    json(200, await getClaimForReview(claimId(event), deps)),

  'POST /v1/admin/claims/{claimId}/decision': async ({ event, caller }) => {
    const body = readJsonObject(event);
    const view = await decideClaim(claimId(event), body, caller!.sub, deps);
    logger.info('claim decided', { claimId: view.claimId, status: view.status });
    return json(200, view);
  },
});
