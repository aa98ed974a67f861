/** GET /v1/pools — the restoration programmes open for claims, for the public site. */
import { listOpenPools } from '#shared/use-cases/read-pools.ts';
import { apiHandler } from '../http/api-handler.ts';
import { header } from '../http/request.ts';
import { cacheableJson } from '../http/response.ts';
import { poolRepository } from '../repositories.ts';

const pools = poolRepository();

export const handler = apiHandler({
  // Public, the same for everyone: cached briefly at the edge, revalidated with its ETag.
  'GET /v1/pools': async ({ event }) =>
    cacheableJson(await listOpenPools(pools), header(event, 'if-none-match')),
});
