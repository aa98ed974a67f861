/**
 * The checkpoint of the shared-summary backfill (shared/use-cases/backfill-shared.ts), one item
 * in the main table so a run resumes wherever it is started from (a laptop, a CI job):
 *
 *   pk = BACKFILL#shared-summaries   sk = BACKFILL
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BackfillCheckpoint, BackfillCheckpointStore } from '../use-cases/backfill-shared.ts';
import { Table } from './table.ts';

const KEY = { pk: 'BACKFILL#shared-summaries', sk: 'BACKFILL' } as const;
const ENTITY = 'backfill-checkpoint';

export class BackfillCheckpointRepository implements BackfillCheckpointStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async get(): Promise<BackfillCheckpoint | undefined> {
    const item = await this.#table.get(KEY, { consistent: true });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...checkpoint } = item;
    return checkpoint as unknown as BackfillCheckpoint;
  }

  async put(checkpoint: BackfillCheckpoint): Promise<void> {
    await this.#table.put({ ...KEY, entity: ENTITY, ...checkpoint });
  }
}
