/**
 * Use case: keep the summaries partners receive up to date as consenting reports arrive.
 *
 * 1. Keep the identifiers partners may receive (summary.ts `shareableTypes`).
 * 2. Recompute each one's summary from the indicator index and store it if it grew.
 * Recomputing rather than adding makes a redelivered report a no-op.
 */
import { isShareableType, type ShareableType } from '../domain/sharing/summary.ts';

export interface SharedSummaryStore {
  refresh(type: ShareableType, value: string, now: string): Promise<boolean>;
}

export async function refreshSharedIndicators(
  links: readonly { readonly type: string; readonly value: string }[],
  deps: { store: SharedSummaryStore; now?: () => Date },
): Promise<number> {
  const now = (deps.now?.() ?? new Date()).toISOString();
  let written = 0;
  for (const link of links) {
    if (!isShareableType(link.type)) continue;
    if (await deps.store.refresh(link.type, link.value, now)) written += 1;
  }
  return written;
}
