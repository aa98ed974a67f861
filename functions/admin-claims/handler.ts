/** Staff claim routes: the review queue, one claim, and decisions (recorded with who and when). */
import { followUpForStaff } from '#shared/use-cases/follow-up.ts';
import { decideClaim, getClaimForReview, listClaims } from '#shared/use-cases/review-claims.ts';
import { apiHandler } from '../http/api-handler.ts';
import { readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { mailingClaimRepository } from '../mail-outbox.ts';
import { logger } from '../observability.ts';
import { claimantIndex, followUpRepository, poolRepository, reportRepository } from '../repositories.ts';
import { uploadStore } from '../uploads.ts';

const deps = {
  claims: mailingClaimRepository(),
  pools: poolRepository(),
  flags: { contacts: claimantIndex(), reports: reportRepository() },
};
const followUpDeps = { followUps: followUpRepository(), uploads: uploadStore() };
const claimId = (event: { pathParameters?: Record<string, string | undefined> }) =>
  event.pathParameters?.['claimId'] ?? '';

export const handler = apiHandler({
  'GET /v1/admin/claims': async ({ event }) =>
    json(200, await listClaims(event.queryStringParameters ?? {}, deps)),

  'GET /v1/admin/claims/{claimId}': async ({ event }) => {
    const view = await getClaimForReview(claimId(event), deps);
    // The claimant's answers, and their documents once scanned clean (links last 5 minutes).
    const followUp = await followUpForStaff(view.claimId, followUpDeps);
    return json(200, followUp ? { ...view, followUp } : view);
  },

  'POST /v1/admin/claims/{claimId}/decision': async ({ event, caller }) => {
    const body = readJsonObject(event);
    const view = await decideClaim(claimId(event), body, caller!.sub, deps);
    logger.info('claim decided', { claimId: view.claimId, status: view.status });
    return json(200, view);
  },
});
