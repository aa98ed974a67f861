/**
 * Persistence of shared-indicator summaries (keys in shared-indicator-keys.ts).
 *
 * `refresh` recomputes one identifier's summary from its indicator-index partition and writes it
 * only if it counts more reports than the stored one: recomputing is idempotent (a redelivered
 * report changes nothing), and of two reports refreshing at once the one that saw more wins.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { indicatorId } from '../domain/sharing/stix.ts';
import {
  type ShareableLink,
  type ShareableType,
  type SharedIndicator,
  summarise,
} from '../domain/sharing/summary.ts';
import { putRequest } from './batch.ts';
import { INDICATOR_REPORT_SK_PREFIX, indicatorPk } from './indicator-keys.ts';
import {
  afterTime,
  SHARED_INDEX_PK,
  SHARED_INDICATOR_SK,
  sharedIndexSk,
  sharedIndicatorPk,
} from './shared-indicator-keys.ts';
import { Table } from './table.ts';
import { mainTable } from './tables.ts';

const ENTITY = 'shared-indicator';
const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';
const INDEX = 'gsi3';

export interface StoredSharedIndicator extends SharedIndicator {
  readonly id: string;
  /** When this version was added to the collection (TAXII `date_added`): equal to `modified`. */
  readonly dateAdded: string;
}

export interface SharedPage {
  readonly items: StoredSharedIndicator[];
  readonly more: boolean;
}

export interface SharedIndicatorRepositoryOptions {
  /** The report retention: a summary expires with the newest report it counts. */
  retentionDays?: number;
}

export class SharedIndicatorRepository {
  readonly #table: Table;
  readonly #retentionDays: number | undefined;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    options: SharedIndicatorRepositoryOptions = {},
  ) {
    this.#table = new Table(doc, tableName);
    this.#retentionDays = options.retentionDays;
  }

  /** Recomputes and stores the summary of one identifier; false when there was nothing new to write. */
  async refresh(type: ShareableType, value: string, now: string): Promise<boolean> {
    const items = await this.#table.queryAllUnder(indicatorPk(type, value), INDICATOR_REPORT_SK_PREFIX, {
      // Only what a summary may use: nothing else about the report leaves the index.
      ProjectionExpression: 'receivedAt, category, paid, shareWithLawEnforcement',
    });
    const links: ShareableLink[] = items.map((i) => ({
      receivedAt: String(i['receivedAt']),
      category: String(i['category']),
      paid: Array.isArray(i['paid']) ? (i['paid'] as ShareableLink['paid']) : [],
      shareWithLawEnforcement: i['shareWithLawEnforcement'] === true,
    }));
    const summary = summarise(type, value, links);
    if (!summary) return false;
    return this.#write({ ...summary, created: now, modified: now }, 'more-reports');
  }

  /** Stores a summary as given (seeding benchmarks and tests); overwrites. */
  async put(shared: SharedIndicator): Promise<void> {
    await this.#write(shared, 'always');
  }

  /** Stores many summaries as given (seeding benchmarks): whole-item overwrites, in batches. */
  async putMany(list: readonly SharedIndicator[]): Promise<void> {
    await this.#table.batchWrite(
      list.map((shared) =>
        putRequest({ ...keyOf(shared), ...this.#attributes(shared), created: shared.created }),
      ),
    );
  }

  /** Every stored attribute but the key and `created`: one list for every way of writing. */
  #attributes(shared: SharedIndicator): Record<string, unknown> {
    const id = indicatorId(shared.type, shared.value);
    return {
      entity: ENTITY,
      type: shared.type,
      value: shared.value,
      stixId: id,
      firstSeen: shared.firstSeen,
      lastSeen: shared.lastSeen,
      reportCount: shared.reportCount,
      lossByCurrency: shared.lossByCurrency,
      categories: shared.categories,
      modified: shared.modified,
      gsi3pk: SHARED_INDEX_PK,
      gsi3sk: sharedIndexSk(shared.modified, id),
      ...(this.#retentionDays === undefined
        ? {}
        : { [TTL_ATTRIBUTE]: Math.floor(Date.parse(shared.lastSeen) / 1000) + this.#retentionDays * 86_400 }),
    };
  }

  async #write(shared: SharedIndicator, when: 'more-reports' | 'always'): Promise<boolean> {
    const attributes = Object.entries(this.#attributes(shared));
    const guarded = when === 'more-reports';
    const names: Record<string, string> = {
      '#created': 'created',
      ...(guarded ? { '#count': 'reportCount' } : {}),
    };
    const values: Record<string, unknown> = {
      ':created': shared.created,
      ...(guarded ? { ':n': shared.reportCount } : {}),
    };
    const sets = attributes.map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} = :a${i}`;
    });
    // A refresh keeps the first `created`; a seeding put sets it.
    sets.push(guarded ? '#created = if_not_exists(#created, :created)' : '#created = :created');
    const update = {
      Key: keyOf(shared),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    if (!guarded) {
      await this.#table.update(update);
      return true;
    }
    return this.#table.updateIf({
      ...update,
      ConditionExpression: 'attribute_not_exists(pk) OR #count < :n',
    });
  }

  /**
   * Summaries in the order they were added or last changed, strictly after `afterKey` (a
   * `<time>#<id>` position, or `afterTime(t)`) and up to `until` (inclusive time), at most `limit`.
   */
  async page(opts: { afterKey?: string; until?: string; limit: number }): Promise<SharedPage> {
    const items: StoredSharedIndicator[] = [];
    let start: Record<string, unknown> | undefined;
    const upper = opts.until === undefined ? undefined : afterTime(opts.until);
    // Every key starts with a year, so '0' sorts before them all (key values may not be empty).
    const lower = opts.afterKey ?? '0';
    do {
      const res = await this.#table.query({
        IndexName: INDEX,
        KeyConditionExpression:
          upper === undefined
            ? 'gsi3pk = :pk AND gsi3sk > :after'
            : 'gsi3pk = :pk AND gsi3sk BETWEEN :after AND :until',
        ExpressionAttributeValues: {
          ':pk': SHARED_INDEX_PK,
          ':after': lower,
          ...(upper === undefined ? {} : { ':until': upper }),
        },
        // One more than asked tells whether another page exists.
        Limit: opts.limit + 1 - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      // BETWEEN is inclusive: the item at `lower` itself was on the previous page.
      for (const item of res.items) if (item['gsi3sk'] !== lower) items.push(toShared(item));
      start = res.lastKey;
    } while (start && items.length < opts.limit + 1);
    const more = items.length > opts.limit;
    return { items: more ? items.slice(0, opts.limit) : items, more };
  }

  /** How many summaries changed between two instants (inclusive): the size of an export. */
  async count(opts: { from: string; to: string }): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      // Select COUNT: the Table helper returns items, so this one Query goes to the client itself.
      const res = await this.#table.doc.send(
        new QueryCommand({
          TableName: this.#table.name,
          IndexName: INDEX,
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': SHARED_INDEX_PK,
            ':from': opts.from,
            ':to': afterTime(opts.to),
          },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      total += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
    return total;
  }

  /** Summaries by STIX id; ids with none are left out. */
  async getMany(ids: readonly string[]): Promise<StoredSharedIndicator[]> {
    const items = await this.#table.batchGet(
      ids.map((id) => ({ pk: sharedIndicatorPk(id), sk: SHARED_INDICATOR_SK })),
    );
    return items.map(toShared);
  }
}

function keyOf(shared: SharedIndicator): { pk: string; sk: string } {
  return { pk: sharedIndicatorPk(indicatorId(shared.type, shared.value)), sk: SHARED_INDICATOR_SK };
}

function toShared(item: Record<string, unknown>): StoredSharedIndicator {
  const modified = String(item['modified']);
  return {
    id: String(item['stixId']),
    type: item['type'] as ShareableType,
    value: String(item['value']),
    firstSeen: String(item['firstSeen']),
    lastSeen: String(item['lastSeen']),
    reportCount: Number(item['reportCount']),
    lossByCurrency: (item['lossByCurrency'] as Record<string, number>) ?? {},
    categories: (item['categories'] as string[]) ?? [],
    created: String(item['created']),
    modified,
    dateAdded: modified,
  };
}
