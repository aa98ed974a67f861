/**
 * SQS consumer for the mail queue — primary adapter for deliverMail (shared/use-cases/send-mail.ts).
 * Each record is one promised mail. A change not written yet is looked for again within seconds; a
 * mail another attempt holds waits for its lease; anything else (SES refusing, throttling) backs
 * off on the retry schedule; a malformed record goes to the dead-letter queue.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { mailIntentV1 } from '#shared/messages/mail-intent.ts';
import { mailQueue } from '#shared/storage/tables.ts';
import {
  deliverMail,
  LEASE_SECONDS,
  MailBusyError,
  MailNotReadyError,
  type MailTransport,
} from '#shared/use-cases/send-mail.ts';
import { config, required } from '../config.ts';
import { metrics, logger as sharedLogger } from '../observability.ts';
import { providedOr } from '../provided.ts';
import { queueConsumer } from '../queue-consumer.ts';
import { claimRepository, mailRepository, poolRepository, reportRepository } from '../repositories.ts';
import { SesMailTransport } from './ses-transport.ts';

const logger = sharedLogger.createChild();

const transport = (): MailTransport =>
  providedOr(
    'mailTransport',
    () =>
      new SesMailTransport(
        { name: config().AGENCY_NAME, address: required('MAIL_FROM') },
        required('MAIL_CONFIGURATION_SET'),
      ),
  );

const deps = {
  ledger: mailRepository(),
  transport: transport(),
  claims: claimRepository(),
  pools: poolRepository(),
  reports: reportRepository(),
  settings: {
    baseUrl: config().MAIL_SITE_URL ?? config().PUBLIC_BASE_URL ?? '',
    agencyName: config().AGENCY_NAME,
  },
};

/**
 * A change is usually written milliseconds after its intent: look again after 2 s, doubling up to
 * a minute (until GRACE_SECONDS says it never happened). A held mail waits out the lease.
 */
function delayFor(error: unknown, receiveCount: number): number | undefined {
  if (error instanceof MailNotReadyError) return Math.min(60, 2 ** Math.max(1, receiveCount));
  if (error instanceof MailBusyError) return LEASE_SECONDS;
  return undefined;
}

export const handler = queueConsumer({
  queue: mailQueue,
  schema: mailIntentV1,
  messageName: 'restore.mail.intent v1',
  logger,
  failureMetric: 'MailFailures',
  backOffVia: 'MAIL_QUEUE_URL',
  delayFor,
  run: async ({ intent }) => {
    const outcome = await deliverMail(intent, deps);
    // The kind and outcome only: the mail id names a claim, the address a person.
    logger.info('mail handled', { kind: intent.kind, outcome });
    metrics.addMetric(outcome === 'SENT' ? 'MailSent' : 'MailNotSent', MetricUnit.Count, 1);
  },
});
