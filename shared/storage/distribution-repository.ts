/**
 * Persistence of distribution plans: a header in the pool's partition (status, totals, the
 * fingerprint of the claims it was computed from) and one item per payout or exclusion.
 *
 * The header is written last when a plan is stored (a header means the lines are complete) and
 * moves PLANNED -> APPROVED with a conditional write; approving is resumable: `scheduledAt` is
 * set once every claim of the plan has moved to PAYMENT_SCHEDULED.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../domain/page.ts';
import type { DistributionHeader, DistributionStore, PlanLine } from '../use-cases/distribute.ts';
import { putRequest } from './batch.ts';
import {
  distributionPk,
  EXCLUDED_SK_PREFIX,
  excludedKey,
  PAYOUT_SK_PREFIX,
  payoutKey,
} from './distribution-keys.ts';
import { DIST_SK_PREFIX, distributionHeaderKey, poolPk } from './pool-keys.ts';
import { Table } from './table.ts';

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

export class DistributionRepository implements DistributionStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  /** Stores the lines, then the header (so a visible header always has all its lines). */
  async putPlan(header: DistributionHeader, lines: readonly PlanLine[]): Promise<void> {
    await this.#table.batchWrite(
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

  /** PLANNED -> APPROVED. Returns false when the plan is not PLANNED any more. */
  async approve(poolId: string, distributionId: string, by: string, at: string): Promise<boolean> {
    return this.#table.updateIf({
      Key: distributionHeaderKey(poolId, distributionId),
      UpdateExpression: 'SET #status = :approved, approvedBy = :by, approvedAt = :at',
      ConditionExpression: '#status = :planned',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':approved': 'APPROVED', ':planned': 'PLANNED', ':by': by, ':at': at },
    });
  }

  async markScheduled(poolId: string, distributionId: string, at: string, held: readonly string[]) {
    await this.#table.update({
      Key: distributionHeaderKey(poolId, distributionId),
      UpdateExpression: 'SET scheduledAt = if_not_exists(scheduledAt, :at), heldClaimIds = :held',
      ExpressionAttributeValues: { ':at': at, ':held': [...held] },
    });
  }

  /** A page of the plan's payouts (or exclusions), in claim id order. */
  async listLines(
    distributionId: string,
    which: 'payouts' | 'excluded',
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PlanLine>> {
    const page = await this.#table.queryPartitionPage(
      distributionPk(distributionId),
      which === 'payouts' ? PAYOUT_SK_PREFIX : EXCLUDED_SK_PREFIX,
      opts,
    );
    return { ...page, items: page.items.map(toLine) };
  }

  async allLines(distributionId: string): Promise<PlanLine[]> {
    const items = await this.#table.queryAllUnder(distributionPk(distributionId));
    return items.map(toLine);
  }
}
