/** The enrichment queue as the submit-report use case sees it. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PayloadTooLargeError } from '../domain/errors.ts';
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

/**
 * SQS's classic limit (AWS now allows 1 MiB, emulators and older queues do not). Escaping emoji
 * can triple the size of text, so a 256 KB request can exceed it: refuse that plainly (413)
 * instead of failing the send and answering "try again later" for a request that never fits.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export class SqsReportQueue implements ReportQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  async send(message: ReportReceivedV1): Promise<void> {
    const body = sqsSafeJson(message);
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) {
      throw new PayloadTooLargeError(
        'This report has too much text to send in one piece. Shorten the description or the other long answers, then send it again.',
      );
    }
    await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#queueUrl,
        MessageBody: body,
        // Routing metadata only: consumers can tell message versions apart without parsing bodies.
        MessageAttributes: {
          type: { DataType: 'String', StringValue: message.type },
          version: { DataType: 'Number', StringValue: String(message.version) },
        },
      }),
    );
  }
}
