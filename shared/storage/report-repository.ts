/**
 * Persistence of reports and their indicator links in the single table.
 *
 * Every write is a single-item, idempotent step (dynalite has no transactions, and SQS delivers
 * at least once), so the same code is correct locally and in AWS:
 * - `putReceived` creates the report only if absent (intake; a retry or a racing consumer is a no-op);
 * - `putLinks` overwrites link items with identical content (re-delivery changes nothing);
 * - `markEnriched` upserts the whole report with `if_not_exists` on every original attribute,
 *   so it also stores the report when intake's own write never happened.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportStatus } from '../domain/enums.ts';
import { ValidationError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { Page } from '../domain/page.ts';
import {
  type IndicatorLink,
  type LinkedReport,
  type ReportContent,
  type StoredReport,
  totalsByCurrency,
} from '../domain/report-content.ts';
import type { EnrichmentStore } from '../use-cases/enrich-report.ts';
import type { ClaimReportReader } from '../use-cases/file-claim.ts';
import type { ReportReader } from '../use-cases/read-reports.ts';
import type { ReceivedReportStore } from '../use-cases/submit-report.ts';
import { projectsAll } from './batch.ts';
import { INDICATOR_REPORT_SK_PREFIX, indicatorPk, indicatorReportSk } from './indicator-keys.ts';
import {
  monthsBetween,
  REPORT_SK,
  reportByCategoryPk,
  reportByMonthPk,
  reportIdOfPk,
  reportKeys,
  reportPk,
} from './report-keys.ts';
import { Table } from './table.ts';
import { mainTable } from './tables.ts';

const ENTITY_REPORT = 'report';
const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';
const ENTITY_LINK = 'indicator-link';

export interface ReportRepositoryOptions {
  /** Days after receipt when DynamoDB's TTL deletes the report and its links (the agency's retention). */
  retentionDays?: number;
}

export class ReportRepository
  implements ReportReader, ReceivedReportStore, EnrichmentStore, ClaimReportReader
{
  readonly #table: Table;
  readonly #retentionDays: number | undefined;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: ReportRepositoryOptions = {}) {
    this.#table = new Table(doc, tableName);
    this.#retentionDays = options.retentionDays;
  }

  /** TTL in epoch seconds, derived from the receipt time so every write of a report agrees. */
  #expiry(receivedAt: string): { expiresAt?: number } {
    if (this.#retentionDays === undefined) return {};
    return { [TTL_ATTRIBUTE]: Math.floor(Date.parse(receivedAt) / 1000) + this.#retentionDays * 86_400 };
  }

  #reportItem(reportId: string, receivedAt: string, content: ReportContent) {
    return {
      ...reportKeys(reportId, receivedAt, content.incident.category),
      entity: ENTITY_REPORT,
      reportId,
      receivedAt,
      status: 'RECEIVED' satisfies ReportStatus,
      category: content.incident.category,
      content,
      lossByCurrency: totalsByCurrency(content.payments),
      ...this.#expiry(receivedAt),
    };
  }

  /** Creates the report in state RECEIVED. Returns false when it already exists (retry or race). */
  async putReceived(reportId: string, receivedAt: string, content: ReportContent): Promise<boolean> {
    return this.#table.putIfAbsent(this.#reportItem(reportId, receivedAt, content));
  }

  /** Writes one index item per identifier. Overwrites are identical, so re-delivery is harmless. */
  async putLinks(
    reportId: string,
    receivedAt: string,
    content: ReportContent,
    links: readonly IndicatorLink[],
  ) {
    // Sequential puts of small items: a report has at most a few dozen identifiers, and single-item
    // writes keep each step idempotent without BatchWrite's unprocessed-items retry loop.
    for (const link of links) {
      await this.#table.put({
        pk: indicatorPk(link.type, link.value),
        sk: indicatorReportSk(reportId),
        entity: ENTITY_LINK,
        type: link.type,
        value: link.value,
        display: link.display,
        reportId,
        receivedAt,
        category: content.incident.category,
        roles: link.roles,
        paid: link.paid,
        contactAboutRecovery: content.consents.contactAboutRecovery,
        shareWithLawEnforcement: content.consents.shareWithLawEnforcement,
        ...this.#expiry(receivedAt),
      });
    }
  }

  /** Marks the report ENRICHED, creating it from the message if intake's own write is missing. */
  async markEnriched(reportId: string, receivedAt: string, content: ReportContent, enrichedAt: string) {
    const item = this.#reportItem(reportId, receivedAt, content);
    const keep = Object.keys(item).filter((k) => k !== 'pk' && k !== 'sk' && k !== 'status');
    const names: Record<string, string> = { '#status': 'status', '#enrichedAt': 'enrichedAt' };
    const values: Record<string, unknown> = { ':enriched': 'ENRICHED', ':enrichedAt': enrichedAt };
    const sets = ['#status = :enriched', '#enrichedAt = if_not_exists(#enrichedAt, :enrichedAt)'];
    keep.forEach((k, i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = (item as Record<string, unknown>)[k];
      sets.push(`#a${i} = if_not_exists(#a${i}, :a${i})`);
    });
    await this.#table.update({
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async get(reportId: string): Promise<StoredReport | undefined> {
    const item = await this.#table.get({ pk: reportPk(reportId), sk: REPORT_SK });
    return item ? toStoredReport(item) : undefined;
  }

  /** Reports by id, in the order asked; ids with no report are left out. */
  async getMany(reportIds: readonly string[]): Promise<StoredReport[]> {
    const items = await this.#table.batchGet(reportIds.map((id) => ({ pk: reportPk(id), sk: REPORT_SK })));
    const found = new Map(items.map((i) => [String(i['reportId']), toStoredReport(i)]));
    return reportIds.flatMap((id) => found.get(id) ?? []);
  }

  /** Reports linked to one identifier, newest link first. */
  async linkedReports(
    type: IndicatorType,
    value: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<LinkedReport>> {
    const page = await this.#table.queryPartitionPage(
      indicatorPk(type, value),
      INDICATOR_REPORT_SK_PREFIX,
      opts,
    );
    return {
      ...page,
      items: page.items.map((i) => ({
        reportId: String(i['reportId']),
        receivedAt: String(i['receivedAt']),
        category: String(i['category']),
        roles: i['roles'] as LinkedReport['roles'],
        paid: i['paid'] as LinkedReport['paid'],
        contactAboutRecovery: Boolean(i['contactAboutRecovery']),
        shareWithLawEnforcement: Boolean(i['shareWithLawEnforcement']),
      })),
    };
  }

  /**
   * Reports received between two instants (ISO), optionally of one category, newest first.
   * Without a category, walks month partitions from `to` back to `from`.
   */
  async searchByTime(opts: {
    from: string;
    to: string;
    category?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<StoredReport>> {
    const indexName = opts.category ? 'gsi2' : 'gsi1';
    const pkName = opts.category ? 'gsi2pk' : 'gsi1pk';
    const skName = opts.category ? 'gsi2sk' : 'gsi1sk';
    const partitions = opts.category
      ? [reportByCategoryPk(opts.category)]
      : monthsBetween(opts.from, opts.to).map((m) => reportByMonthPk(`${m}-01`));
    // Cursor: the partition to resume in and, within it, DynamoDB's LastEvaluatedKey (if any).
    let partitionIndex = 0;
    let exclusiveStartKey: Record<string, string> | undefined;
    if (opts.cursor !== undefined) {
      const c = decodeTimeCursor(opts.cursor, [pkName, skName]);
      partitionIndex = partitions.indexOf(c.p);
      if (partitionIndex < 0 || (c.k && c.k[pkName] !== c.p)) {
        throw new ValidationError([
          { path: 'cursor', message: 'This page link belongs to another search. Start again.' },
        ]);
      }
      exclusiveStartKey = c.k;
    }
    const items: StoredReport[] = [];
    // `~` sorts after every character of an id, so `<to>~` includes reports received exactly at `to`.
    const upper = `${opts.to}~`;
    while (partitionIndex < partitions.length) {
      const partition = partitions[partitionIndex]!;
      if (items.length >= opts.limit) return { items, cursor: encodeTimeCursor(partition) };
      const res = await this.#table.query({
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': pkName, '#sk': skName },
        ExpressionAttributeValues: { ':pk': partition, ':from': opts.from, ':to': upper },
        ScanIndexForward: false,
        Limit: opts.limit - items.length,
        ExclusiveStartKey: exclusiveStartKey,
      });
      // The report indexes hold keys only (tables.ts): fetch the reports themselves.
      const page = res.items;
      if (projectsAll(indexName)) for (const i of page) items.push(toStoredReport(i));
      else items.push(...(await this.getMany(page.map((i) => reportIdOfPk(String(i['pk']))))));
      if (res.lastKey) {
        exclusiveStartKey = res.lastKey as Record<string, string>;
        if (items.length >= opts.limit)
          return { items, cursor: encodeTimeCursor(partition, exclusiveStartKey) };
      } else {
        partitionIndex += 1;
        exclusiveStartKey = undefined;
      }
    }
    return { items };
  }
}

function encodeTimeCursor(partition: string, key?: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ p: partition, k: key }), 'utf8').toString('base64url');
}

function decodeTimeCursor(
  cursor: string,
  indexKeys: readonly string[],
): { p: string; k?: Record<string, string> } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; k?: unknown };
    if (typeof c.p !== 'string') throw new Error('no partition');
    if (c.k === undefined) return { p: c.p };
    const k = c.k as Record<string, unknown>;
    const expected = ['pk', 'sk', ...indexKeys].sort().join();
    if (!k || typeof k !== 'object' || Object.keys(k).sort().join() !== expected) throw new Error('bad key');
    if (Object.values(k).some((v) => typeof v !== 'string')) throw new Error('bad key');
    return { p: c.p, k: k as Record<string, string> };
  } catch {
    throw new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start the search again.' },
    ]);
  }
}

function toStoredReport(item: Record<string, unknown>): StoredReport {
  const out: StoredReport = {
    reportId: String(item['reportId']),
    status: item['status'] as ReportStatus,
    receivedAt: String(item['receivedAt']),
    content: item['content'] as ReportContent,
    lossByCurrency: (item['lossByCurrency'] as Record<string, number>) ?? {},
  };
  if (typeof item['enrichedAt'] === 'string') out.enrichedAt = item['enrichedAt'];
  return out;
}
