/**
 * Paging over DynamoDB queries, shared by every repository: opaque page cursors that are checked
 * on the way back in (a forged or foreign one is a 400, never a DynamoDB error), and reading
 * every page of a query whose whole result is the work.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.ts';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Opaque cursor over a DynamoDB key, checked on the way back in (a forged one is a 400). */
export function encodeKey(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeKey(
  cursor: string | undefined,
  names: readonly string[],
  check?: (k: Record<string, string>) => boolean,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!k || typeof k !== 'object') throw new Error('not an object');
    if (Object.keys(k).sort().join() !== [...names].sort().join()) throw new Error('bad key');
    if (Object.values(k).some((v) => typeof v !== 'string')) throw new Error('bad key');
    if (check && !check(k as Record<string, string>)) throw new Error('foreign key');
    return k as Record<string, string>;
  } catch {
    throw new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
    ]);
  }
}

/** Every page of a query (for partitions whose size is the work: matches, a pool's seizures). */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of res?.Items ?? []) out.push(item);
    start = res?.LastEvaluatedKey;
  } while (start);
  return out;
}
