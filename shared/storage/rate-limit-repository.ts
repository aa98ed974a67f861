/**
 * Attempt counters for guessable lookups: a conditional ADD on one item per (scope, client, window),
 * which DynamoDB's TTL removes after the window (TTL is configured in CDK; locally items stay,
 * which only matters to a laptop's disk).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FailureCounter } from '../use-cases/guess-guard.ts';
import { isConditionalFailure } from './batch.ts';
import { rateLimitKey } from './rate-limit-keys.ts';
import { Table } from './table.ts';
import { mainTable } from './tables.ts';

const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';

export class RateLimitRepository implements FailureCounter {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  /** One conditional ADD: counts the attempt only while under the limit, so no race can overshoot. */
  async tryAttempt(scope: string, clientHash: string, windowStart: number, limit: number, expiresAt: number) {
    try {
      const attributes = await this.#table.update({
        Key: rateLimitKey(scope, clientHash, windowStart),
        UpdateExpression: 'ADD failures :one SET #ttl = if_not_exists(#ttl, :exp), entity = :entity',
        ConditionExpression: 'attribute_not_exists(failures) OR failures < :limit',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt, ':entity': 'rate-limit', ':limit': limit },
        ReturnValues: 'UPDATED_NEW',
      });
      return Number(attributes?.['failures'] ?? 1);
    } catch (e) {
      if (isConditionalFailure(e)) return undefined;
      throw e;
    }
  }

  async forgive(scope: string, clientHash: string, windowStart: number) {
    try {
      await this.#table.update({
        Key: rateLimitKey(scope, clientHash, windowStart),
        UpdateExpression: 'ADD failures :minusOne',
        ConditionExpression: 'failures > :zero',
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      });
    } catch (e) {
      if (!isConditionalFailure(e)) throw e;
    }
  }
}
