/**
 * The few DynamoDB calls every repository makes, on one table: get an item by its key, put
 * (if absent), update (if a condition holds), query one page or every page. Repositories keep
 * the item shapes; the key modules (*-keys.ts) keep the keys. A failed condition is an answer
 * (`false`), never an exception, where the repository asks for it.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../domain/page.ts';
import { batchGet, batchWrite, isConditionalFailure, type WriteRequest } from './batch.ts';
import { decodeKey, encodeKey } from './paging.ts';

export type Item = Record<string, unknown>;
export type Key = Record<string, unknown>;
type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;
type Update = Omit<UpdateCommandInput, 'TableName'>;

/** Key condition for a partition, optionally only the sort keys that start with `prefix`. */
export function inPartition(pk: string, prefix?: string): Query {
  return prefix === undefined
    ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }
    : {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
      };
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export class Table {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;

  constructor(doc: DynamoDBDocumentClient, name: string) {
    this.doc = doc;
    this.name = name;
  }

  async get(key: Key, opts: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.name,
        Key: key,
        ...(opts.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return res?.Item;
  }

  /** Put, optionally conditioned; a failed condition throws (for writes that must not collide). */
  async put(
    item: Item,
    condition?: Pick<
      Update,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.name, Item: item, ...condition }));
  }

  /** Creates the item unless its key exists. Returns whether this call created it. */
  async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.put(item, { ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  /** UpdateItem; returns the attributes it asked for (ReturnValues), if any. */
  async update(input: Update): Promise<Item | undefined> {
    const res = await this.doc.send(new UpdateCommand({ TableName: this.name, ...input }));
    return res?.Attributes;
  }

  /** A conditional UpdateItem. Returns false when the condition did not hold. */
  async updateIf(input: Update & { ConditionExpression: string }): Promise<boolean> {
    try {
      await this.update(input);
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  /** One Query call as DynamoDB answers it (for callers that page in their own way). */
  async query(input: Query & { Limit?: number; ExclusiveStartKey?: Key }) {
    const res = await this.doc.send(new QueryCommand({ TableName: this.name, ...input }));
    return { items: res?.Items ?? [], lastKey: res?.LastEvaluatedKey };
  }

  /**
   * One page of a query. The cursor wraps DynamoDB's LastEvaluatedKey; one coming back must have
   * exactly `keyNames` and pass `belongs` (it is of this query), or the request is a 400.
   */
  async queryPage(
    input: Query,
    page: PageRequest,
    keyNames: readonly string[],
    belongs: (key: Record<string, string>) => boolean,
  ): Promise<Page<Item>> {
    const start = decodeKey(page.cursor, keyNames, belongs);
    const { items, lastKey } = await this.query({ ...input, Limit: page.limit, ExclusiveStartKey: start });
    const cursor = encodeKey(lastKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }

  /** One page of a partition (optionally under a sort-key prefix) of the table itself. */
  queryPartitionPage(pk: string, prefix: string | undefined, page: PageRequest): Promise<Page<Item>> {
    return this.queryPage(inPartition(pk, prefix), page, ['pk', 'sk'], (k) => k['pk'] === pk);
  }

  /** Every page of a query (for partitions whose size is the work: matches, a pool's seizures). */
  async queryAll(input: Query): Promise<Item[]> {
    const out: Item[] = [];
    let start: Key | undefined;
    do {
      const { items, lastKey } = await this.query({ ...input, ExclusiveStartKey: start });
      for (const item of items) out.push(item);
      start = lastKey;
    } while (start);
    return out;
  }

  /** Every item of a partition, optionally only under a sort-key prefix. */
  queryAllUnder(
    pk: string,
    prefix?: string,
    extra: Omit<Query, 'KeyConditionExpression'> = {},
  ): Promise<Item[]> {
    const where = inPartition(pk, prefix);
    return this.queryAll({
      ...extra,
      KeyConditionExpression: where.KeyConditionExpression,
      ExpressionAttributeValues: { ...where.ExpressionAttributeValues, ...extra.ExpressionAttributeValues },
    });
  }

  batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    return batchWrite(this.doc, this.name, requests);
  }

  batchGet(keys: readonly Key[]): Promise<Item[]> {
    return batchGet(this.doc, this.name, keys);
  }
}
