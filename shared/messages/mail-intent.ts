/**
 * The mail queue's message, version 1: one promised mail (domain/mail.ts `MailIntent`). Written
 * before the change it announces; the mailer validates it again before doing anything, so a
 * malformed message ends in the dead-letter queue instead of mailing junk.
 */
import * as z from 'zod/mini';
import { mailedStatuses } from '../domain/mail.ts';

export const MAIL_INTENT = 'restore.mail.intent';

const id = z.string().check(z.minLength(1), z.maxLength(200));
const iso = z.string().check(z.maxLength(40));

export const mailIntentV1 = z.object({
  type: z.literal(MAIL_INTENT),
  version: z.literal(1),
  intent: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('CLAIM_RECEIVED'),
      mailId: id,
      claimId: id,
      accessCode: z.string().check(z.minLength(1), z.maxLength(100)),
      recordedAt: iso,
    }),
    z.object({
      kind: z.enum(mailedStatuses),
      mailId: id,
      claimId: id,
      version: z.int().check(z.positive()),
      at: iso,
      recordedAt: iso,
    }),
    z.object({ kind: z.literal('INVITATION'), mailId: id, poolId: id, reportId: id, recordedAt: iso }),
  ]),
});

export type MailIntentV1 = z.output<typeof mailIntentV1>;
