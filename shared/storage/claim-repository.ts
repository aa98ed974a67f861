/**
 * Persistence of claims, their identifier links and their "this report has a claim" markers.
 *
 * A claim changes only through `transition`: one UpdateItem conditioned on the version that was
 * read, which also bumps the version, appends to the timeline and moves the index keys (status is
 * part of them). Two reviewers deciding at once: one wins, the other gets a clear 409.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, ClaimStatus, DecisionRecord, PayoutRecord, TimelineEntry } from '../domain/claim.ts';
import { ConflictError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import { paymentLinksOf } from '../domain/report-content.ts';
import { batchGet, batchWrite, isConditionalFailure, projectsAll, putRequest } from './batch.ts';
import {
  CLAIM_SK,
  claimIdOfPk,
  claimIndexKeys,
  claimPk,
  claimsByPoolPk,
  claimsByStatusPk,
  REPORT_CLAIM_MARKER_PREFIX,
  reportClaimMarkerKey,
} from './claim-keys.ts';
import { INDICATOR_CLAIM_SK_PREFIX, indicatorClaimSk, indicatorPk } from './indicator-keys.ts';
import { decodeKey, encodeKey, type Page, queryAll } from './paging.ts';

const ENTITY_CLAIM = 'claim';
const ENTITY_LINK = 'indicator-link';
const ENTITY_MARKER = 'report-claim';

export interface LinkedClaim {
  claimId: string;
  filedAt: string;
  poolId?: string;
  paid: { currency: string; amountCents: number }[];
}

export interface ApprovedClaimRow {
  claimId: string;
  recognizedLossCents: number;
  version: number;
}

/** One change of a claim; everything in it is written in a single conditional UpdateItem. */
export interface ClaimTransition {
  status?: ClaimStatus;
  timeline?: TimelineEntry;
  decision?: DecisionRecord;
  recognizedLossCents?: number;
  clearRecognizedLoss?: boolean;
  poolId?: string;
  payout?: PayoutRecord;
  distributionId?: string;
  reconsideration?: { requestedAt: string; reason: string };
  flags?: string[];
}

const CLAIM_FIELDS = [
  'claimId',
  'status',
  'version',
  'filedAt',
  'updatedAt',
  'accessCodeHash',
  'poolId',
  'reportIds',
  'invitationCode',
  'claimant',
  'payments',
  'currency',
  'claimedCents',
  'recoveriesCents',
  'attestation',
  'timeline',
  'decisions',
  'recognizedLossCents',
  'flags',
  'payout',
  'reconsideration',
  'assisted',
] as const satisfies readonly (keyof Claim)[];

export function toClaim(item: Record<string, unknown>): Claim {
  const out: Record<string, unknown> = {};
  for (const k of CLAIM_FIELDS) if (item[k] !== undefined) out[k] = item[k];
  out['reportIds'] ??= [];
  out['timeline'] ??= [];
  out['decisions'] ??= [];
  out['flags'] ??= [];
  return out as unknown as Claim;
}

function claimItem(c: Claim): Record<string, unknown> {
  const item: Record<string, unknown> = {
    pk: claimPk(c.claimId),
    sk: CLAIM_SK,
    ...claimIndexKeys(c.claimId, c.poolId, c.status, c.filedAt),
    entity: ENTITY_CLAIM,
  };
  for (const k of CLAIM_FIELDS) if (c[k] !== undefined) item[k] = c[k];
  return item;
}

export class ClaimRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async create(claim: Claim): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: claimItem(claim),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(claimId: string): Promise<Claim | undefined> {
    const res = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: claimPk(claimId), sk: CLAIM_SK },
        ConsistentRead: true,
      }),
    );
    return res?.Item ? toClaim(res.Item) : undefined;
  }

  async getMany(claimIds: readonly string[]): Promise<Map<string, Claim>> {
    const items = await batchGet(
      this.#doc,
      this.#table,
      claimIds.map((id) => ({ pk: claimPk(id), sk: CLAIM_SK })),
    );
    return new Map(items.map((i) => [String(i['claimId']), toClaim(i)]));
  }

  /**
   * Applies a change if the claim is still at `expected.version`. Returns false when it is not
   * (someone else changed it): the caller decides whether that is a conflict or already done.
   */
  async transition(expected: Claim, change: ClaimTransition, now: string): Promise<boolean> {
    const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = {
      ':expected': expected.version,
      ':next': expected.version + 1,
      ':now': now,
    };
    const sets = ['#version = :next', '#updatedAt = :now'];
    const removes: string[] = [];
    const set = (name: string, value: unknown) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    };
    const status = change.status ?? expected.status;
    const poolId = change.poolId ?? expected.poolId;
    if (change.status !== undefined) set('status', change.status);
    if (change.poolId !== undefined) set('poolId', change.poolId);
    if (change.status !== undefined || change.poolId !== undefined) {
      for (const [k, v] of Object.entries(
        claimIndexKeys(expected.claimId, poolId, status, expected.filedAt),
      )) {
        set(k, v);
      }
    }
    if (change.recognizedLossCents !== undefined) set('recognizedLossCents', change.recognizedLossCents);
    else if (change.clearRecognizedLoss) {
      names['#recognizedLossCents'] = 'recognizedLossCents';
      removes.push('#recognizedLossCents');
    }
    if (change.payout !== undefined) set('payout', change.payout);
    if (change.distributionId !== undefined) set('distributionId', change.distributionId);
    if (change.reconsideration !== undefined) set('reconsideration', change.reconsideration);
    if (change.flags !== undefined) set('flags', change.flags);
    if (change.timeline !== undefined) {
      names['#timeline'] = 'timeline';
      values[':timeline'] = [change.timeline];
      values[':empty'] = [];
      sets.push('#timeline = list_append(if_not_exists(#timeline, :empty), :timeline)');
    }
    if (change.decision !== undefined) {
      names['#decisions'] = 'decisions';
      values[':decision'] = [change.decision];
      values[':empty'] = [];
      sets.push('#decisions = list_append(if_not_exists(#decisions, :empty), :decision)');
    }
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: claimPk(expected.claimId), sk: CLAIM_SK },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#version = :expected',
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

  /** `transition`, with a lost race reported as a 409 the person can act on. */
  async transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void> {
    if (!(await this.transition(expected, change, now))) {
      throw new ConflictError(
        `Claim ${expected.claimId} changed while you were working on it. Reload it and try again.`,
        'CLAIM_CHANGED',
      );
    }
  }

  /** One index item per identifier the claim's payments went to (identical overwrites on retry). */
  async putLinks(claim: Claim): Promise<void> {
    const links = paymentLinksOf(claim.payments);
    await batchWrite(
      this.#doc,
      this.#table,
      links.map((l) =>
        putRequest({
          pk: indicatorPk(l.type, l.value),
          sk: indicatorClaimSk(claim.claimId),
          entity: ENTITY_LINK,
          type: l.type,
          value: l.value,
          display: l.display,
          claimId: claim.claimId,
          filedAt: claim.filedAt,
          ...(claim.poolId ? { poolId: claim.poolId } : {}),
          roles: l.roles,
          paid: l.paid,
        }),
      ),
    );
  }

  /** Marks each report the claim names, so matching does not invite a victim who already claimed. */
  async putReportMarkers(claim: Claim): Promise<void> {
    await batchWrite(
      this.#doc,
      this.#table,
      claim.reportIds.map((reportId) =>
        putRequest({
          ...reportClaimMarkerKey(reportId, claim.claimId),
          entity: ENTITY_MARKER,
          reportId,
          claimId: claim.claimId,
          ...(claim.poolId ? { poolId: claim.poolId } : {}),
        }),
      ),
    );
  }

  async reportHasClaim(reportId: string): Promise<boolean> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `REPORT#${reportId}`, ':p': REPORT_CLAIM_MARKER_PREFIX },
        Limit: 1,
      }),
    );
    return (res?.Items?.length ?? 0) > 0;
  }

  async linkedClaims(
    type: IndicatorType,
    value: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<LinkedClaim>> {
    const pk = indicatorPk(type, value);
    const start = decodeKey(opts.cursor, ['pk', 'sk'], (k) => k['pk'] === pk);
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': INDICATOR_CLAIM_SK_PREFIX },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    const cursor = encodeKey(res?.LastEvaluatedKey);
    return {
      items: (res?.Items ?? []).map((i) => ({
        claimId: String(i['claimId']),
        filedAt: String(i['filedAt']),
        ...(typeof i['poolId'] === 'string' ? { poolId: i['poolId'] } : {}),
        paid: (i['paid'] as LinkedClaim['paid']) ?? [],
      })),
      ...(cursor ? { cursor } : {}),
    };
  }

  /** The review queue: a pool's claims (optionally of one status), or one status across pools. Oldest first. */
  async queue(opts: {
    poolId?: string | null;
    status?: ClaimStatus;
    limit: number;
    cursor?: string;
  }): Promise<Page<Claim>> {
    const byPool = opts.poolId !== undefined;
    const index = byPool ? 'gsi3' : 'gsi2';
    const pkName = byPool ? 'gsi3pk' : 'gsi2pk';
    const skName = byPool ? 'gsi3sk' : 'gsi2sk';
    const pk = byPool
      ? claimsByPoolPk(opts.poolId ?? undefined)
      : claimsByStatusPk(opts.status ?? 'SUBMITTED');
    const start = decodeKey(opts.cursor, ['pk', 'sk', pkName, skName], (k) => k[pkName] === pk);
    const withStatus = byPool && opts.status !== undefined;
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: index,
        KeyConditionExpression: withStatus ? '#pk = :pk AND begins_with(#sk, :s)' : '#pk = :pk',
        ExpressionAttributeNames: withStatus ? { '#pk': pkName, '#sk': skName } : { '#pk': pkName },
        ExpressionAttributeValues: { ':pk': pk, ...(withStatus ? { ':s': `${opts.status}#` } : {}) },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    const cursor = encodeKey(res?.LastEvaluatedKey);
    const page = res?.Items ?? [];
    let items: Claim[];
    if (projectsAll(index)) items = page.map(toClaim);
    else {
      // gsi2 holds keys only (tables.ts): fetch the claims, in the index's order.
      const ids = page.map((i) => claimIdOfPk(String(i['pk'])));
      const found = await this.getMany(ids);
      items = ids.flatMap((id) => found.get(id) ?? []);
    }
    return { items, ...(cursor ? { cursor } : {}) };
  }

  /** Every APPROVED claim of a pool: what a distribution plan is computed over. */
  async approvedForPool(poolId: string): Promise<ApprovedClaimRow[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :s)',
      ExpressionAttributeValues: { ':pk': claimsByPoolPk(poolId), ':s': 'APPROVED#' },
      ProjectionExpression: 'claimId, recognizedLossCents, version',
    });
    return items.map((i) => ({
      claimId: String(i['claimId']),
      recognizedLossCents: Number(i['recognizedLossCents']),
      version: Number(i['version']),
    }));
  }
}
