/**
 * SQS consumer for the enrichment queue — primary adapter for the enrich-report use case.
 * Each record is parsed and validated on its own; a bad or failing record is reported back as a
 * batch item failure so only it is retried (and, after maxReceiveCount, lands in the DLQ).
 * A failed record is hidden for longer each time (retry-schedule.ts), so an outage of hours does
 * not use up its receives; on its last receive, the raw message is archived before SQS
 * dead-letters it (message-archive.ts), because the dead-letter queue drops it after 14 days.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { reportReceivedV1 } from '#shared/messages/report-received.ts';
import { retryDelaySeconds } from '#shared/queues/retry-schedule.ts';
import { MessageArchive } from '#shared/storage/message-archive.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import { enrichReport } from '#shared/use-cases/enrich-report.ts';
import { type MatchSubject, matchSubject } from '#shared/use-cases/match-pools.ts';
import { refreshSharedIndicators } from '#shared/use-cases/share-indicators.ts';
import { documentClient } from '../clients.ts';
import { config, required } from '../config.ts';
import { withDeadline } from '../deadline.ts';
import { mailingPoolRepository } from '../mail-outbox.ts';
import { describeError, metrics, logger as sharedLogger } from '../observability.ts';
import {
  claimRepository,
  reportRepository,
  sharedIndicatorRepository,
  statsRepository,
} from '../repositories.ts';
import { sqs } from '../sqs-client.ts';

// A logger of its own: where functions share a process (the local runtime), the shared one
// carries whichever function last set its context, and these lines must name this function.
const logger = sharedLogger.createChild();

const store = reportRepository();
// Built on first use: only a failing record needs them.
let archiveStore: MessageArchive | undefined;
const archiveOf = () => (archiveStore ??= new MessageArchive(documentClient, required('TABLE_NAME')));
const counter = statsRepository();
const matchDeps = { pools: mailingPoolRepository(), claims: claimRepository() };
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
const shared = sharedIndicatorRepository();
/** Partner sharing: consenting reports update the summaries the TAXII collection serves. */
const share = (links: readonly { type: string; value: string }[]) =>
  refreshSharedIndicators(links, { store: shared });
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

/** Time for the back-off or archive step after a record failed (kept back from the deadline). */
const SAFETY_STEP_MS = 1_500;

/** Hides a failed message until its next try; best effort (SQS retries it anyway). */
async function backOff(record: SQSRecord, receiveCount: number): Promise<void> {
  try {
    // Its own short deadline: the record's may be spent already (that may be why it failed).
    await withDeadline(Date.now() + SAFETY_STEP_MS, () =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: required('ENRICHMENT_QUEUE_URL'),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: retryDelaySeconds(receiveCount, config().RETRY_BASE_SECONDS),
        }),
      ),
    );
  } catch (e) {
    logger.warn('could not delay the retry of a failed record', {
      messageId: record.messageId,
      ...describeError(e),
    });
  }
}

/** Keeps the raw message before SQS dead-letters it; if this fails too, the DLQ still has it. */
async function archive(record: SQSRecord, receiveCount: number, error: unknown): Promise<void> {
  try {
    await withDeadline(Date.now() + SAFETY_STEP_MS, () =>
      archiveOf().keep({
        messageId: record.messageId,
        archivedAt: new Date().toISOString(),
        body: record.body,
        attributes: Object.fromEntries(
          Object.entries(record.messageAttributes ?? {}).flatMap(([k, v]) =>
            v.stringValue === undefined ? [] : [[k, v.stringValue]],
          ),
        ),
        receiveCount,
        reason: describeError(error).errorName,
      }),
    );
    logger.error('record archived before dead-lettering', { messageId: record.messageId, receiveCount });
    metrics.addMetric('EnrichmentArchived', MetricUnit.Count, 1);
  } catch (e) {
    logger.error('record could not be archived; it stays in the dead-letter queue', {
      messageId: record.messageId,
      ...describeError(e),
    });
  }
}

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
  try {
    const message = parseRecord(record);
    const result = await enrichReport(message, { store, match, share, counter });
    logger.info('report enriched', { reportId: result.reportId, links: result.links, receiveCount });
    metrics.addMetric('ReportsEnriched', MetricUnit.Count, 1);
  } catch (e) {
    logger.error('record failed', { messageId: record.messageId, receiveCount, ...describeError(e) });
    metrics.addMetric('EnrichmentFailures', MetricUnit.Count, 1);
    if (receiveCount >= enrichmentQueue.maxReceiveCount) await archive(record, receiveCount, e);
    // A poison message never succeeds: let it reach the dead-letter queue (and its alarm) soon.
    else if (!(e instanceof PoisonMessageError)) await backOff(record, receiveCount);
    throw e;
  }
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    // Each record's AWS calls stop before the timeout, so failures are reported per record (and
    // backed off) instead of the whole batch timing out.
    const deadline = Date.now() + context.getRemainingTimeInMillis() - 2 * SAFETY_STEP_MS;
    return await withDeadline(deadline, () =>
      processPartialResponse(event, recordHandler, processor, { context }),
    );
  } finally {
    metrics.publishStoredMetrics();
  }
};
