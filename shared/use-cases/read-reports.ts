/**
 * Use cases for agency staff: read one report, search reports, and look up one scammer
 * identifier with every report linked to it. Lookups normalise the typed value the same way
 * reports are normalised, so any spelling of a phone, domain or wallet finds the same reports.
 */
import * as z from 'zod/mini';
import type { LinkedClaim } from '../domain/claim.ts';
import { categories } from '../domain/enums.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseReportId } from '../domain/ids.ts';
import { type IndicatorType, indicatorTypes, normaliseIndicator } from '../domain/indicators/index.ts';
import type { Page } from '../domain/page.ts';
import {
  type IndicatorLink,
  type LinkedReport,
  linksOf,
  type ReportContent,
  type StoredReport,
} from '../domain/report-content.ts';
import { parseWith } from '../domain/validation.ts';

export interface ReportReader {
  get(reportId: string): Promise<StoredReport | undefined>;
  getMany(reportIds: readonly string[]): Promise<StoredReport[]>;
  linkedReports(
    type: IndicatorType,
    value: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<LinkedReport>>;
  searchByTime(opts: {
    from: string;
    to: string;
    category?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<StoredReport>>;
}

export interface ReportView extends ReportContent {
  reportId: string;
  status: StoredReport['status'];
  receivedAt: string;
  enrichedAt?: string;
  lossByCurrency: Record<string, number>;
  indicators: (IndicatorLink & { href: string })[];
}

export const indicatorHref = (type: string, value: string): string =>
  `/v1/admin/indicators/${encodeURIComponent(type)}/${encodeURIComponent(value)}`;

export function toReportView(r: StoredReport): ReportView {
  return {
    reportId: r.reportId,
    status: r.status,
    receivedAt: r.receivedAt,
    ...(r.enrichedAt ? { enrichedAt: r.enrichedAt } : {}),
    ...r.content,
    lossByCurrency: r.lossByCurrency,
    indicators: linksOf(r.content).map((l) => ({ ...l, href: indicatorHref(l.type, l.value) })),
  };
}

const notFound = () => new NotFoundError('No report has this reference number. Check it and try again.');

export async function getReport(typedId: string, reader: ReportReader): Promise<ReportView> {
  const reportId = parseReportId(typedId);
  if (!reportId) throw notFound();
  const report = await reader.get(reportId);
  if (!report) throw notFound();
  return toReportView(report);
}

const isoInstant = z
  .string()
  .check(
    z.refine(
      (s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(s) && !Number.isNaN(Date.parse(s)),
      'Use a date like 2026-10-01 or 2026-10-01T00:00:00Z.',
    ),
  );

export const searchQuerySchema = z.object({
  indicator: z.optional(
    z
      .string()
      .check(
        z.regex(/^[a-z-]+:.+$/, 'Use TYPE:VALUE, for example phone:+12025550143 or domain:example.com.'),
      ),
  ),
  category: z.optional(z.enum(categories, { error: `Use one of: ${categories.join(', ')}.` })),
  from: z.optional(isoInstant),
  to: z.optional(isoInstant),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'Use a whole number from 1 to 100.')),
      z.transform((s) => Number(s)),
    ),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export type SearchQuery = z.output<typeof searchQuerySchema>;

/** Start of day for a date, end of day for `to` dates, instants as given. */
function bound(value: string | undefined, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 10) return end ? `${value}T23:59:59.999Z` : `${value}T00:00:00.000Z`;
  return new Date(value).toISOString();
}

export async function searchReports(
  rawQuery: Record<string, string | undefined>,
  reader: ReportReader,
  indicatorKey: Uint8Array,
  now: Date = new Date(),
): Promise<Page<ReportView>> {
  const q = parseWith(searchQuerySchema, rawQuery);
  const limit = q.limit ?? 25;
  if (limit < 1 || limit > 100)
    throw new ValidationError([{ path: 'limit', message: 'Use a whole number from 1 to 100.' }]);
  const to = bound(q.to, true) ?? now.toISOString();
  // Without `from`, search the last year: a month partition is one query, so ranges stay cheap.
  const from = bound(q.from, false) ?? new Date(Date.parse(to) - 365 * 86_400_000).toISOString();
  if (from > to)
    throw new ValidationError([{ path: 'from', message: 'The start date is after the end date.' }]);
  if (Date.parse(to) - Date.parse(from) > 10 * 366 * 86_400_000) {
    throw new ValidationError([{ path: 'from', message: 'Search at most 10 years at a time.' }]);
  }

  if (q.indicator) {
    const sep = q.indicator.indexOf(':');
    const type = q.indicator.slice(0, sep);
    const raw = q.indicator.slice(sep + 1);
    const indicator = normaliseLookup(type, raw, indicatorKey, 'indicator');
    const page = await reader.linkedReports(indicator.type, indicator.value, { limit, cursor: q.cursor });
    const wanted = page.items
      .filter((l) => (!q.category || l.category === q.category) && l.receivedAt >= from && l.receivedAt <= to)
      .map((l) => l.reportId);
    const reports = await reader.getMany(wanted);
    return { items: reports.map(toReportView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  const page = await reader.searchByTime({ from, to, category: q.category, limit, cursor: q.cursor });
  return { items: page.items.map(toReportView), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

function normaliseLookup(type: string, raw: string, key: Uint8Array, path: string) {
  if (!(indicatorTypes as readonly string[]).includes(type)) {
    throw new ValidationError([
      { path, message: `Unknown identifier type "${type}". Use one of: ${indicatorTypes.join(', ')}.` },
    ]);
  }
  const result = normaliseIndicator(type as IndicatorType, raw, key);
  if (!result.ok) throw new ValidationError([{ path, message: result.reason }]);
  return result.indicator;
}

/** Claims and pools share the identifier's partition (restoration); optional for report-only callers. */
export interface IndicatorClaimReader {
  linkedClaims(
    type: IndicatorType,
    value: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<LinkedClaim>>;
  poolsSeizing(type: IndicatorType, value: string): Promise<string[]>;
}

export interface IndicatorView {
  type: IndicatorType;
  value: string;
  display: string;
  reports: (LinkedReport & { href: string })[];
  /** Restitution claims whose payments went to this identifier (first page; `claimsCursor` for more). */
  claims: (LinkedClaim & { href: string })[];
  /** Pools that seized this identifier. */
  seizedBy: { poolId: string; href: string }[];
  /** Totals over the reports (and claims) on this page. */
  summary: {
    reports: number;
    paidByCurrency: Record<string, number>;
    consentingToContact: number;
    claims: number;
  };
  cursor?: string;
  claimsCursor?: string;
}

export async function lookupIndicator(
  type: string,
  rawValue: string,
  opts: { limit?: string; cursor?: string; claimsCursor?: string },
  reader: ReportReader,
  indicatorKey: Uint8Array,
  claimReader?: IndicatorClaimReader,
): Promise<IndicatorView> {
  const indicator = normaliseLookup(type, rawValue, indicatorKey, 'value');
  const limit = opts.limit === undefined ? 100 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ValidationError([{ path: 'limit', message: 'Use a whole number from 1 to 500.' }]);
  }
  const page = await reader.linkedReports(indicator.type, indicator.value, { limit, cursor: opts.cursor });
  const claims = claimReader
    ? await claimReader.linkedClaims(indicator.type, indicator.value, {
        limit,
        ...(opts.claimsCursor ? { cursor: opts.claimsCursor } : {}),
      })
    : { items: [] };
  const seizedBy = claimReader ? await claimReader.poolsSeizing(indicator.type, indicator.value) : [];
  const paidByCurrency: Record<string, number> = {};
  for (const r of page.items)
    for (const p of r.paid) paidByCurrency[p.currency] = (paidByCurrency[p.currency] ?? 0) + p.amountCents;
  return {
    type: indicator.type,
    value: indicator.value,
    display: indicator.display,
    reports: page.items.map((r) => ({ ...r, href: `/v1/admin/reports/${r.reportId}` })),
    claims: claims.items.map((c) => ({ ...c, href: `/v1/admin/claims/${c.claimId}` })),
    seizedBy: seizedBy.map((poolId) => ({ poolId, href: `/v1/admin/pools/${poolId}` })),
    summary: {
      reports: page.items.length,
      paidByCurrency,
      consentingToContact: page.items.filter((r) => r.contactAboutRecovery).length,
      claims: claims.items.length,
    },
    ...(page.cursor ? { cursor: page.cursor } : {}),
    ...('cursor' in claims && claims.cursor ? { claimsCursor: claims.cursor } : {}),
  };
}
