/** The enrichment queue as the submit-report use case sees it. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReportReceivedV1 } from '../messages/report-received.ts';
import type { ReportQueue } from '../use-cases/submit-report.ts';

/**
 * JSON for an SQS body. SQS accepts only #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD (and, in AWS, the
 * astral planes; some emulators refuse those), but narratives hold emoji and may hold U+FFFF.
 * Escaping those as \uXXXX keeps the JSON identical once parsed, so the text is stored exactly.
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\t\n\r\x20-\ud7ff\ue000-\ufffd]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

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
        MessageBody: sqsSafeJson(message),
        // Routing metadata only: consumers can tell message versions apart without parsing bodies.
        MessageAttributes: {
          type: { DataType: 'String', StringValue: message.type },
          version: { DataType: 'Number', StringValue: String(message.version) },
        },
      }),
    );
  }
}
