/** Sends a composed mail through Amazon SES v2 with the deployment's configuration set. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MAIL_TAG, mailToken } from '#shared/domain/mail.ts';
import type { MailTransport, OutgoingMail } from '#shared/use-cases/send-mail.ts';
import { requestHandler } from '../clients.ts';
import { composeMime, type Sender } from './compose.ts';

export class SesMailTransport implements MailTransport {
  readonly #ses: SESv2Client;
  readonly #from: Sender;
  readonly #configurationSet: string;

  constructor(
    from: Sender,
    configurationSet: string,
    ses = new SESv2Client({ maxAttempts: 3, requestHandler }),
  ) {
    this.#ses = ses;
    this.#from = from;
    this.#configurationSet = configurationSet;
  }

  async send(mail: OutgoingMail): Promise<string> {
    const raw = await composeMime(mail, this.#from);
    const res = await this.#ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from.address,
        Destination: { ToAddresses: [mail.to] },
        Content: { Raw: { Data: raw } },
        ConfigurationSetName: this.#configurationSet,
        // SES's events carry these back (mail-events): which kind, which mail (its ledger key).
        EmailTags: [
          { Name: 'restore-kind', Value: mail.kind },
          { Name: MAIL_TAG, Value: mailToken(mail.mailId) },
        ],
      }),
    );
    return res.MessageId ?? '';
  }
}
