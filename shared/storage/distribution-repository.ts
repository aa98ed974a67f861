/**
 * Persistence of distribution plans: one header item per plan in the pool's partition, holding
 * the plan's status, totals, sign-offs and the progress of its background job. The plan's lines
 * (a million claims would be a million items under one partition key) live in S3
 * (artefact-store.ts); the header says how many chunks there are.
 *
 * Every change is one conditional UpdateItem, so a job step that runs twice (SQS delivers at
 * least once) moves the header once: `update` only from the step it expects.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  DistributionHeader,
  DistributionStore,
  HeaderExpectation,
  JobProgress,
} from '../use-cases/distribute.ts';
import { DIST_SK_PREFIX, distributionHeaderKey, poolPk } from './pool-keys.ts';
import { Table } from './table.ts';

const ENTITY_HEADER = 'distribution';

const HEADER_FIELDS = [
  'distributionId',
  'poolId',
  'status',
  'currency',
  'roundNumber',
  'previousDistributionId',
  'job',
  'requiredApprovers',
  'createdBy',
  'createdAt',
  'poolAmountChangedBy',
  'approvals',
  'releaseApprovals',
  'poolTotalCents',
  'paidBeforeCents',
  'committedBeforeCents',
  'poolAmountCents',
  'minimumPayoutCents',
  'basis',
  'totalRecognizedLossCents',
  'totalPayoutCents',
  'leftoverCents',
  'rounds',
  'payoutCount',
  'excludedCount',
  'excludedLossCents',
  'reissueCount',
  'reissueCents',
  'payoutChunks',
  'excludedChunks',
  'fingerprint',
  'approvedBy',
  'approvedAt',
  'scheduledAt',
  'heldClaimIds',
  'heldKey',
  'scheduling',
  'releasedBy',
  'releasedAt',
  'paymentFile',
  'results',
  'resultsUpload',
] as const satisfies readonly (keyof DistributionHeader)[];

function toHeader(item: Record<string, unknown>): DistributionHeader {
  const out: Record<string, unknown> = {};
  for (const k of HEADER_FIELDS) if (item[k] !== undefined) out[k] = item[k];
  out['approvals'] ??= [];
  out['releaseApprovals'] ??= [];
  out['roundNumber'] ??= 1;
  return out as unknown as DistributionHeader;
}

export class DistributionRepository implements DistributionStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async create(header: DistributionHeader): Promise<void> {
    const item: Record<string, unknown> = {
      ...distributionHeaderKey(header.poolId, header.distributionId),
      entity: ENTITY_HEADER,
    };
    for (const k of HEADER_FIELDS) if (header[k] !== undefined) item[k] = header[k];
    await this.#table.put(item, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined> {
    const item = await this.#table.get(distributionHeaderKey(poolId, distributionId), { consistent: true });
    return item ? toHeader(item) : undefined;
  }

  async listHeaders(poolId: string): Promise<DistributionHeader[]> {
    const items = await this.#table.queryAllUnder(poolPk(poolId), DIST_SK_PREFIX);
    return items.map(toHeader);
  }

  /**
   * Sets `fields` only if the header is in `expected` (each a top-level attribute compared for
   * equality; `job.step` may be named as `jobStep`). Returns false when it is not.
   */
  async update(
    poolId: string,
    distributionId: string,
    fields: Partial<DistributionHeader>,
    expected: HeaderExpectation,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    const conditions = ['attribute_exists(pk)'];
    if (expected.status !== undefined) {
      names['#st'] = 'status';
      values[':expectedStatus'] = expected.status;
      conditions.push('#st = :expectedStatus');
    }
    if (expected.jobStep !== undefined) {
      names['#jb'] = 'job';
      names['#stp'] = 'step';
      values[':expectedStep'] = expected.jobStep;
      conditions.push('#jb.#stp = :expectedStep');
    }
    if (expected.resultsFiles !== undefined) {
      names['#res'] = 'results';
      if (expected.resultsFiles === null) conditions.push('attribute_not_exists(#res)');
      else {
        names['#files'] = 'files';
        values[':expectedFiles'] = expected.resultsFiles;
        conditions.push('#res.#files = :expectedFiles');
      }
    }
    if (expected.resultsStep !== undefined) {
      names['#res'] = 'results';
      names['#rstep'] = 'step';
      values[':expectedResultsStep'] = expected.resultsStep;
      conditions.push('#res.#rstep = :expectedResultsStep');
    }
    // Each job's progress is a map on the header; its step is the checkpoint a step moves from.
    const nestedStep = (attr: string, field: string, value: unknown, tag: string) => {
      names[`#${tag}`] = attr;
      names[`#${tag}f`] = field;
      values[`:${tag}`] = value;
      conditions.push(`#${tag}.#${tag}f = :${tag}`);
    };
    if (expected.schedulingStep !== undefined)
      nestedStep('scheduling', 'step', expected.schedulingStep, 'sch');
    if (expected.paymentFileStep !== undefined)
      nestedStep('paymentFile', 'step', expected.paymentFileStep, 'pf');
    if (expected.checkingUpload !== undefined) {
      nestedStep('resultsUpload', 'uploadId', expected.checkingUpload, 'ru');
      names['#rus'] = 'state';
      values[':rus'] = 'CHECKING';
      conditions.push('#ru.#rus = :rus');
    }
    return this.#table.updateIf({
      Key: distributionHeaderKey(poolId, distributionId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** Progress figures only (no condition): a late write shows older figures, never wrong money. */
  async reportProgress(poolId: string, distributionId: string, job: JobProgress): Promise<void> {
    await this.update(poolId, distributionId, { job }, { jobStep: job.step });
  }
}
