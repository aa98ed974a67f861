/**
 * Persistence of distribution plans: a header in the pool's partition (status, totals, the
 * fingerprint of the claims it was computed from) and one item per payout or exclusion.
 *
 * The header is written last when a plan is stored (a header means the lines are complete) and
 * moves PLANNED -> APPROVED with a conditional write; approving is resumable: `scheduledAt` is
 * set once every claim of the plan has moved to PAYMENT_SCHEDULED.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DistributionBasis } from '../domain/distribution.ts';
import { batchWrite, isConditionalFailure, putRequest } from './batch.ts';
import {
  distributionPk,
  EXCLUDED_SK_PREFIX,
  excludedKey,
  PAYOUT_SK_PREFIX,
  payoutKey,
} from './distribution-keys.ts';
import { decodeKey, encodeKey, type Page, queryAll } from './paging.ts';
import { DIST_SK_PREFIX, distributionHeaderKey, poolPk } from './pool-keys.ts';

export type DistributionStatus = 'PLANNED' | 'APPROVED';

export interface DistributionHeader {
  distributionId: string;
  poolId: string;
  status: DistributionStatus;
  currency: string;
  poolAmountCents: number;
  minimumPayoutCents: number;
  basis: DistributionBasis;
  totalRecognizedLossCents: number;
  totalPayoutCents: number;
  leftoverCents: number;
  rounds: number;
  payoutCount: number;
  excludedCount: number;
  /** SHA-256 over the pool terms and every approved claim (id, loss, version) the plan used. */
  fingerprint: string;
  createdBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  /** Set when every claim of the approved plan has been moved to PAYMENT_SCHEDULED. */
  scheduledAt?: string;
  /** Claims that changed after the plan was locked, so their payment was not scheduled. */
  heldClaimIds?: string[];
}

export interface PlanLine {
  claimId: string;
  recognizedLossCents: number;
  /** 0 for an excluded claim. */
  payoutCents: number;
  claimVersion: number;
  excluded?: { reason: string; exactShareCents: string; round: number };
  explanation: Record<string, unknown>;
}

const ENTITY_HEADER = 'distribution';
const ENTITY_LINE = 'distribution-line';

const HEADER_FIELDS = [
  'distributionId',
  'poolId',
  'status',
  'currency',
  'poolAmountCents',
  'minimumPayoutCents',
  'basis',
  'totalRecognizedLossCents',
  'totalPayoutCents',
  'leftoverCents',
  'rounds',
  'payoutCount',
  'excludedCount',
  'fingerprint',
  'createdBy',
  'createdAt',
  'approvedBy',
  'approvedAt',
  'scheduledAt',
  'heldClaimIds',
] as const satisfies readonly (keyof DistributionHeader)[];

function toHeader(item: Record<string, unknown>): DistributionHeader {
  const out: Record<string, unknown> = {};
  for (const k of HEADER_FIELDS) if (item[k] !== undefined) out[k] = item[k];
  return out as unknown as DistributionHeader;
}

function toLine(i: Record<string, unknown>): PlanLine {
  return {
    claimId: String(i['claimId']),
    recognizedLossCents: Number(i['recognizedLossCents']),
    payoutCents: Number(i['payoutCents']),
    claimVersion: Number(i['claimVersion']),
    ...(i['excluded'] ? { excluded: i['excluded'] as PlanLine['excluded'] } : {}),
    explanation: (i['explanation'] as Record<string, unknown>) ?? {},
  };
}

export class DistributionRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  /** Stores the lines, then the header (so a visible header always has all its lines). */
  async putPlan(header: DistributionHeader, lines: readonly PlanLine[]): Promise<void> {
    await batchWrite(
      this.#doc,
      this.#table,
      lines.map((l) =>
        putRequest({
          ...(l.excluded
            ? excludedKey(header.distributionId, l.claimId)
            : payoutKey(header.distributionId, l.claimId)),
          entity: ENTITY_LINE,
          distributionId: header.distributionId,
          claimId: l.claimId,
          recognizedLossCents: l.recognizedLossCents,
          payoutCents: l.payoutCents,
          claimVersion: l.claimVersion,
          ...(l.excluded ? { excluded: l.excluded } : {}),
          explanation: l.explanation,
        }),
      ),
    );
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

  /** PLANNED -> APPROVED. Returns false when the plan is not PLANNED any more. */
  async approve(poolId: string, distributionId: string, by: string, at: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: distributionHeaderKey(poolId, distributionId),
          UpdateExpression: 'SET #status = :approved, approvedBy = :by, approvedAt = :at',
          ConditionExpression: '#status = :planned',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':approved': 'APPROVED', ':planned': 'PLANNED', ':by': by, ':at': at },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  async markScheduled(poolId: string, distributionId: string, at: string, held: readonly string[]) {
    await this.#doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: distributionHeaderKey(poolId, distributionId),
        UpdateExpression: 'SET scheduledAt = if_not_exists(scheduledAt, :at), heldClaimIds = :held',
        ExpressionAttributeValues: { ':at': at, ':held': [...held] },
      }),
    );
  }

  /** A page of the plan's payouts (or exclusions), in claim id order. */
  async listLines(
    distributionId: string,
    which: 'payouts' | 'excluded',
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PlanLine>> {
    const pk = distributionPk(distributionId);
    const start = decodeKey(opts.cursor, ['pk', 'sk'], (k) => k['pk'] === pk);
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':p': which === 'payouts' ? PAYOUT_SK_PREFIX : EXCLUDED_SK_PREFIX,
        },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    const cursor = encodeKey(res?.LastEvaluatedKey);
    return { items: (res?.Items ?? []).map(toLine), ...(cursor ? { cursor } : {}) };
  }

  async allLines(distributionId: string): Promise<PlanLine[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': distributionPk(distributionId) },
    });
    return items.map(toLine);
  }
}
