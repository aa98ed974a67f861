/**
 * Keys of the dashboard's counters (docs/dashboard.md, docs/data-model.md).
 *
 *   pk = STATS#WEEK#<monday>          sk = SHARD#<nn>                 a week's counters, by shard
 *   pk = STATS#ID#<type>#<value>      sk = SHARD#<nn> | RANK          reports naming one identifier
 *        RANK: gsi3pk = STATS#TOPIDS  gsi3sk = <count, 10 digits>#<type>#<value>
 *   pk = STATS#CLAIMS#<nn>            sk = <poolId|none>#<status>     claims per programme and status, by shard
 *   pk = STATS#CLAIMS                 sk = <poolId|none>#<status>     the same, unsharded (written before shards)
 */
export const weekStatsPk = (week: string): string => `STATS#WEEK#${week}`;
export const identifierStatsPk = (type: string, value: string): string => `STATS#ID#${type}#${value}`;
export const SHARD_SK_PREFIX = 'SHARD#';
export const shardSk = (n: number): string => `${SHARD_SK_PREFIX}${String(n).padStart(2, '0')}`;
export const RANK_SK = 'RANK';
export const TOP_IDENTIFIERS_PK = 'STATS#TOPIDS';
export const rankSk = (count: number, type: string, value: string): string =>
  `${String(count).padStart(10, '0')}#${type}#${value}`;
export const CLAIM_STATS_PK = 'STATS#CLAIMS';
export const claimStatsPk = (shard: number): string => `${CLAIM_STATS_PK}#${String(shard).padStart(2, '0')}`;
