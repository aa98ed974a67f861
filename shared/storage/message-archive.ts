/**
 * The last copy of a queued report that is about to leave the enrichment queue for the
 * dead-letter queue: SQS drops dead-lettered messages 14 days after they were first sent, so
 * the raw message is also kept here (the main table: KMS-encrypted, point-in-time recovery,
 * nightly backups) until an operator replays it (`npm run redrive -- --archived`, docs/runbook.md).
 *
 *   pk = MESSAGE-ARCHIVE     sk = <archivedAt>#<messageId>
 *
 * One partition: only messages that failed every receive land here, a handful at most.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

export const ARCHIVE_PK = 'MESSAGE-ARCHIVE';

export interface ArchivedMessage {
  messageId: string;
  archivedAt: string;
  /** The message body exactly as queued. */
  body: string;
  /** Routing metadata the queue carried (type, version). */
  attributes: Record<string, string>;
  receiveCount: number;
  /** Why the last attempt failed: an error name, never a message that could hold report data. */
  reason: string;
}

export class MessageArchive {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async keep(message: ArchivedMessage): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: ARCHIVE_PK,
          sk: `${message.archivedAt}#${message.messageId}`,
          entity: 'archived-message',
          ...message,
        },
      }),
    );
  }

  /** Every archived message, oldest first. */
  async list(): Promise<ArchivedMessage[]> {
    const found: ArchivedMessage[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ARCHIVE_PK },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        found.push({
          messageId: String(item['messageId']),
          archivedAt: String(item['archivedAt']),
          body: String(item['body']),
          attributes: (item['attributes'] as Record<string, string>) ?? {},
          receiveCount: Number(item['receiveCount'] ?? 0),
          reason: String(item['reason'] ?? ''),
        });
      }
      start = res.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async remove(message: Pick<ArchivedMessage, 'archivedAt' | 'messageId'>): Promise<void> {
    await this.#doc.send(
      new DeleteCommand({
        TableName: this.#table,
        Key: { pk: ARCHIVE_PK, sk: `${message.archivedAt}#${message.messageId}` },
      }),
    );
  }
}
