/**
 * Use cases for agency admins who create and edit pools.
 *
 * createPool: 1. validate; 2. normalise the seized identifiers (same normalisers as reports);
 *   3. store the pool (conditional put); 4. match it against stored reports and claims.
 * updatePool: 1. validate; 2. read the pool; 3. refuse money changes once a plan is approved;
 *   4. write the edited pool if nobody changed it meanwhile (version); 5. re-match: markers and
 *   matches of identifiers no longer seized are removed, new ones matched.
 * Matching after a write is idempotent, so a failure there is repaired by `rematchPool`.
 * Reading pools is in read-pools.ts (no normalisers, so the read functions stay small).
 */
import { ConflictError } from '../domain/errors.ts';
import { seizedChanges } from '../domain/pool.ts';
import { newPool, patchPool } from '../domain/pool-normalise.ts';
import { poolInputSchema, poolPatchSchema } from '../domain/pool-schema.ts';
import { newPoolId } from '../domain/secrets.ts';
import { parseWith } from '../domain/validation.ts';
import { type MatchSummary, matchPool } from './match-pools.ts';
import { loadPool, type PoolDeps, type PoolView, poolView } from './read-pools.ts';

export interface PoolWriteResult {
  pool: PoolView;
  matching: MatchSummary;
}

export async function createPool(body: unknown, by: string, deps: PoolDeps): Promise<PoolWriteResult> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(poolInputSchema, body);
  const pool = newPool(input, { poolId: (deps.newId ?? newPoolId)(), key: deps.key, now, by });
  await deps.pools.create(pool);
  const matching = await matchPool(pool, deps);
  return { pool: poolView(pool, now), matching };
}

const MONEY_FIELDS = ['amountCents', 'currency', 'minimumPayoutCents'] as const;

export async function updatePool(
  typedId: string,
  body: unknown,
  by: string,
  deps: PoolDeps,
): Promise<PoolWriteResult> {
  const now = (deps.now ?? (() => new Date()))();
  const patch = parseWith(poolPatchSchema, body);
  const pool = await loadPool(typedId, deps.pools);
  if (patch.version !== undefined && patch.version !== pool.version) {
    throw new ConflictError(
      `This pool changed since you read it (version ${patch.version}, now ${pool.version}). Reload it and make your change again.`,
      'POOL_CHANGED',
    );
  }
  if (pool.activeDistributionId) {
    const changed = MONEY_FIELDS.filter((f) => patch[f] !== undefined && patch[f] !== pool[f]);
    if (changed.length > 0) {
      throw new ConflictError(
        `A distribution plan (${pool.activeDistributionId}) is approved for this pool, so ${changed.join(', ')} can no longer change.`,
        'POOL_LOCKED',
      );
    }
  }
  const next = patchPool(pool, patch, { key: deps.key, now, by });
  await deps.pools.replace(next, pool.version);
  const { removed } = seizedChanges(pool.seizedIndicators, next.seizedIndicators);
  const matching = await matchPool(next, deps, { removed });
  return { pool: poolView(next, now), matching };
}

/** Re-runs matching for a pool (after a failure, or to catch up): idempotent. */
export async function rematchPool(typedId: string, deps: PoolDeps): Promise<MatchSummary> {
  const pool = await loadPool(typedId, deps.pools);
  return matchPool(pool, deps, { reconcile: true });
}
