/**
 * The audit table (shared/storage/tables.ts `auditTable`). Writers only ever PutItem, each
 * conditioned on the key being new, so even a bug cannot overwrite an entry; the functions' IAM
 * policy allows nothing else (test/infra/iam.test.ts). Readers query the month partitions or
 * the actor/subject indexes, newest first.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../domain/audit.ts';
import type { Page } from '../domain/page.ts';
import { decodeKey, encodeKey } from './paging.ts';
import { monthsBetween } from './report-keys.ts';

const MONTH_PREFIX = 'AUDIT#';
const monthPk = (at: string) => `${MONTH_PREFIX}${at.slice(0, 7)}`;
/** Sorts by time; the request id and position make it unique within a request. */
const entrySk = (entry: AuditEntry, index: number) =>
  `${entry.at}#${entry.requestId}#${String(index).padStart(3, '0')}`;

export interface AuditQuery {
  actor?: string;
  subjectId?: string;
  /** ISO timestamps, inclusive. */
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, actorSub: _a, ...rest } = item;
  return rest as unknown as AuditEntry;
}

export class AuditRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.doc = doc;
    this.tableName = tableName;
  }

  /** Every entry or a throw: the caller answers 503 and sends nothing it read. */
  async append(entries: readonly AuditEntry[]): Promise<void> {
    await Promise.all(
      entries.map((entry, index) =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...entry,
              pk: monthPk(entry.at),
              sk: entrySk(entry, index),
              actorSub: entry.actor.sub,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    );
  }

  async search(q: AuditQuery): Promise<Page<AuditEntry>> {
    const range = { ':from': q.from, ':to': `${q.to}\uffff` };
    if (q.subjectId !== undefined || q.actor !== undefined) {
      const bySubject = q.subjectId !== undefined;
      const names = bySubject ? ['pk', 'sk', 'subjectId'] : ['pk', 'sk', 'actorSub'];
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: bySubject ? 'bySubject' : 'byActor',
          KeyConditionExpression: `${bySubject ? 'subjectId' : 'actorSub'} = :key AND sk BETWEEN :from AND :to`,
          ...(bySubject && q.actor !== undefined ? { FilterExpression: 'actorSub = :actor' } : {}),
          ExpressionAttributeValues: {
            ':key': bySubject ? q.subjectId : q.actor,
            ...range,
            ...(bySubject && q.actor !== undefined ? { ':actor': q.actor } : {}),
          },
          ScanIndexForward: false,
          Limit: q.limit,
          ExclusiveStartKey: decodeKey(q.cursor, names),
        }),
      );
      const cursor = encodeKey(res.LastEvaluatedKey);
      return { items: (res.Items ?? []).map(toEntry), ...(cursor ? { cursor } : {}) };
    }

    // Everything: the month partitions from newest to oldest, carrying on into older months
    // until the page is full. The cursor names the month and the key within it.
    const months = monthsBetween(q.from, q.to);
    let start = q.cursor === undefined ? undefined : decodeMonthCursor(q.cursor, months);
    const items: AuditEntry[] = [];
    for (let i = start ? months.indexOf(start.month) : 0; i < months.length; i++) {
      const month = months[i] as string;
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `${MONTH_PREFIX}${month}`, ...range },
          ScanIndexForward: false,
          Limit: q.limit - items.length,
          ExclusiveStartKey: start?.month === month ? start.key : undefined,
        }),
      );
      start = undefined;
      items.push(...(res.Items ?? []).map(toEntry));
      if (items.length >= q.limit) {
        const next = res.LastEvaluatedKey
          ? { month, key: res.LastEvaluatedKey as Record<string, string> }
          : months[i + 1] !== undefined
            ? { month: months[i + 1] as string }
            : undefined;
        return { items, ...(next ? { cursor: encodeKey(next as unknown as Record<string, unknown>) } : {}) };
      }
    }
    return { items };
  }
}

function decodeMonthCursor(
  cursor: string,
  months: readonly string[],
): { month: string; key?: Record<string, string> } {
  const invalid = () => decodeKey('!', ['never']) as never;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return invalid();
  }
  const { month, key } = (parsed ?? {}) as { month?: unknown; key?: unknown };
  if (typeof month !== 'string' || !months.includes(month)) return invalid();
  if (key === undefined) return { month };
  const checked = decodeKey(encodeKey(key as Record<string, unknown>), ['pk', 'sk']);
  if (checked?.['pk'] !== `${MONTH_PREFIX}${month}`) return invalid();
  return { month, key: checked };
}
