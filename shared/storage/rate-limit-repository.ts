/**
 * Failure counters for guessable lookups: an atomic ADD on one item per (scope, client, window),
 * which DynamoDB's TTL removes after the window (TTL is configured in CDK; locally items stay,
 * which only matters to a laptop's disk).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FailureCounter } from '../use-cases/guess-guard.ts';
import { rateLimitKey } from './rate-limit-keys.ts';
import { Table } from './table.ts';
import { mainTable } from './tables.ts';

const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';

export class RateLimitRepository implements FailureCounter {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async failures(scope: string, clientHash: string, windowStart: number): Promise<number> {
    const item = await this.#table.get(rateLimitKey(scope, clientHash, windowStart), { consistent: true });
    return Number(item?.['failures'] ?? 0);
  }

  /** Counts one failure; returns the new count. */
  async recordFailure(scope: string, clientHash: string, windowStart: number, expiresAt: number) {
    const attributes = await this.#table.update({
      Key: rateLimitKey(scope, clientHash, windowStart),
      UpdateExpression: 'ADD failures :one SET #ttl = if_not_exists(#ttl, :exp), entity = :entity',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt, ':entity': 'rate-limit' },
      ReturnValues: 'UPDATED_NEW',
    });
    return Number(attributes?.['failures'] ?? 1);
  }
}
