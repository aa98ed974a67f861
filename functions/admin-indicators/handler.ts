/** GET /v1/admin/indicators/{type}/{value} — one scammer identifier with every report, claim and pool linked to it. */

import { lookupIndicator } from '#shared/use-cases/read-reports.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { claimRepository, poolRepository, reportRepository } from '../repositories.ts';

const reader = reportRepository();
const claims = claimRepository();
const pools = poolRepository();
const claimReader = {
  linkedClaims: claims.linkedClaims.bind(claims),
  poolsSeizing: pools.poolsSeizing.bind(pools),
};

export const handler = apiHandler({
  'GET /v1/admin/indicators/{type}/{value}': async ({ event }) => {
    const q = event.queryStringParameters ?? {};
    const view = await lookupIndicator(
      event.pathParameters?.['type'] ?? '',
      event.pathParameters?.['value'] ?? '',
      { limit: q['limit'], cursor: q['cursor'], claimsCursor: q['claimsCursor'] },
      reader,
      await indicatorKey(),
      claimReader,
    );
    return json(200, view);
  },
});
