/**
 * Use case: a person files a fraud report.
 *
 * 1. Validate the body against the report schema (shape, types, ranges, vocabularies).
 * 2. Check and normalise every identifier; bank and card numbers become keyed tokens here, so
 *    they never reach the queue or the table in clear.
 * 3. Assign an unguessable reference number and the time received.
 * 4. Put the report on the enrichment queue. This is the durable hand-off: if it fails, answer
 *    "unavailable" and keep nothing; once it succeeds the report will be stored even if step 5 fails.
 * 5. Record the report as RECEIVED so staff can see it before enrichment finishes (best effort).
 * 6. Answer with the reference number and next steps tailored to what happened.
 */
import type { PortalLanguage } from '../domain/enums.ts';
import { DomainError, ServiceUnavailableError } from '../domain/errors.ts';
import { newReportId } from '../domain/ids.ts';
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
}

export interface AcceptedReport {
  reportId: string;
  status: 'RECEIVED';
  receivedAt: string;
  nextSteps: NextStep[];
}

export interface SubmitReportDeps {
  queue: ReportQueue;
  store: ReceivedReportStore;
  now?: () => Date;
  newId?: () => string;
  /** Told when step 5 fails; the report is safe on the queue, so the caller still gets 202. */
  onStoreFailure?: (error: unknown) => void;
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

/** Steps 3-6, for a report that passed validation. */
export async function acceptReport(
  report: NormalisedReport,
  lang: PortalLanguage,
  deps: SubmitReportDeps,
): Promise<AcceptedReport> {
  const reportId = (deps.newId ?? newReportId)();
  const receivedAt = (deps.now?.() ?? new Date()).toISOString();

  try {
    await deps.queue.send(reportReceivedMessage(reportId, receivedAt, report.content));
  } catch (cause) {
    if (cause instanceof DomainError) throw cause; // e.g. too large: retrying would not help
    throw new ServiceUnavailableError('The report queue is unavailable', { cause });
  }

  try {
    await deps.store.putReceived(reportId, receivedAt, report.content);
  } catch (e) {
    deps.onStoreFailure?.(e);
  }

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
