/**
 * SQS consumer for the enrichment queue — primary adapter for the enrich-report use case.
 * Each record is parsed and validated on its own; a bad or failing record is reported back as a
 * batch item failure so only it is retried (and, after maxReceiveCount, lands in the DLQ).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { reportReceivedV1 } from '#shared/messages/report-received.ts';
import { enrichReport } from '#shared/use-cases/enrich-report.ts';
import { type MatchSubject, matchSubject } from '#shared/use-cases/match-pools.ts';
import { describeError, metrics, logger as sharedLogger } from '../observability.ts';
import { claimRepository, poolRepository, reportRepository, statsRepository } from '../repositories.ts';

// A logger of its own: where functions share a process (the local runtime), the shared one
// carries whichever function last set its context, and these lines must name this function.
const logger = sharedLogger.createChild();

const store = reportRepository();
const counter = statsRepository();
const matchDeps = { pools: poolRepository(), claims: claimRepository() };
/** Restoration: a new report is matched against open pools that seized one of its identifiers. */
const match = async (subject: MatchSubject) => {
  const result = await matchSubject(subject, matchDeps);
  if (result.matches > 0) {
    logger.info('report matched pools', {
      reportId: subject.id,
      pools: result.poolIds.length,
      invitationsCreated: result.invitationsCreated,
    });
  }
};
const processor = new BatchProcessor(EventType.SQS);

/** A message that can never be processed: retrying will not help, so say so plainly in the logs. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

function parseRecord(record: SQSRecord) {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError('Message body is not JSON');
  }
  const result = z.safeParse(reportReceivedV1, body);
  if (!result.success) {
    // Paths only: the values may be a victim's data.
    const paths = result.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(root)');
    throw new PoisonMessageError(`Message does not match report.received v1 at ${paths.join(', ')}`);
  }
  return result.data;
}

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
  try {
    const message = parseRecord(record);
    const result = await enrichReport(message, { store, match, counter });
    logger.info('report enriched', { reportId: result.reportId, links: result.links, receiveCount });
    metrics.addMetric('ReportsEnriched', MetricUnit.Count, 1);
  } catch (e) {
    logger.error('record failed', { messageId: record.messageId, receiveCount, ...describeError(e) });
    metrics.addMetric('EnrichmentFailures', MetricUnit.Count, 1);
    throw e;
  }
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
