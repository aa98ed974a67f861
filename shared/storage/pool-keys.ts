/**
 * Keys of a pool and the items that hang off it, in one place (docs/data-model.md lists the
 * access patterns). Everything about one pool shares its partition, so "everything the pool
 * matched" or "every plan of this pool" is one Query.
 *
 *   pk = POOL#<poolId>   sk = POOL                                   the pool
 *                        gsi3pk = POOLS, gsi3sk = <claimDeadline>#<poolId>   (open pools by deadline)
 *   pk = POOL#<poolId>   sk = MATCH#<REPORT|CLAIM>#<id>#<type>#<value>       one match per identifier
 *   pk = POOL#<poolId>   sk = INVITE#<reportId>                      one invitation per report
 *                        gsi1pk = INVITE#<code>, gsi1sk = INVITE     (verify a code)
 *   pk = POOL#<poolId>   sk = DIST#<distributionId>                  a distribution plan's header
 */
import type { MatchKind } from '../domain/pool.ts';

export const POOL_SK = 'POOL';
export const POOLS_INDEX_PK = 'POOLS';

export const poolPk = (poolId: string): string => `POOL#${poolId}`;

export function poolKeys(poolId: string, claimDeadline: string) {
  return {
    pk: poolPk(poolId),
    sk: POOL_SK,
    gsi3pk: POOLS_INDEX_PK,
    gsi3sk: `${claimDeadline}#${poolId}`,
  };
}

export const MATCH_SK_PREFIX = 'MATCH#';

export const matchSk = (kind: MatchKind, subjectId: string, type: string, value: string): string =>
  `MATCH#${kind}#${subjectId}#${type}#${value}`;

export const matchKindPrefix = (kind: MatchKind): string => `MATCH#${kind}#`;

export const INVITE_SK_PREFIX = 'INVITE#';

export function invitationKeys(poolId: string, reportId: string, code: string) {
  return {
    pk: poolPk(poolId),
    sk: `${INVITE_SK_PREFIX}${reportId}`,
    gsi1pk: invitationCodePk(code),
    gsi1sk: 'INVITE',
  };
}

export const invitationCodePk = (code: string): string => `INVITE#${code}`;

export const DIST_SK_PREFIX = 'DIST#';

export const distributionHeaderKey = (poolId: string, distributionId: string) => ({
  pk: poolPk(poolId),
  sk: `${DIST_SK_PREFIX}${distributionId}`,
});
