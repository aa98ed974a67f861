/**
 * One mail as an RFC 5322 message (text and HTML alternatives), composed by nodemailer's
 * MailComposer: SES sends these bytes as a raw message, and the local runtime writes the same
 * bytes to an .eml file, so what a developer opens is what a claimant would get.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { mailToken } from '#shared/domain/mail.ts';
import type { OutgoingMail } from '#shared/use-cases/send-mail.ts';

/** Who a mail is from: the agency's name, shown by mail programs, and its sending address. */
export interface Sender {
  name: string;
  address: string;
}

export async function composeMime(mail: OutgoingMail, from: Sender, date = new Date()): Promise<Buffer> {
  const domain = from.address.split('@')[1] ?? 'localhost';
  return new MailComposer({
    // nodemailer quotes and encodes the name as RFC 5322 needs (commas, accents).
    from: { name: from.name, address: from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date,
    // The same mail keeps the same Message-ID, so a mail client shows a repeat as one message.
    messageId: `<${mailToken(mail.mailId)}@${domain}>`,
    headers: { 'Content-Language': mail.lang, 'Auto-Submitted': 'auto-generated' },
  })
    .compile()
    .build();
}
