/**
 * POST /v1/reports — primary adapter for the submit-report use case.
 * Parse the HTTP request, run the use case, map the result to 202. The use case derives the
 * report's number from the Idempotency-Key (or, without one, from the report's content) and the
 * report's own conditional write answers retries (submit-report.ts): no separate record.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { totalsByCurrency } from '#shared/domain/report.ts';
import { SqsReportQueue } from '#shared/queues/report-queue.ts';
import { acceptReport, contentKey, replyLanguage, validateReport } from '#shared/use-cases/submit-report.ts';
import { required } from '../config.ts';
import { timeLeftMs, withDeadline } from '../deadline.ts';
import { type ApiEvent, apiHandler } from '../http/api-handler.ts';
import { HttpError } from '../http/errors.ts';
import { header, readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { providedOr } from '../provided.ts';
import { reportRepository } from '../repositories.ts';
import { sqs } from '../sqs-client.ts';

/** The table steps around the queue send are best effort: they never hold the answer long. */
const BEST_EFFORT_MS = 2_000;

const deps = {
  queue: providedOr('reportQueue', () => new SqsReportQueue(sqs, required('ENRICHMENT_QUEUE_URL'))),
  store: reportRepository(),
  onStoreFailure: (e: unknown) => {
    // The report is safe on the queue and the consumer will store it; note it for operators.
    logger.warn('RECEIVED record not written; enrichment will create it', describeError(e));
    metrics.addMetric('ReceivedWriteFailed', MetricUnit.Count, 1);
  },
  bestEffort: <T>(step: () => Promise<T>) =>
    withDeadline(Date.now() + Math.min(BEST_EFFORT_MS, timeLeftMs() ?? BEST_EFFORT_MS), step),
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,255}$/;

export const handler = apiHandler({
  'POST /v1/reports': async ({ event }) => file(event),

  // The helpline: the same report and checks, filed by staff for a caller and marked as such.
  'POST /v1/admin/assisted/reports': async ({ event, caller }) =>
    file(event, { by: caller!.sub, ...(caller!.email ? { email: caller!.email } : {}) }),
});

async function file(event: ApiEvent, assisted?: { by: string; email?: string }) {
  const body = readJsonObject(event);
  const key = await indicatorKey();
  const validated = validateReport(body, key);
  const report = assisted ? { ...validated, content: { ...validated.content, assisted } } : validated;
  const lang = replyLanguage(report.content, header(event, 'accept-language'));
  const idempotencyKey = header(event, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new HttpError(
      400,
      'INVALID_IDEMPOTENCY_KEY',
      'The Idempotency-Key header must be 8 to 255 visible characters, such as a UUID.',
    );
  }
  const { accepted, replayed } = await acceptReport(report, lang, deps, {
    key: idempotencyKey ?? contentKey(report.content),
    indicatorKey: key,
  });
  // A replayed answer (same key, already recorded) is not counted twice on the dashboard.
  if (!replayed) {
    metrics.addMetric('ReportsReceived', MetricUnit.Count, 1);
    // For the dashboard's "losses reported": USD only, so the sum means something.
    const lossUsd = totalsByCurrency(report.content.payments)['USD'] ?? 0;
    if (lossUsd > 0) metrics.addMetric('LossesReportedCents', MetricUnit.Count, lossUsd);
  }
  return json(202, accepted);
}
