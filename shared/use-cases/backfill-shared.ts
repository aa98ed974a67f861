/**
 * Use case: build the shared-indicator summaries of reports enriched before summaries existed
 * (or while sharing was switched off), which enrichment alone refreshes only when a new
 * consenting report names the same identifier.
 *
 * 1. Walk the enriched reports received in a range, newest first, a page at a time.
 * 2. For each report whose filer agreed to share with law enforcement, refresh the summaries of
 *    its identifiers partners receive (share-indicators.ts): each is recomputed from the
 *    indicator index and written only if it counts more reports, so running the backfill twice
 *    changes nothing, and it can run while new reports arrive.
 * 3. Record a checkpoint (the range, the page cursor, counts) after every page: an interrupted
 *    run resumes after the last page it finished; a finished one starts over only when asked.
 */

import type { Page } from '../domain/page.ts';
import { linksOf, type StoredReport } from '../domain/report-content.ts';
import { isShareableType } from '../domain/sharing/summary.ts';
import { refreshSharedIndicators, type SharedSummaryStore } from './share-indicators.ts';

export interface BackfillReports {
  searchByTime(opts: {
    from: string;
    to: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<StoredReport>>;
}

export interface BackfillCheckpoint {
  readonly from: string;
  readonly to: string;
  /** The next page of reports; absent before the first page and after the last. */
  readonly cursor?: string;
  readonly done: boolean;
  readonly reports: number;
  readonly consenting: number;
  /** Identifiers refreshed, and how many of those refreshes wrote a new or larger summary. */
  readonly refreshed: number;
  readonly written: number;
  readonly startedAt: string;
  readonly updatedAt: string;
}

export interface BackfillCheckpointStore {
  get(): Promise<BackfillCheckpoint | undefined>;
  put(checkpoint: BackfillCheckpoint): Promise<void>;
}

export interface BackfillDeps {
  reports: BackfillReports;
  store: SharedSummaryStore;
  checkpoints: BackfillCheckpointStore;
  now?: () => Date;
  /** After each page, with the checkpoint just recorded. */
  onPage?: (checkpoint: BackfillCheckpoint) => void;
}

export interface BackfillOptions {
  /** Earliest report to visit (default: all). */
  readonly from?: string;
  /** Start again from the newest report, even if a run finished or stopped half-way. */
  readonly restart?: boolean;
  readonly pageSize?: number;
  /** Stop after this many pages (the checkpoint says where to go on). */
  readonly maxPages?: number;
}

const EARLIEST = '2000-01-01T00:00:00.000Z';
const PAGE_SIZE = 100;

export async function backfillSharedSummaries(
  opts: BackfillOptions,
  deps: BackfillDeps,
): Promise<BackfillCheckpoint> {
  const clock = () => (deps.now?.() ?? new Date()).toISOString();
  const saved = opts.restart ? undefined : await deps.checkpoints.get();
  const fresh = (): BackfillCheckpoint => {
    const now = clock();
    return {
      from: opts.from ?? EARLIEST,
      to: now,
      done: false,
      reports: 0,
      consenting: 0,
      refreshed: 0,
      written: 0,
      startedAt: now,
      updatedAt: now,
    };
  };
  // A finished run is not repeated by accident; a stopped one goes on with its own range.
  if (saved?.done) return saved;
  let checkpoint = saved ?? fresh();
  for (let pages = 0; opts.maxPages === undefined || pages < opts.maxPages; pages++) {
    const page = await deps.reports.searchByTime({
      from: checkpoint.from,
      to: checkpoint.to,
      limit: opts.pageSize ?? PAGE_SIZE,
      ...(checkpoint.cursor ? { cursor: checkpoint.cursor } : {}),
    });
    const consenting = page.items.filter(
      (r) => r.status === 'ENRICHED' && r.content.consents.shareWithLawEnforcement,
    );
    // An identifier named by several reports of the page is refreshed once.
    const links = [
      ...new Map(
        consenting
          .flatMap((r) => linksOf(r.content))
          .filter((l) => isShareableType(l.type))
          .map((l) => [`${l.type}\u0000${l.value}`, l]),
      ).values(),
    ];
    const written = await refreshSharedIndicators(links, {
      store: deps.store,
      ...(deps.now ? { now: deps.now } : {}),
    });
    const { cursor: _previous, ...rest } = checkpoint;
    checkpoint = {
      ...rest,
      ...(page.cursor ? { cursor: page.cursor } : {}),
      done: !page.cursor,
      reports: checkpoint.reports + page.items.length,
      consenting: checkpoint.consenting + consenting.length,
      refreshed: checkpoint.refreshed + links.length,
      written: checkpoint.written + written,
      updatedAt: clock(),
    };
    await deps.checkpoints.put(checkpoint);
    deps.onPage?.(checkpoint);
    if (checkpoint.done) break;
  }
  return checkpoint;
}
