/**
 * Staff pool routes: admins create and edit pools (matching runs after every write); reviewers and
 * admins read pools and what they matched.
 */
import { createPool, rematchPool, updatePool } from '#shared/use-cases/manage-pools.ts';
import { getPool, listPools, poolMatches } from '#shared/use-cases/read-pools.ts';
import { apiHandler } from '../http/api-handler.ts';
import { readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { mailingPoolRepository } from '../mail-outbox.ts';
import { logger } from '../observability.ts';
import { claimRepository } from '../repositories.ts';

const pools = mailingPoolRepository();
const claims = claimRepository();
const poolId = (event: { pathParameters?: Record<string, string | undefined> }) =>
  event.pathParameters?.['poolId'] ?? '';

export const handler = apiHandler({
  'GET /v1/admin/pools': async () => json(200, await listPools({ pools })),

  'POST /v1/admin/pools': async ({ event, caller }) => {
    const body = readJsonObject(event);
    const result = await createPool(body, caller!.sub, { pools, claims, key: await indicatorKey() });
    logger.info('pool created', { ...result.matching });
    return json(
      201,
      { ...result.pool, matching: result.matching },
      { location: `/v1/admin/pools/${result.pool.poolId}` },
    );
  },

  'GET /v1/admin/pools/{poolId}': async ({ event }) => json(200, await getPool(poolId(event), { pools })),

  'PATCH /v1/admin/pools/{poolId}': async ({ event, caller }) => {
    const body = readJsonObject(event);
    const result = await updatePool(poolId(event), body, caller!.sub, {
      pools,
      claims,
      key: await indicatorKey(),
    });
    logger.info('pool updated', { ...result.matching });
    return json(200, { ...result.pool, matching: result.matching });
  },

  'GET /v1/admin/pools/{poolId}/matches': async ({ event }) =>
    json(200, await poolMatches(poolId(event), event.queryStringParameters ?? {}, { pools })),

  'POST /v1/admin/pools/{poolId}/matches/refresh': async ({ event }) => {
    const matching = await rematchPool(poolId(event), { pools, claims, key: await indicatorKey() });
    logger.info('pool re-matched', { ...matching });
    return json(200, matching);
  },
});
