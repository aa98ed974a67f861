/**
 * SQS consumer for the mail queue — primary adapter for deliverMail (shared/use-cases/send-mail.ts).
 * Each record is one promised mail. A change not written yet, or a mail another attempt holds, is
 * hidden for a while and retried; a malformed record goes to the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { mailIntentV1 } from '#shared/messages/mail-intent.ts';
import {
  deliverMail,
  LEASE_SECONDS,
  MailBusyError,
  MailNotReadyError,
  type MailTransport,
} from '#shared/use-cases/send-mail.ts';
import { config, required } from '../config.ts';
import { describeError, metrics, logger as sharedLogger } from '../observability.ts';
import { providedOr } from '../provided.ts';
import { claimRepository, mailRepository, poolRepository, reportRepository } from '../repositories.ts';
import { sqs } from '../sqs-client.ts';
import { SesMailTransport } from './ses-transport.ts';

const logger = sharedLogger.createChild();

/**
 * How long a change that is not written yet waits before it is looked for again: it is usually
 * written a few milliseconds after its intent, so 2 s, then doubling up to a minute.
 */
const notReadyDelay = (receiveCount: number) => Math.min(60, 2 ** Math.max(1, receiveCount));

const transport = (): MailTransport =>
  providedOr(
    'mailTransport',
    () => new SesMailTransport(required('MAIL_FROM'), required('MAIL_CONFIGURATION_SET')),
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
const processor = new BatchProcessor(EventType.SQS);

async function delay(record: SQSRecord, seconds: number): Promise<void> {
  try {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: required('MAIL_QUEUE_URL'),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  } catch (e) {
    logger.warn('could not delay the retry of a mail', { messageId: record.messageId, ...describeError(e) });
  }
}

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const parsed = z.safeParse(mailIntentV1, JSON.parse(record.body));
  if (!parsed.success) throw new Error('Message does not match restore.mail.intent v1');
  const { intent } = parsed.data;
  try {
    const outcome = await deliverMail(intent, deps);
    // The kind and outcome only: the mail id names a claim, the address a person.
    logger.info('mail handled', { kind: intent.kind, outcome });
    metrics.addMetric(`Mail${outcome === 'SENT' ? 'Sent' : 'NotSent'}`, MetricUnit.Count, 1);
  } catch (e) {
    if (e instanceof MailNotReadyError) {
      await delay(record, notReadyDelay(Number(record.attributes.ApproximateReceiveCount ?? '1')));
    } else if (e instanceof MailBusyError) await delay(record, LEASE_SECONDS);
    else logger.error('mail failed', { kind: intent.kind, ...describeError(e) });
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
