/**
 * Persistence of distribution plans: one header item per plan in the pool's partition, holding
 * the plan's status, totals, sign-offs and the progress of its background job. The plan's lines
 * (a million claims would be a million items under one partition key) live in S3
 * (artefact-store.ts); the header says how many chunks there are.
 *
 * Every change is one conditional UpdateItem, so a job step that runs twice (SQS delivers at
 * least once) moves the header once: `advanceJob` only from the step it expects.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DistributionBasis } from '../domain/distribution.ts';
import type { SignOff } from '../domain/dual-control.ts';
import { isConditionalFailure } from './batch.ts';
import { queryAll } from './paging.ts';
import { DIST_SK_PREFIX, distributionHeaderKey, poolPk } from './pool-keys.ts';

export type DistributionStatus = 'COMPUTING' | 'PLANNED' | 'APPROVED' | 'RELEASED' | 'FAILED';

export type JobPhase = 'COUNT' | 'READ' | 'COMPUTE' | 'DONE';

/** What GET shows while a plan is computed, and afterwards. */
export interface JobProgress {
  state: 'QUEUED' | 'RUNNING' | 'READY' | 'FAILED';
  phase: JobPhase;
  /** The step the job is waiting to run; a message for another step is a duplicate. */
  step: number;
  /** Where reading the pool's claims goes on from. */
  cursor?: string;
  claimsTotal?: number;
  claimsRead: number;
  inputChunks: number;
  linesWritten: number;
  percent: number;
  errors: string[];
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** Applying accepted payment results files to claims, chunk by chunk. */
export interface ResultsProgress {
  /** Accepted files so far; the job applies file `files`. */
  files: number;
  state: 'APPLYING' | 'DONE';
  /** Chunk of the current file the job applies next. */
  step: number;
  chunks: number;
  applied: number;
  total: number;
  paid: number;
  paidCents: number;
  returned: number;
  returnedCents: number;
}

export interface DistributionHeader {
  distributionId: string;
  poolId: string;
  status: DistributionStatus;
  currency: string;
  /** 1 for a pool's first plan; later rounds share what is left. */
  roundNumber: number;
  /** The pool's plan before this one (the round this one follows). */
  previousDistributionId?: string;
  job: JobProgress;
  /** People who must sign off (creator included), from deployment configuration. */
  requiredApprovers: number;
  createdBy: string;
  createdAt: string;
  poolAmountChangedBy?: string;
  approvals: SignOff[];
  releaseApprovals: SignOff[];
  // Set when the plan is computed:
  /** The pool's whole amount when the plan was computed. */
  poolTotalCents?: number;
  /** Paid and still on its way from earlier rounds, when the plan was computed. */
  paidBeforeCents?: number;
  committedBeforeCents?: number;
  /** The money this plan shares out: the pool less earlier payments (all of it in round 1). */
  poolAmountCents?: number;
  minimumPayoutCents?: number;
  basis?: DistributionBasis;
  totalRecognizedLossCents?: number;
  totalPayoutCents?: number;
  leftoverCents?: number;
  rounds?: number;
  payoutCount?: number;
  excludedCount?: number;
  excludedLossCents?: number;
  reissueCount?: number;
  reissueCents?: number;
  payoutChunks?: number;
  excludedChunks?: number;
  /** SHA-256 over the pool terms and every claim row (id, loss, paid, version) the plan used. */
  fingerprint?: string;
  approvedBy?: string;
  approvedAt?: string;
  scheduledAt?: string;
  heldClaimIds?: string[];
  releasedBy?: string;
  releasedAt?: string;
  results?: ResultsProgress;
}

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
  'releasedBy',
  'releasedAt',
  'results',
] as const satisfies readonly (keyof DistributionHeader)[];

function toHeader(item: Record<string, unknown>): DistributionHeader {
  const out: Record<string, unknown> = {};
  for (const k of HEADER_FIELDS) if (item[k] !== undefined) out[k] = item[k];
  out['approvals'] ??= [];
  out['releaseApprovals'] ??= [];
  out['roundNumber'] ??= 1;
  return out as unknown as DistributionHeader;
}

export class DistributionRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async create(header: DistributionHeader): Promise<void> {
    const item: Record<string, unknown> = {
      ...distributionHeaderKey(header.poolId, header.distributionId),
      entity: ENTITY_HEADER,
    };
    for (const k of HEADER_FIELDS) if (header[k] !== undefined) item[k] = header[k];
    await this.#doc.send(
      new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async getHeader(poolId: string, distributionId: string): Promise<DistributionHeader | undefined> {
    const res = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: distributionHeaderKey(poolId, distributionId),
        ConsistentRead: true,
      }),
    );
    return res?.Item ? toHeader(res.Item) : undefined;
  }

  async listHeaders(poolId: string): Promise<DistributionHeader[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': poolPk(poolId), ':p': DIST_SK_PREFIX },
    });
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
    expected: {
      status?: DistributionStatus;
      jobStep?: number;
      resultsFiles?: number | null;
      resultsStep?: number;
    },
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
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: distributionHeaderKey(poolId, distributionId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
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

  /** Progress figures only (no condition): a late write shows older figures, never wrong money. */
  async reportProgress(poolId: string, distributionId: string, job: JobProgress): Promise<void> {
    await this.update(poolId, distributionId, { job }, { jobStep: job.step });
  }
}
