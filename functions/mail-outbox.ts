/**
 * The e-mail outbox for functions that change claims or create invitations (docs/email.md): their
 * claim and pool stores record each mail's intent on the mail queue before the change is written.
 * In its own module so functions that never mail do not bundle the SQS client for it.
 */
import { noMailOutbox, SqsMailOutbox } from '#shared/queues/mail-queue.ts';
import { type MailOutbox, mailClaimChanges, mailInvitations } from '#shared/use-cases/send-mail.ts';
import { config } from './config.ts';
import { type ClaimStore, type PoolsStore, providedOr } from './provided.ts';
import { claimRepository, poolRepository } from './repositories.ts';
import { sqs } from './sqs-client.ts';

/** The mail queue; a deployment without a sender (no MAIL_QUEUE_URL) records nothing. */
export const mailOutbox = (): MailOutbox =>
  providedOr('mail', () => {
    const queueUrl = config().MAIL_QUEUE_URL;
    return queueUrl ? new SqsMailOutbox(sqs, queueUrl) : noMailOutbox;
  });

/** Claims whose mailed changes (decisions, payments) record their mail first. */
export const mailingClaimRepository = (): ClaimStore => mailClaimChanges(claimRepository(), mailOutbox());

/** Pools whose new invitations record their mail first. */
export const mailingPoolRepository = (): PoolsStore => mailInvitations(poolRepository(), mailOutbox());
