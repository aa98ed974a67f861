/**
 * Failure counters for guessable lookups: an atomic ADD on one item per (scope, client, window),
 * which DynamoDB's TTL removes after the window (TTL is configured in CDK; locally items stay,
 * which only matters to a laptop's disk).
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { rateLimitKey } from './rate-limit-keys.ts';
import { mainTable } from './tables.ts';

const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';

export class RateLimitRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async failures(scope: string, clientHash: string, windowStart: number): Promise<number> {
    const res = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: rateLimitKey(scope, clientHash, windowStart),
        ConsistentRead: true,
      }),
    );
    return Number(res?.Item?.['failures'] ?? 0);
  }

  /** Counts one failure; returns the new count. */
  async recordFailure(scope: string, clientHash: string, windowStart: number, expiresAt: number) {
    const res = await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: rateLimitKey(scope, clientHash, windowStart),
        UpdateExpression: 'ADD failures :one SET #ttl = if_not_exists(#ttl, :exp), entity = :entity',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt, ':entity': 'rate-limit' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(res?.Attributes?.['failures'] ?? 1);
  }
}
