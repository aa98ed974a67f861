/**
 * Keys of the indicator index: one item per (identifier, report or claim) pair, so every report
 * that paid or was contacted by the same scammer identifier sits in one partition and a lookup is
 * one Query whose cost grows with the number of linked reports, never with the table size.
 *
 *   pk = IND#<type>#<normalised value>     sk = REPORT#<reportId>   (later: CLAIM#<claimId>)
 *
 * Values are already canonical (E.164, registrable domain, checksummed wallet, HMAC token).
 */
import type { IndicatorType } from '../domain/indicators/types.ts';

export const indicatorPk = (type: IndicatorType, value: string): string => `IND#${type}#${value}`;

export const indicatorReportSk = (reportId: string): string => `REPORT#${reportId}`;

export const INDICATOR_REPORT_SK_PREFIX = 'REPORT#';
