/**
 * Keys of the indicator index: one item per (identifier, report, claim or pool) pair, so every
 * report and claim that paid or was contacted by the same scammer identifier, and every pool that
 * seized it, sit in one partition. A lookup or a match is one Query whose cost grows with the
 * number of linked items, never with the table size.
 *
 *   pk = IND#<type>#<normalised value>     sk = REPORT#<reportId> | CLAIM#<claimId> | POOL#<poolId>
 *
 * Values are already canonical (E.164, registrable domain, checksummed wallet, HMAC token).
 */
import type { IndicatorType } from '../domain/indicators/types.ts';

export const indicatorPk = (type: IndicatorType, value: string): string => `IND#${type}#${value}`;

export const indicatorReportSk = (reportId: string): string => `REPORT#${reportId}`;

export const INDICATOR_REPORT_SK_PREFIX = 'REPORT#';

/** A claim's payment went to this identifier. */
export const indicatorClaimSk = (claimId: string): string => `CLAIM#${claimId}`;

export const INDICATOR_CLAIM_SK_PREFIX = 'CLAIM#';

/** A pool seized this identifier: reports and claims filed later find the pool here. */
export const indicatorPoolSk = (poolId: string): string => `POOL#${poolId}`;

export const INDICATOR_POOL_SK_PREFIX = 'POOL#';
