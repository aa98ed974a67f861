/**
 * SQS consumer for the enrichment queue — primary adapter for the enrich-report use case,
 * through the shared consumer loop (queue-consumer.ts). A failed record is hidden for longer each time (retry-schedule.ts), so an outage of hours does
 * not use up its receives; on its last receive, the raw message is archived before SQS
 * dead-letters it (message-archive.ts), because the dead-letter queue drops it after 14 days.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { reportReceivedV1 } from '#shared/messages/report-received.ts';
import { MessageArchive } from '#shared/storage/message-archive.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import { enrichReport } from '#shared/use-cases/enrich-report.ts';
import { type MatchSubject, matchSubject } from '#shared/use-cases/match-pools.ts';
import { refreshSharedIndicators } from '#shared/use-cases/share-indicators.ts';
import { documentClient } from '../clients.ts';
import { required } from '../config.ts';
import { mailingPoolRepository } from '../mail-outbox.ts';
import { describeError, metrics, logger as sharedLogger } from '../observability.ts';
import { queueConsumer, safetyStep } from '../queue-consumer.ts';
import {
  claimRepository,
  reportRepository,
  sharedIndicatorRepository,
  statsRepository,
} from '../repositories.ts';

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

/** Keeps the raw message before SQS dead-letters it; if this fails too, the DLQ still has it. */
async function archive(record: SQSRecord, receiveCount: number, error: unknown): Promise<void> {
  try {
    await safetyStep(() =>
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

export const handler = queueConsumer({
  queue: enrichmentQueue,
  schema: reportReceivedV1,
  messageName: 'report.received v1',
  logger,
  failureMetric: 'EnrichmentFailures',
  // The receives must outlast an outage of hours (shared/queues/retry-schedule.ts).
  backOffVia: 'ENRICHMENT_QUEUE_URL',
  // The dead-letter queue drops a message 14 days after it was first sent: keep it for good.
  onLastReceive: archive,
  run: async (message, receiveCount) => {
    const result = await enrichReport(message, { store, match, share, counter });
    logger.info('report enriched', { reportId: result.reportId, links: result.links, receiveCount });
    metrics.addMetric('ReportsEnriched', MetricUnit.Count, 1);
  },
});
