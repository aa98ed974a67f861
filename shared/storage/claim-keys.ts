/**
 * Keys of a claim, in one place (docs/data-model.md lists the access patterns).
 *
 *   pk = CLAIM#<claimId>   sk = CLAIM
 *     gsi3pk = CLAIMS#<poolId | NONE>#<shard>   gsi3sk = <status>#<filedAt>#<claimId>   (a pool's queue, by status)
 *     gsi2pk = CLAIMSTATUS#<status>#<shard>     gsi2sk = <filedAt>#<claimId>            (every pool, one status)
 *     gsi1pk = CLAIMCOUNTS#PENDING      gsi1sk = <claimId>   (only while its dashboard moves wait)
 *   pk = REPORT#<reportId> sk = CLAIM#<claimId>   "this report has a claim" (no invitation needed)
 *
 * Index keys carry the status, so every status change rewrites them in the same UpdateItem: a
 * delete and a put in each index. Approving a plan of 1,000,000 claims is 2,000,000 index writes;
 * under one partition key (1,000 writes a second at most) that is 33 minutes of throttling, so
 * the index keys are spread over CLAIM_INDEX_SHARDS shards by a hash of the claim id (16 shards:
 * ~2 minutes at the partitions' limit; docs/distribution-jobs.md). Readers query every shard and
 * merge by sort key (storage/table.ts queryShardsPage). Claims written before the shards existed
 * keep the unsharded key until their next change, so readers also query that one.
 */
import { createHash } from 'node:crypto';
import type { ClaimStatus } from '../domain/claim.ts';
import { reportPk } from './report-keys.ts';

export const CLAIM_INDEX_SHARDS = 16;

/** Stable shard of a claim: the first byte of its id's SHA-256, modulo the shard count. */
export const claimShard = (claimId: string): number =>
  (createHash('sha256').update(claimId).digest()[0] ?? 0) % CLAIM_INDEX_SHARDS;

/** Every partition key a sharded index value lives under: the unsharded one, then each shard. */
const withShards = (base: string): string[] => [
  base,
  ...Array.from({ length: CLAIM_INDEX_SHARDS }, (_, n) => `${base}#${n}`),
];

export const CLAIM_SK = 'CLAIM';
export const NO_POOL = 'NONE';

export const claimPk = (claimId: string): string => `CLAIM#${claimId}`;

/** The claim id in a claim item's pk (gsi2 holds keys only). */
export const claimIdOfPk = (pk: string): string => pk.slice('CLAIM#'.length);

const claimsByPoolBase = (poolId: string | undefined): string => `CLAIMS#${poolId ?? NO_POOL}`;
const claimsByStatusBase = (status: ClaimStatus): string => `CLAIMSTATUS#${status}`;

/** The gsi3 partitions holding a pool's claims. */
export const claimsByPoolPks = (poolId: string | undefined): string[] => withShards(claimsByPoolBase(poolId));

/** The gsi2 partitions holding one status's claims. */
export const claimsByStatusPks = (status: ClaimStatus): string[] => withShards(claimsByStatusBase(status));

/** A pool's queue sorts by status first: this prefix selects one status. */
export const claimsByPoolStatusPrefix = (status: ClaimStatus): string => `${status}#`;

export function claimIndexKeys(
  claimId: string,
  poolId: string | undefined,
  status: ClaimStatus,
  filedAt: string,
) {
  const shard = claimShard(claimId);
  return {
    gsi3pk: `${claimsByPoolBase(poolId)}#${shard}`,
    gsi3sk: `${claimsByPoolStatusPrefix(status)}${filedAt}#${claimId}`,
    gsi2pk: `${claimsByStatusBase(status)}#${shard}`,
    gsi2sk: `${filedAt}#${claimId}`,
  };
}

/**
 * A claim whose dashboard moves are written on it but not yet counted (docs/dashboard.md): a
 * sparse entry in gsi1, removed once counted, so a dashboard read finds the few to finish.
 */
export const PENDING_CLAIM_COUNTS_PK = 'CLAIMCOUNTS#PENDING';
export const pendingClaimCountKeys = (claimId: string) => ({
  gsi1pk: PENDING_CLAIM_COUNTS_PK,
  gsi1sk: claimId,
});

/** The markers live in the report's own partition. */
export const reportClaimMarkerPk = reportPk;

export const reportClaimMarkerKey = (reportId: string, claimId: string) => ({
  pk: reportClaimMarkerPk(reportId),
  sk: `CLAIM#${claimId}`,
});

export const REPORT_CLAIM_MARKER_PREFIX = 'CLAIM#';
