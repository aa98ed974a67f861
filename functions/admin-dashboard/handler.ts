/** Staff dashboard: counters kept as reports and claims arrive, read in a few small queries. */
import { getDashboard } from '#shared/use-cases/dashboard.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { claimRepository, poolRepository, statsRepository } from '../repositories.ts';

const deps = {
  reader: statsRepository(),
  pools: poolRepository(),
  // Claim moves a crash left uncounted are counted before the view is read.
  pending: { claims: claimRepository(), counter: statsRepository() },
};

export const handler = apiHandler({
  'GET /v1/admin/dashboard': async ({ event }) =>
    json(200, await getDashboard(event.queryStringParameters ?? {}, deps)),
});
