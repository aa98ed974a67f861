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
import { ValidationError } from '../domain/errors.ts';
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

  /**
   * One page over several partitions of an index (a sharded key: storage/claim-keys.ts), in the
   * order of `skName` as if they were one partition. Each shard is asked for a page, the answers
   * merged, and the cursor keeps each shard's own position (the last key it gave to a page, or
   * "done"), so no item is skipped or repeated whatever the shards hold.
   */
  async queryShardsPage(
    pks: readonly string[],
    query: (pk: string) => Query,
    page: PageRequest,
    keyNames: readonly string[],
    pkName: string,
    skName: string,
  ): Promise<Page<Item>> {
    const positions = decodeShardCursor(page.cursor, pks, keyNames, pkName);
    const answers = await Promise.all(
      pks.map(async (pk, i) => {
        const at = positions[i];
        if (at === null) return { items: [] as Item[], lastKey: undefined, done: true };
        const res = await this.query({
          ...query(pk),
          Limit: page.limit,
          ...(at ? { ExclusiveStartKey: at } : {}),
        });
        return { ...res, done: false };
      }),
    );
    const merged = answers
      .flatMap((a, shard) => a.items.map((item) => ({ item, shard })))
      .sort((x, y) =>
        String(x.item[skName]) < String(y.item[skName])
          ? -1
          : String(x.item[skName]) > String(y.item[skName])
            ? 1
            : 0,
      )
      .slice(0, page.limit);
    const next: (Record<string, unknown> | null | undefined)[] = answers.map((a, i) =>
      a.done ? null : positions[i],
    );
    for (const [i, a] of answers.entries()) {
      if (a.done) continue;
      const taken = merged.filter((m) => m.shard === i);
      if (taken.length === a.items.length)
        next[i] = a.lastKey ?? null; // all of it: go on, or done
      else if (taken.length > 0) {
        const last = taken[taken.length - 1]!.item;
        next[i] = Object.fromEntries(keyNames.map((k) => [k, last[k]]));
      }
    }
    const more = next.some((p) => p !== null);
    const cursor = more
      ? encodeKey({ shards: next.map((p) => (p === null ? 'done' : (p ?? null))) })
      : undefined;
    return { items: merged.map((m) => m.item), ...(cursor ? { cursor } : {}) };
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

/**
 * Each shard's position from a queryShardsPage cursor: undefined (not started), null (done) or
 * its last key, checked to be a key of that very shard (a forged cursor is a 400).
 */
function decodeShardCursor(
  cursor: string | undefined,
  pks: readonly string[],
  keyNames: readonly string[],
  pkName: string,
): (Record<string, string> | null | undefined)[] {
  if (cursor === undefined) return pks.map(() => undefined);
  const invalid = () =>
    new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
    ]);
  let shards: unknown;
  try {
    shards = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { shards?: unknown }).shards;
  } catch {
    throw invalid();
  }
  if (!Array.isArray(shards) || shards.length !== pks.length) throw invalid();
  return shards.map((p, i) => {
    if (p === 'done') return null;
    if (p === null || p === undefined) return undefined;
    return decodeKey(encodeKey(p as Record<string, unknown>), keyNames, (k) => k[pkName] === pks[i]);
  });
}
