/**
 * SES publishes the sent, bounce and complaint events of the configuration set to EventBridge;
 * this function takes each one (the rule in infra/stacks/mail-stack.ts matches only ours). It adds
 * the address of a permanent bounce or a complaint to the suppression list, which the mailer reads
 * before every send, and marks a mail SES took as SENT in the ledger (docs/email.md). A throw makes
 * EventBridge retry; applying an event twice is harmless.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { MAIL_TAG } from '#shared/domain/mail.ts';
import { applyMailEvent, type MailEvent } from '#shared/use-cases/send-mail.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { mailRepository } from '../repositories.ts';

const ledger = mailRepository();

const recipient = z.object({ emailAddress: z.string() });

/** The parts of SES's "Email Sent", "Email Bounced" and "Email Complaint Received" events read here. */
export const sesEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.string(),
    mail: z.optional(
      z.object({
        timestamp: z.optional(z.string()),
        tags: z.optional(z.record(z.string(), z.array(z.string()))),
      }),
    ),
    bounce: z.optional(
      z.object({
        bounceType: z.string(),
        bouncedRecipients: z.array(recipient),
        timestamp: z.optional(z.string()),
      }),
    ),
    complaint: z.optional(
      z.object({ complainedRecipients: z.array(recipient), timestamp: z.optional(z.string()) }),
    ),
  }),
});

export function toMailEvent(detail: z.output<typeof sesEvent>['detail'], now: Date): MailEvent {
  if (detail.eventType === 'Send') {
    const token = detail.mail?.tags?.[MAIL_TAG]?.[0];
    return {
      kind: 'SENT',
      ...(token && /^[0-9a-f]{32}$/.test(token) ? { token } : {}),
      recipients: [],
      at: detail.mail?.timestamp ?? now.toISOString(),
    };
  }
  if (detail.eventType === 'Bounce' && detail.bounce) {
    return {
      kind: 'BOUNCE',
      bounceType: detail.bounce.bounceType,
      recipients: detail.bounce.bouncedRecipients.map((r) => r.emailAddress),
      at: detail.bounce.timestamp ?? now.toISOString(),
    };
  }
  if (detail.eventType === 'Complaint' && detail.complaint) {
    return {
      kind: 'COMPLAINT',
      recipients: detail.complaint.complainedRecipients.map((r) => r.emailAddress),
      at: detail.complaint.timestamp ?? now.toISOString(),
    };
  }
  return { kind: 'OTHER', recipients: [], at: now.toISOString() };
}

export type MailEventOutcome = 'SUPPRESSED' | 'CONFIRMED' | 'NONE';

export const handler = async (event: unknown): Promise<{ outcome: MailEventOutcome; suppressed: number }> => {
  const parsed = z.safeParse(sesEvent, event);
  if (!parsed.success) {
    logger.warn('not an SES mail event; ignored');
    return { outcome: 'NONE', suppressed: 0 };
  }
  const mailEvent = toMailEvent(parsed.data.detail, new Date());
  try {
    const { suppressed, confirmed } = await applyMailEvent(mailEvent, ledger);
    // Never the address or the mail: only what happened and how many.
    logger.info('mail event', {
      kind: mailEvent.kind,
      bounceType: mailEvent.bounceType,
      suppressed,
      confirmed,
    });
    if (suppressed > 0) metrics.addMetric('MailAddressesSuppressed', MetricUnit.Count, suppressed);
    return { outcome: suppressed > 0 ? 'SUPPRESSED' : confirmed ? 'CONFIRMED' : 'NONE', suppressed };
  } catch (e) {
    logger.error('mail event not applied; EventBridge will retry', describeError(e));
    throw e;
  } finally {
    metrics.publishStoredMetrics();
  }
};
