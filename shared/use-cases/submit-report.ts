/**
 * Use case: a person files a fraud report.
 *
 * 1. Validate the body against the report schema (shape, types, ranges, vocabularies).
 * 2. Check and normalise every identifier; bank and card numbers become keyed tokens here, so
 *    they never reach the queue or the table in clear.
 * 3. Assign the reference number and the time received. With an Idempotency-Key the number is a
 *    keyed hash of the key, so every retry of one report gets the same number: if the report is
 *    already recorded, answer as the first time (same content) or refuse (different content).
 * 4. Put the report on the enrichment queue. This is the durable hand-off: if it fails, answer
 *    "unavailable" and keep nothing; once it succeeds the answer is 202 whatever happens next.
 *    A retry after a crash queues the same number again, and the consumer's idempotent writes
 *    store it once.
 * 5. Record the report as RECEIVED, only if absent (best effort): this one conditional write is
 *    also what the next retry of the key finds in step 3, so no separate idempotency record.
 * 6. Answer with the reference number and next steps tailored to what happened.
 */
import type { PortalLanguage } from '../domain/enums.ts';
import { DomainError, IdempotencyKeyReusedError, ServiceUnavailableError } from '../domain/errors.ts';
import { newReportId, REPORT_PREFIX, referenceFromDigest } from '../domain/ids.ts';
import { keyedHash } from '../domain/indicators/secret-hash.ts';
import { type NextStep, nextStepsFor } from '../domain/next-steps.ts';
import { type NormalisedReport, normaliseReport, type ReportContent } from '../domain/report.ts';
import { reportInputSchema } from '../domain/report-schema.ts';
import { parseWith } from '../domain/validation.ts';
import { type ReportReceivedV1, reportReceivedMessage } from '../messages/report-received.ts';

export interface ReportQueue {
  send(message: ReportReceivedV1): Promise<void>;
}

export interface ReceivedReportStore {
  /** Returns false if the report already exists. */
  putReceived(reportId: string, receivedAt: string, content: ReportContent): Promise<boolean>;
  /** The report as recorded (strongly consistent), if it is. */
  received(reportId: string): Promise<{ receivedAt: string; content: ReportContent } | undefined>;
}

export interface AcceptedReport {
  reportId: string;
  status: 'RECEIVED';
  receivedAt: string;
  nextSteps: NextStep[];
}

/** What acceptReport did, for the adapter's metrics; not part of the answer. */
export interface Acceptance {
  accepted: AcceptedReport;
  /** An earlier attempt with the same Idempotency-Key had recorded it: nothing new was queued. */
  replayed: boolean;
}

/** The reference number of the report filed with `idempotencyKey`: a keyed hash, so unguessable. */
export function reportIdForKey(indicatorKey: Uint8Array, idempotencyKey: string): string {
  return referenceFromDigest(REPORT_PREFIX, keyedHash(indicatorKey, `idempotency-key:${idempotencyKey}`));
}

/**
 * The key of a report sent without an Idempotency-Key: its content. A client that retries after
 * losing the answer (a dropped connection, a crash mid-request) sends the same content, so the
 * retry collapses onto the report already queued instead of filing it twice; a corrected report
 * differs, and is a new one.
 */
export function contentKey(content: ReportContent): string {
  return `content:${canonical(content)}`;
}

/** JSON with keys sorted: stored content comes back from DynamoDB in another key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export interface SubmitReportDeps {
  queue: ReportQueue;
  store: ReceivedReportStore;
  now?: () => Date;
  newId?: () => string;
  /** Told when step 5 fails; the report is safe on the queue, so the caller still gets 202. */
  onStoreFailure?: (error: unknown) => void;
  /** Runs the best-effort steps (3's read, 5) with a short deadline of their own. */
  bestEffort?: <T>(step: () => Promise<T>) => Promise<T>;
}

/** Steps 1-2: pure validation and normalisation. Throws ValidationError with field problems. */
export function validateReport(body: unknown, indicatorKey: Uint8Array): NormalisedReport {
  return normaliseReport(parseWith(reportInputSchema, body), indicatorKey);
}

/** The language for next steps: the filer's stated language, else the browser's, else English. */
export function replyLanguage(content: ReportContent, acceptLanguage?: string): PortalLanguage {
  const stated = content.filer?.language?.toLowerCase();
  if (stated) return stated.startsWith('es') ? 'es' : 'en';
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('es') ? 'es' : 'en';
}

/**
 * Steps 3-6, for a report that passed validation. `idempotencyKey` (already checked for shape)
 * makes the reference number the key's, so retries collapse onto one report.
 */
export async function acceptReport(
  report: NormalisedReport,
  lang: PortalLanguage,
  deps: SubmitReportDeps,
  idempotency?: { key: string; indicatorKey: Uint8Array },
): Promise<Acceptance> {
  const bestEffort = deps.bestEffort ?? (<T>(step: () => Promise<T>) => step());
  const reportId = idempotency
    ? reportIdForKey(idempotency.indicatorKey, idempotency.key)
    : (deps.newId ?? newReportId)();
  const answer = (receivedAt: string, replayed: boolean): Acceptance => ({
    accepted: acceptedReport(reportId, receivedAt, report, lang),
    replayed,
  });
  const recorded = async () => {
    try {
      return await bestEffort(() => deps.store.received(reportId));
    } catch {
      return undefined; // the table is down: the queue decides below
    }
  };

  if (idempotency) {
    const earlier = await recorded();
    if (earlier) {
      if (canonical(earlier.content) !== canonical(report.content)) throw new IdempotencyKeyReusedError();
      return answer(earlier.receivedAt, true);
    }
  }

  const receivedAt = (deps.now?.() ?? new Date()).toISOString();
  try {
    await deps.queue.send(reportReceivedMessage(reportId, receivedAt, report.content));
  } catch (cause) {
    if (cause instanceof DomainError) throw cause; // e.g. too large: retrying would not help
    throw new ServiceUnavailableError('The report queue is unavailable', { cause });
  }

  // Queued: from here on the answer is 202 (or 422 for a key reused with other content).
  let created: boolean;
  try {
    created = await bestEffort(() => deps.store.putReceived(reportId, receivedAt, report.content));
  } catch (e) {
    deps.onStoreFailure?.(e);
    return answer(receivedAt, false);
  }
  if (!created && idempotency) {
    // A racing attempt with the same key (or the consumer) recorded it first.
    const earlier = await recorded();
    if (earlier && canonical(earlier.content) !== canonical(report.content))
      throw new IdempotencyKeyReusedError();
    if (earlier) return answer(earlier.receivedAt, true);
  }
  return answer(receivedAt, false);
}

function acceptedReport(
  reportId: string,
  receivedAt: string,
  report: NormalisedReport,
  lang: PortalLanguage,
): AcceptedReport {
  const { content } = report;
  return {
    reportId,
    status: 'RECEIVED',
    receivedAt,
    nextSteps: nextStepsFor(
      {
        category: content.incident.category,
        paymentMethods: content.payments.map((p) => p.method),
        recipientKinds: content.payments.flatMap((p) => (p.recipient ? [p.recipient.kind] : [])),
        payments: content.payments.map((p) => ({ method: p.method, recipientKind: p.recipient?.kind })),
      },
      lang,
    ),
  };
}
