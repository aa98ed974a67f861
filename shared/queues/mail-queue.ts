/** The mail queue as the outbox the use cases record intents in (use-cases/send-mail.ts). */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MailIntent } from '../domain/mail.ts';
import { MAIL_INTENT, type MailIntentV1 } from '../messages/mail-intent.ts';
import type { MailOutbox } from '../use-cases/send-mail.ts';

/** SQS's cap on one SendMessageBatch. */
const BATCH = 10;

export class SqsMailOutbox implements MailOutbox {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async record(intents: readonly MailIntent[]): Promise<void> {
    for (let i = 0; i < intents.length; i += BATCH) {
      const part = intents.slice(i, i + BATCH);
      const res = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: part.map((intent, n) => {
            const body: MailIntentV1 = { type: MAIL_INTENT, version: 1, intent };
            return {
              Id: String(n),
              MessageBody: JSON.stringify(body),
              // The mail id is the deduplication key; kept as an attribute for operators.
              MessageAttributes: { mailId: { DataType: 'String', StringValue: intent.mailId } },
            };
          }),
        }),
      );
      // All or an error: the caller must not write its change unless every intent is kept.
      if ((res.Failed ?? []).length > 0) {
        throw new Error(`The mail queue refused ${res.Failed?.length} of ${part.length} intents`);
      }
    }
  }
}

/** A deployment without e-mail (no sender configured): nothing is recorded, nothing is sent. */
export const noMailOutbox: MailOutbox = { record: async () => {} };
