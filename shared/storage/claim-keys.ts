/**
 * Keys of a claim, in one place (docs/data-model.md lists the access patterns).
 *
 *   pk = CLAIM#<claimId>   sk = CLAIM
 *     gsi3pk = CLAIMS#<poolId | NONE>   gsi3sk = <status>#<filedAt>#<claimId>   (a pool's queue, by status)
 *     gsi2pk = CLAIMSTATUS#<status>     gsi2sk = <filedAt>#<claimId>            (every pool, one status)
 *     gsi1pk = CLAIMCOUNTS#PENDING      gsi1sk = <claimId>   (only while its dashboard moves wait)
 *   pk = REPORT#<reportId> sk = CLAIM#<claimId>   "this report has a claim" (no invitation needed)
 *
 * Index keys carry the status, so every status change rewrites them in the same UpdateItem.
 */
import type { ClaimStatus } from '../domain/claim.ts';
import { reportPk } from './report-keys.ts';

export const CLAIM_SK = 'CLAIM';
export const NO_POOL = 'NONE';

export const claimPk = (claimId: string): string => `CLAIM#${claimId}`;

/** The claim id in a claim item's pk (gsi2 holds keys only). */
export const claimIdOfPk = (pk: string): string => pk.slice('CLAIM#'.length);

export const claimsByPoolPk = (poolId: string | undefined): string => `CLAIMS#${poolId ?? NO_POOL}`;

export const claimsByStatusPk = (status: ClaimStatus): string => `CLAIMSTATUS#${status}`;

/** A pool's queue sorts by status first: this prefix selects one status. */
export const claimsByPoolStatusPrefix = (status: ClaimStatus): string => `${status}#`;

export function claimIndexKeys(
  claimId: string,
  poolId: string | undefined,
  status: ClaimStatus,
  filedAt: string,
) {
  return {
    gsi3pk: claimsByPoolPk(poolId),
    gsi3sk: `${claimsByPoolStatusPrefix(status)}${filedAt}#${claimId}`,
    gsi2pk: claimsByStatusPk(status),
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
