/**
 * Persistence of sharing export jobs: one item per job, rewritten whole at each step with a
 * condition on the step it expects, so a step run twice (SQS delivers at least once) writes once.
 *
 *   pk = EXPORT#<exportId>   sk = EXPORT
 *
 * The item expires (TTL) a week after the export started, like the file (an S3 lifecycle rule);
 * the audit trail keeps who exported what and when.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExportJob } from '../domain/sharing/export-job.ts';
import type { ExportJobStore } from '../use-cases/export-job.ts';
import { isConditionalFailure } from './batch.ts';
import { Table } from './table.ts';
import { mainTable } from './tables.ts';

const ENTITY = 'sharing-export';
const TTL_ATTRIBUTE = mainTable.timeToLiveAttribute ?? 'expiresAt';
/** How long an export's job and file are kept. */
export const EXPORT_RETENTION_DAYS = 7;

const exportKey = (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' });

export class ExportJobRepository implements ExportJobStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async create(job: ExportJob): Promise<void> {
    await this.#table.put(this.#item(job), { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(exportId: string): Promise<ExportJob | undefined> {
    const item = await this.#table.get(exportKey(exportId), { consistent: true });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, ...job } = item;
    return job as unknown as ExportJob;
  }

  async advance(next: ExportJob, expectedStep: number): Promise<boolean> {
    try {
      await this.#table.put(this.#item(next), {
        ConditionExpression: 'attribute_exists(pk) AND #step = :expected',
        ExpressionAttributeNames: { '#step': 'step' },
        ExpressionAttributeValues: { ':expected': expectedStep },
      });
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  #item(job: ExportJob): Record<string, unknown> {
    return {
      ...exportKey(job.exportId),
      entity: ENTITY,
      ...job,
      [TTL_ATTRIBUTE]: Math.floor(Date.parse(job.createdAt) / 1000) + EXPORT_RETENTION_DAYS * 86_400,
    };
  }
}
