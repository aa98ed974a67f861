/**
 * Use case: store a queued report and link it to every other report that shares an identifier.
 *
 * 1. Derive the indicator links from the (already normalised) report: one per distinct
 *    identifier, with the roles it played and what was paid to it.
 * 2. Write one index item per link (identical overwrites: re-delivery is harmless).
 * 3. If the filer agreed to share with law enforcement, refresh the shared summary of each of
 *    its identifiers that partners receive (share-indicators.ts; recomputed, so idempotent).
 * 4. Match the report against open pools that seized one of its identifiers, and invite the
 *    victim to claim if they agreed to be contacted (match-pools.ts; idempotent puts).
 * 5. Count it in the dashboard's weekly and per-identifier counters (dashboard.ts): each counter
 *    item remembers the reports it counted, so a redelivered message adds nothing.
 * 6. Mark the report ENRICHED, creating it from the message if intake's own write is missing.
 *
 * Steps run in this order so that ENRICHED always means "its links exist, it was matched and
 * counted". Every step is
 * idempotent, so a duplicate or late message changes nothing and a crash mid-way is repaired
 * by the redelivery.
 */
import { type IndicatorLink, linksOf, type ReportContent } from '../domain/report-content.ts';
import type { ReportReceivedV1 } from '../messages/report-received.ts';
import { countReport, type ReportCounter } from './dashboard.ts';
import type { MatchSubject } from './match-pools.ts';

export interface EnrichmentStore {
  putLinks(
    reportId: string,
    receivedAt: string,
    content: ReportContent,
    links: readonly IndicatorLink[],
  ): Promise<void>;
  markEnriched(
    reportId: string,
    receivedAt: string,
    content: ReportContent,
    enrichedAt: string,
  ): Promise<void>;
}

export interface EnrichResult {
  reportId: string;
  links: number;
}

export async function enrichReport(
  message: ReportReceivedV1,
  deps: {
    store: EnrichmentStore;
    match?: (subject: MatchSubject) => Promise<unknown>;
    share?: (links: readonly IndicatorLink[]) => Promise<unknown>;
    counter?: ReportCounter;
    now?: () => Date;
  },
): Promise<EnrichResult> {
  const { reportId, receivedAt, content } = message;
  const links = linksOf(content);
  await deps.store.putLinks(reportId, receivedAt, content, links);
  if (content.consents.shareWithLawEnforcement) await deps.share?.(links);
  await deps.match?.({
    kind: 'REPORT',
    id: reportId,
    at: receivedAt,
    links,
    contactAboutRecovery: content.consents.contactAboutRecovery,
  });
  if (deps.counter) await countReport(deps.counter, reportId, receivedAt, content, links);
  await deps.store.markEnriched(reportId, receivedAt, content, (deps.now?.() ?? new Date()).toISOString());
  return { reportId, links: links.length };
}
