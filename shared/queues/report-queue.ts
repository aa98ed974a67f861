/** The enrichment queue as the submit-report use case sees it. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReportReceivedV1 } from '../messages/report-received.ts';
import type { ReportQueue } from '../use-cases/submit-report.ts';

export class SqsReportQueue implements ReportQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async send(message: ReportReceivedV1): Promise<void> {
    await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: JSON.stringify(message),
        // Routing metadata only: consumers can tell message versions apart without parsing bodies.
        MessageAttributes: {
          type: { DataType: 'String', StringValue: message.type },
          version: { DataType: 'Number', StringValue: String(message.version) },
        },
      }),
    );
  }
}
