/**
 * The dashboard's counters in the single table (keys in stats-keys.ts; docs/dashboard.md has the
 * reasoning and costs). A week item holds a numeric attribute per counter (`category:romance`...)
 * and `seen`, the ids it counted.
 *
 * Exactly once without transactions (dynalite has none): a report's counters move in ONE
 * UpdateItem that adds to the numbers and adds the report id to `seen`, on condition that `seen`
 * does not hold it yet. A redelivered message fails the condition and changes nothing; a crash
 * between two items (the week, then each identifier) is finished by the redelivery, as each item
 * guards itself. Week items are sharded by report id so `seen` stays small (it is bounded by
 * the reports of one week over the shards) and no single item takes every write of a busy week.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClaimPlace, claimMoves, type Dashboard, shardOf } from '../domain/dashboard.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { ClaimCounter, DashboardReader, ReportCounter } from '../use-cases/dashboard.ts';
import {
  CLAIM_STATS_PK,
  claimStatsPk,
  identifierStatsPk,
  RANK_SK,
  rankSk,
  SHARD_SK_PREFIX,
  shardSk,
  TOP_IDENTIFIERS_PK,
  weekStatsPk,
} from './stats-keys.ts';
import { Table } from './table.ts';

/** Week shards: `seen` holds about a week's reports / 16 ids (~27 bytes each). */
export const WEEK_SHARDS = 16;
/** Identifier shards: a scammer's phone named by 10,000 reports keeps each item under 70 KB. */
export const IDENTIFIER_SHARDS = 4;
/**
 * Claim-count shards, by claim id: each move adds its token to `seen` of the item it moves, and a
 * write costs the item's whole size, so one item per programme and status would hit DynamoDB's
 * 400 KB item limit at about 7,000 claims. 64 items (one partition key each) keep a programme of
 * 100,000 claims at about 100 KB per item (docs/dashboard.md).
 */
export const CLAIM_SHARDS = 64;
const GUARD = 'seen';

export class StatsRepository implements ReportCounter, ClaimCounter, DashboardReader {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  /** ADD every counter and the guard token, unless the token is already in. False if it was. */
  #addOnce(key: { pk: string; sk: string }, token: string, counters: Readonly<Record<string, number>>) {
    const names: Record<string, string> = { '#seen': GUARD };
    const values: Record<string, unknown> = { ':token': token, ':tokens': new Set([token]) };
    const adds = ['#seen :tokens'];
    Object.entries(counters).forEach(([name, delta], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = delta;
      adds.push(`#c${i} :c${i}`);
    });
    return this.#table.updateIf({
      Key: key,
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#seen) OR NOT contains(#seen, :token)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async countReport(
    reportId: string,
    week: string,
    counters: Readonly<Record<string, number>>,
    identifiers: readonly { type: IndicatorType; value: string; display: string }[],
  ): Promise<void> {
    await this.#addOnce(
      { pk: weekStatsPk(week), sk: shardSk(shardOf(reportId, WEEK_SHARDS)) },
      reportId,
      counters,
    );
    for (const id of identifiers) {
      const pk = identifierStatsPk(id.type, id.value);
      await this.#addOnce({ pk, sk: shardSk(shardOf(reportId, IDENTIFIER_SHARDS)) }, reportId, { n: 1 });
      // Always re-rank, even when the add was a repeat: it finishes a crash between the two.
      const total = await this.#sumShards(pk);
      if (total >= 2) await this.#rank(pk, id, total);
    }
  }

  async #sumShards(pk: string): Promise<number> {
    const items = await this.#table.queryAllUnder(pk, SHARD_SK_PREFIX, {
      ProjectionExpression: 'n',
      ConsistentRead: true,
    });
    return items.reduce((s, i) => s + Number(i['n'] ?? 0), 0);
  }

  /** The identifier's place in the top list only ever rises, so racing writers settle on the max. */
  async #rank(pk: string, id: { type: string; value: string; display: string }, total: number) {
    await this.#table.updateIf({
      Key: { pk, sk: RANK_SK },
      UpdateExpression:
        'SET n = :n, #type = :type, #value = :value, display = :display, gsi3pk = :gpk, gsi3sk = :gsk',
      ConditionExpression: 'attribute_not_exists(n) OR n < :n',
      ExpressionAttributeNames: { '#type': 'type', '#value': 'value' },
      ExpressionAttributeValues: {
        ':n': total,
        ':type': id.type,
        ':value': id.value,
        ':display': id.display,
        ':gpk': TOP_IDENTIFIERS_PK,
        ':gsk': rankSk(total, id.type, id.value),
      },
    });
  }

  /**
   * A claim was created (`from` undefined) or changed. Claims change under a version condition,
   * so this runs once per change; the version is the guard token all the same, which makes a
   * retried call harmless.
   */
  async claimMoved(claimId: string, version: number, from: ClaimPlace | undefined, to: ClaimPlace) {
    for (const { key, delta } of claimMoves(from, to)) {
      const pk = claimStatsPk(shardOf(claimId, CLAIM_SHARDS));
      await this.#addOnce({ pk, sk: key }, `${claimId}@${version}`, { n: delta });
    }
  }

  async weekCounters(week: string): Promise<Record<string, number>> {
    const sum: Record<string, number> = {};
    for (const item of await this.#table.queryAllUnder(weekStatsPk(week))) {
      for (const [k, v] of Object.entries(item)) {
        if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
      }
    }
    return sum;
  }

  /** Every programme-and-status count, summed over the shards and the unsharded items before them. */
  async claimCounts(): Promise<{ key: string; n: number }[]> {
    const pks = [CLAIM_STATS_PK, ...Array.from({ length: CLAIM_SHARDS }, (_, i) => claimStatsPk(i))];
    const sums = new Map<string, number>();
    // A few partitions at a time: 65 small queries, without a burst of 65 connections.
    for (let i = 0; i < pks.length; i += 8) {
      const pages = await Promise.all(
        pks
          .slice(i, i + 8)
          .map((pk) => this.#table.queryAllUnder(pk, undefined, { ProjectionExpression: 'sk, n' })),
      );
      for (const item of pages.flat()) {
        const key = String(item['sk']);
        sums.set(key, (sums.get(key) ?? 0) + Number(item['n'] ?? 0));
      }
    }
    return [...sums].map(([key, n]) => ({ key, n }));
  }

  async topIdentifiers(limit: number): Promise<Dashboard['topIdentifiers']> {
    const { items } = await this.#table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': TOP_IDENTIFIERS_PK },
      ScanIndexForward: false,
      Limit: limit,
    });
    return items.map((i) => ({
      type: String(i['type']),
      display: String(i['display']),
      reports: Number(i['n']),
      href: `/v1/admin/indicators/${encodeURIComponent(String(i['type']))}/${encodeURIComponent(String(i['value']))}`,
    }));
  }
}
