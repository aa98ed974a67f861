/**
 * POST /v1/reports — primary adapter for the submit-report use case.
 * Parse the HTTP request, run the use case (idempotently when the caller sends an
 * Idempotency-Key), map the result to 202.
 */
import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PortalLanguage } from '#shared/domain/enums.ts';
import { ServiceUnavailableError } from '#shared/domain/errors.ts';
import { type NormalisedReport, totalsByCurrency } from '#shared/domain/report.ts';
import { SqsReportQueue } from '#shared/queues/report-queue.ts';
import {
  type AcceptedReport,
  acceptReport,
  replyLanguage,
  validateReport,
} from '#shared/use-cases/submit-report.ts';
import { dynamo } from '../clients.ts';
import { required } from '../config.ts';
import { apiHandler } from '../http/api-handler.ts';
import { HttpError } from '../http/errors.ts';
import { header, readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { providedOr } from '../provided.ts';
import { reportRepository } from '../repositories.ts';
import { sqs } from '../sqs-client.ts';

const deps = {
  queue: providedOr('reportQueue', () => new SqsReportQueue(sqs, required('ENRICHMENT_QUEUE_URL'))),
  store: reportRepository(),
  onStoreFailure: (e: unknown) => {
    // The report is safe on the queue and the consumer will store it; note it for operators.
    logger.warn('RECEIVED record not written; enrichment will create it', describeError(e));
    metrics.addMetric('ReceivedWriteFailed', MetricUnit.Count, 1);
  },
};

/**
 * Accepts a report and counts it. Inside the idempotent wrapper, so a replayed answer (same
 * Idempotency-Key) is not counted twice on the dashboard.
 */
async function accept(report: NormalisedReport, lang: PortalLanguage): Promise<AcceptedReport> {
  const accepted = await acceptReport(report, lang, deps);
  metrics.addMetric('ReportsReceived', MetricUnit.Count, 1);
  // For the dashboard's "losses reported": USD only, so the sum means something.
  const lossUsd = totalsByCurrency(report.content.payments)['USD'] ?? 0;
  if (lossUsd > 0) metrics.addMetric('LossesReportedCents', MetricUnit.Count, lossUsd);
  return accepted;
}

interface AcceptArgs {
  idempotencyKey: string;
  payloadHash: string;
  report: NormalisedReport;
  lang: PortalLanguage;
}

const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'idempotencyKey',
  // The same key with a different report is a client bug, not a retry: refuse it.
  payloadValidationJmesPath: 'payloadHash',
  expiresAfterSeconds: 24 * 60 * 60,
});

const acceptIdempotently = makeIdempotent(
  async (args: AcceptArgs): Promise<AcceptedReport> => accept(args.report, args.lang),
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: required('IDEMPOTENCY_TABLE_NAME'),
      awsSdkV3Client: dynamo,
    }),
    config: idempotencyConfig,
  },
);

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,255}$/;

export const handler = apiHandler({
  'POST /v1/reports': async ({ event, context }) => {
    const body = readJsonObject(event);
    const report = validateReport(body, await indicatorKey());
    const lang = replyLanguage(report.content, header(event, 'accept-language'));
    const key = header(event, 'idempotency-key');

    let accepted: AcceptedReport;
    if (key === undefined) {
      accepted = await accept(report, lang);
    } else {
      if (!IDEMPOTENCY_KEY.test(key)) {
        throw new HttpError(
          400,
          'INVALID_IDEMPOTENCY_KEY',
          'The Idempotency-Key header must be 8 to 255 visible characters, such as a UUID.',
        );
      }
      idempotencyConfig.registerLambdaContext(context);
      const payloadHash = createHash('sha256').update(JSON.stringify(report.content)).digest('base64url');
      try {
        accepted = await acceptIdempotently({ idempotencyKey: key, payloadHash, report, lang });
      } catch (e) {
        throw mapIdempotencyError(e);
      }
    }
    return json(202, accepted);
  },
});

function mapIdempotencyError(e: unknown): unknown {
  if (e instanceof IdempotencyAlreadyInProgressError) {
    return new HttpError(
      409,
      'REQUEST_IN_PROGRESS',
      'This report is still being sent. Wait a few seconds, then try again.',
      {
        headers: { 'retry-after': '2' },
      },
    );
  }
  if (e instanceof IdempotencyValidationError) {
    return new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different report. Use a new key for a new report.',
    );
  }
  if (e instanceof IdempotencyPersistenceLayerError) {
    // The idempotency table could not be read or written, so the report was not kept.
    return new ServiceUnavailableError('Idempotency store unavailable', { cause: e });
  }
  return e;
}
