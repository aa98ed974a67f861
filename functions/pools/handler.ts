/** GET /v1/pools — the restoration programmes open for claims, for the public site. */
import { listOpenPools } from '#shared/use-cases/read-pools.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { poolRepository } from '../repositories.ts';

const pools = poolRepository();

export const handler = apiHandler({
  'GET /v1/pools': async () => json(200, await listOpenPools(pools)),
});
