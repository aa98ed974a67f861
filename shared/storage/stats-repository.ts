/**
 * The dashboard's counters in the single table (docs/dashboard.md has the reasoning and costs).
 *
 *   pk = STATS#WEEK#<monday>              sk = SHARD#<nn>      one item per week and shard:
 *        a numeric attribute per counter (`category:romance`...) and `seen`, the report ids counted
 *   pk = STATS#ID#<type>#<value>          sk = SHARD#<n>       reports naming one identifier
 *                                         sk = RANK            its total, in gsi3 for the top list:
 *        gsi3pk = STATS#TOPIDS            gsi3sk = <count, 10 digits>#<type>#<value>
 *   pk = STATS#CLAIMS                     sk = <poolId|none>#<status>   claims per programme and status
 *
 * Exactly once without transactions (dynalite has none): a report's counters move in ONE
 * UpdateItem that adds to the numbers and adds the report id to `seen`, on condition that `seen`
 * does not hold it yet. A redelivered message fails the condition and changes nothing; a crash
 * between two items (the week, then each identifier) is finished by the redelivery, as each item
 * guards itself. Week items are sharded by report id so `seen` stays small (it is bounded by
 * the reports of one week over the shards) and no single item takes every write of a busy week.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dashboard } from '../domain/dashboard.ts';
import { type ClaimPlace, claimMoves, shardOf } from '../domain/dashboard.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { DashboardReader, ReportCounter } from '../use-cases/dashboard.ts';
import { isConditionalFailure } from './batch.ts';

/** Week shards: `seen` holds about a week's reports / 16 ids (~27 bytes each). */
export const WEEK_SHARDS = 16;
/** Identifier shards: a scammer's phone named by 10,000 reports keeps each item under 70 KB. */
export const IDENTIFIER_SHARDS = 4;
const TOP_PK = 'STATS#TOPIDS';

const weekPk = (week: string) => `STATS#WEEK#${week}`;
const identifierPk = (type: string, value: string) => `STATS#ID#${type}#${value}`;
const shardSk = (n: number) => `SHARD#${String(n).padStart(2, '0')}`;
const CLAIMS_PK = 'STATS#CLAIMS';
const GUARD = 'seen';

export class StatsRepository implements ReportCounter, DashboardReader {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  /** ADD every counter and the guard token, unless the token is already in. False if it was. */
  async #addOnce(key: { pk: string; sk: string }, token: string, counters: Readonly<Record<string, number>>) {
    const names: Record<string, string> = { '#seen': GUARD };
    const values: Record<string, unknown> = { ':token': token, ':tokens': new Set([token]) };
    const adds = ['#seen :tokens'];
    Object.entries(counters).forEach(([name, delta], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = delta;
      adds.push(`#c${i} :c${i}`);
    });
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: key,
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#seen) OR NOT contains(#seen, :token)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  async countReport(
    reportId: string,
    week: string,
    counters: Readonly<Record<string, number>>,
    identifiers: readonly { type: IndicatorType; value: string; display: string }[],
  ): Promise<void> {
    await this.#addOnce(
      { pk: weekPk(week), sk: shardSk(shardOf(reportId, WEEK_SHARDS)) },
      reportId,
      counters,
    );
    for (const id of identifiers) {
      const pk = identifierPk(id.type, id.value);
      await this.#addOnce({ pk, sk: shardSk(shardOf(reportId, IDENTIFIER_SHARDS)) }, reportId, { n: 1 });
      // Always re-rank, even when the add was a repeat: it finishes a crash between the two.
      const total = await this.#sumShards(pk);
      if (total >= 2) await this.#rank(pk, id, total);
    }
  }

  async #sumShards(pk: string): Promise<number> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': 'SHARD#' },
        ProjectionExpression: 'n',
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).reduce((s, i) => s + Number(i['n'] ?? 0), 0);
  }

  /** The identifier's place in the top list only ever rises, so racing writers settle on the max. */
  async #rank(pk: string, id: { type: string; value: string; display: string }, total: number) {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk, sk: 'RANK' },
          UpdateExpression:
            'SET n = :n, #type = :type, #value = :value, display = :display, gsi3pk = :gpk, gsi3sk = :gsk',
          ConditionExpression: 'attribute_not_exists(n) OR n < :n',
          ExpressionAttributeNames: { '#type': 'type', '#value': 'value' },
          ExpressionAttributeValues: {
            ':n': total,
            ':type': id.type,
            ':value': id.value,
            ':display': id.display,
            ':gpk': TOP_PK,
            ':gsk': `${String(total).padStart(10, '0')}#${id.type}#${id.value}`,
          },
        }),
      );
    } catch (e) {
      if (!isConditionalFailure(e)) throw e;
    }
  }

  /**
   * A claim was created (`from` undefined) or changed. Claims change under a version condition,
   * so this runs once per change; the version is the guard token all the same, which makes a
   * retried call harmless.
   */
  async claimMoved(claimId: string, version: number, from: ClaimPlace | undefined, to: ClaimPlace) {
    for (const { key, delta } of claimMoves(from, to)) {
      await this.#addOnce({ pk: CLAIMS_PK, sk: key }, `${claimId}@${version}`, { n: delta });
    }
  }

  async weekCounters(week: string): Promise<Record<string, number>> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': weekPk(week) },
      }),
    );
    const sum: Record<string, number> = {};
    for (const item of res.Items ?? []) {
      for (const [k, v] of Object.entries(item)) {
        if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
      }
    }
    return sum;
  }

  async claimCounts(): Promise<{ key: string; n: number }[]> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': CLAIMS_PK },
        ProjectionExpression: 'sk, n',
      }),
    );
    return (res.Items ?? []).map((i) => ({ key: String(i['sk']), n: Number(i['n'] ?? 0) }));
  }

  async topIdentifiers(limit: number): Promise<Dashboard['topIdentifiers']> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': TOP_PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((i) => ({
      type: String(i['type']),
      display: String(i['display']),
      reports: Number(i['n']),
      href: `/v1/admin/indicators/${encodeURIComponent(String(i['type']))}/${encodeURIComponent(String(i['value']))}`,
    }));
  }

  /** One identifier's count (tests and the seed's summary). */
  async identifierCount(type: string, value: string): Promise<number> {
    const res = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: identifierPk(type, value), sk: 'RANK' } }),
    );
    return res.Item ? Number(res.Item['n']) : this.#sumShards(identifierPk(type, value));
  }
}
