/**
 * Batch reads and writes with bounded retries of unprocessed keys and items.
 *
 * BatchWriteItem (chunks of 25) is used only for writes that are idempotent on their own
 * (overwriting or deleting whole items), so a retry after a partial failure is always safe.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mainTable } from './tables.ts';

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

const CHUNK = 25;
const ATTEMPTS = 8;

export async function batchWrite(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += CHUNK) {
    let pending = requests.slice(i, i + CHUNK) as WriteRequest[];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= ATTEMPTS) throw new Error('BatchWrite left items unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (res?.UnprocessedItems?.[table] as WriteRequest[] | undefined) ?? [];
    }
  }
}

const GET_CHUNK = 100;
const GET_ATTEMPTS = 6;

/**
 * BatchGetItem in chunks of 100. Items come back in no particular order and missing keys are
 * simply absent: callers index the result by id.
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += GET_CHUNK) {
    let pending = keys.slice(i, i + GET_CHUNK) as Record<string, unknown>[];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= GET_ATTEMPTS) throw new Error('BatchGet left keys unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...((res?.Responses?.[table] as Record<string, unknown>[] | undefined) ?? []));
      pending = (res?.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return items;
}

/** Whether an index of the main table copies whole items, or only keys (fetch the items then). */
export function projectsAll(indexName: string): boolean {
  const index = mainTable.globalIndexes.find((i) => i.indexName === indexName);
  if (!index) throw new Error(`No index ${indexName} on the main table`);
  return index.projection === 'ALL';
}

export const putRequest = (Item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item } });
export const deleteRequest = (Key: Record<string, unknown>): WriteRequest => ({ DeleteRequest: { Key } });

export function isConditionalFailure(e: unknown): boolean {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}
