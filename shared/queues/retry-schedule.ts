/**
 * When a queued report that failed is tried again. SQS alone retries after the visibility timeout
 * (3 minutes here), so `maxReceiveCount` receives last a quarter of an hour: a DynamoDB or
 * enrichment outage longer than that would send every accepted report to the dead-letter queue.
 * The consumer instead hides a failed message for longer each time (doubling from a minute, at
 * most 6 hours), so the receives last about a day before the dead-letter queue takes it.
 */
import { enrichmentQueue } from '../storage/tables.ts';

export const RETRY_BASE_SECONDS = 60;
export const RETRY_MAX_SECONDS = 6 * 3600;

/**
 * How long to hide a message that just failed its `receiveCount`-th receive (1-based). `base`
 * is shortened only by local evidence runs (RETRY_BASE_SECONDS), which cannot wait minutes.
 */
export function retryDelaySeconds(receiveCount: number, base = RETRY_BASE_SECONDS): number {
  const n = Math.max(1, Math.floor(receiveCount));
  return Math.min(base * 2 ** Math.min(n - 1, 30), RETRY_MAX_SECONDS);
}

/** Seconds from the first failure until the last receive fails: how long an outage may last. */
export function retryPatienceSeconds(maxReceiveCount = enrichmentQueue.maxReceiveCount): number {
  let total = 0;
  for (let n = 1; n < maxReceiveCount; n++) total += retryDelaySeconds(n);
  return total;
}
