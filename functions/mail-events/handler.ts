/**
 * SES publishes bounce and complaint events of the configuration set to EventBridge; this function
 * takes each one (the rule in infra/stacks/mail-stack.ts matches only ours) and adds the address
 * of a permanent bounce or a complaint to the suppression list, which the mailer reads before
 * every send (docs/email.md). A throw makes EventBridge retry; suppressing twice is harmless.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { type MailEvent, suppressFromEvent } from '#shared/use-cases/send-mail.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { mailRepository } from '../repositories.ts';

const ledger = mailRepository();

const recipient = z.object({ emailAddress: z.string() });

/** The parts of SES's "Email Bounced" and "Email Complaint Received" events this function reads. */
export const sesEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.string(),
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

export const handler = async (
  event: unknown,
): Promise<{ outcome: 'SUPPRESSED' | 'NONE'; suppressed: number }> => {
  const parsed = z.safeParse(sesEvent, event);
  if (!parsed.success) {
    logger.warn('not an SES mail event; ignored');
    return { outcome: 'NONE', suppressed: 0 };
  }
  const mailEvent = toMailEvent(parsed.data.detail, new Date());
  try {
    const suppressed = await suppressFromEvent(mailEvent, ledger);
    // Never the address: only what happened and how many.
    logger.info('mail event', { kind: mailEvent.kind, bounceType: mailEvent.bounceType, suppressed });
    if (suppressed > 0) metrics.addMetric('MailAddressesSuppressed', MetricUnit.Count, suppressed);
    return { outcome: suppressed > 0 ? 'SUPPRESSED' : 'NONE', suppressed };
  } catch (e) {
    logger.error('mail event not applied; EventBridge will retry', describeError(e));
    throw e;
  } finally {
    metrics.publishStoredMetrics();
  }
};
