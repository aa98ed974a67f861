/**
 * Persistence of claims, their identifier links and their "this report has a claim" markers.
 *
 * A claim changes only through `transition`: one UpdateItem conditioned on the version that was
 * read, which also bumps the version, appends to the timeline and moves the index keys (status is
 * part of them). Two reviewers deciding at once: one wins, the other gets a clear 409.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovedClaimRow, Claim, ClaimStatus, ClaimTransition, LinkedClaim } from '../domain/claim.ts';
import type { ClaimPlace, PendingClaimMove } from '../domain/dashboard.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { Page } from '../domain/page.ts';
import { paymentLinksOf } from '../domain/report-content.ts';
import type { LedgerClaim } from '../domain/rounds.ts';
import type { ReconsiderationDeps } from '../use-cases/claim-status.ts';
import type { ClaimCountOutbox } from '../use-cases/dashboard.ts';
import type { DistributionDeps } from '../use-cases/distribute.ts';
import type { NewClaimStore } from '../use-cases/file-claim.ts';
import type { ClaimMarkers } from '../use-cases/match-pools.ts';
import type { IndicatorClaimReader } from '../use-cases/read-reports.ts';
import type { ReviewClaimStore } from '../use-cases/review-claims.ts';
import { projectsAll, putRequest } from './batch.ts';
import {
  CLAIM_SK,
  claimIdOfPk,
  claimIndexKeys,
  claimPk,
  claimsByPoolPks,
  claimsByPoolStatusPrefix,
  claimsByStatusPks,
  PENDING_CLAIM_COUNTS_PK,
  pendingClaimCountKeys,
  REPORT_CLAIM_MARKER_PREFIX,
  reportClaimMarkerKey,
  reportClaimMarkerPk,
} from './claim-keys.ts';
import { INDICATOR_CLAIM_SK_PREFIX, indicatorClaimSk, indicatorPk } from './indicator-keys.ts';
import { decodeKey, encodeKey } from './paging.ts';
import { Table } from './table.ts';

const ENTITY_CLAIM = 'claim';
const ENTITY_LINK = 'indicator-link';
const ENTITY_MARKER = 'report-claim';
/** The claim item's list of dashboard moves not yet counted (docs/dashboard.md, "Claims"). */
const COUNT_MOVES = 'countMoves';

/** One claim as a later round sees it (domain/rounds.ts). */
function toLedgerClaim(i: Record<string, unknown>): LedgerClaim {
  const p = i['payout'] as Record<string, unknown> | undefined;
  const state = p?.['state'];
  return {
    claimId: String(i['claimId']),
    status: String(i['status']),
    version: Number(i['version']),
    ...(typeof i['recognizedLossCents'] === 'number'
      ? { recognizedLossCents: i['recognizedLossCents'] }
      : {}),
    ...(typeof i['paidCents'] === 'number' ? { paidCents: i['paidCents'] } : {}),
    ...(p && typeof p['distributionId'] === 'string'
      ? {
          payout: {
            distributionId: p['distributionId'],
            payoutCents: Number(p['payoutCents'] ?? 0),
            ...(state === 'SCHEDULED' || state === 'PAID' || state === 'RETURNED' ? { state } : {}),
            ...(typeof p['returnedAt'] === 'string' ? { returnedAt: p['returnedAt'] } : {}),
          },
        }
      : {}),
    ...(typeof i['paymentDetailsUpdatedAt'] === 'string'
      ? { paymentDetailsUpdatedAt: i['paymentDetailsUpdatedAt'] }
      : {}),
  };
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
  'language',
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
  'paidCents',
  'paymentDetailsUpdatedAt',
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

const placeOf = (poolId: string | undefined, status: ClaimStatus): ClaimPlace => ({
  ...(poolId ? { poolId } : {}),
  status,
});

function claimItem(c: Claim): Record<string, unknown> {
  const move: PendingClaimMove = { version: c.version, to: placeOf(c.poolId, c.status) };
  const item: Record<string, unknown> = {
    pk: claimPk(c.claimId),
    sk: CLAIM_SK,
    ...claimIndexKeys(c.claimId, c.poolId, c.status, c.filedAt),
    entity: ENTITY_CLAIM,
    // The dashboard's count of this claim, written with it (settleClaimCounts counts it).
    [COUNT_MOVES]: [move],
    ...pendingClaimCountKeys(c.claimId),
  };
  for (const k of CLAIM_FIELDS) if (c[k] !== undefined) item[k] = c[k];
  return item;
}

/** Every claim use case's interface, in the one shape the class implements. */
type ClaimStore = ReviewClaimStore &
  NewClaimStore &
  ClaimMarkers &
  Pick<IndicatorClaimReader, 'linkedClaims'> &
  ReconsiderationDeps['claims'] &
  DistributionDeps['claims'] &
  ClaimCountOutbox;

export class ClaimRepository implements ClaimStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async create(claim: Claim): Promise<void> {
    await this.#table.put(claimItem(claim), { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(claimId: string): Promise<Claim | undefined> {
    const item = await this.#table.get({ pk: claimPk(claimId), sk: CLAIM_SK }, { consistent: true });
    return item ? toClaim(item) : undefined;
  }

  async getMany(claimIds: readonly string[]): Promise<Map<string, Claim>> {
    const items = await this.#table.batchGet(claimIds.map((id) => ({ pk: claimPk(id), sk: CLAIM_SK })));
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
      for (const [k, v] of Object.entries({
        ...claimIndexKeys(expected.claimId, poolId, status, expected.filedAt),
        ...pendingClaimCountKeys(expected.claimId),
      })) {
        set(k, v);
      }
      // The dashboard's move goes in this same write, so a crash before it is counted loses
      // nothing: settleClaimCounts (after this write, or at the next dashboard read) counts it.
      const move: PendingClaimMove = {
        version: expected.version + 1,
        from: placeOf(expected.poolId, expected.status),
        to: placeOf(poolId, status),
      };
      names['#moves'] = COUNT_MOVES;
      values[':move'] = [move];
      values[':empty'] = [];
      sets.push('#moves = list_append(if_not_exists(#moves, :empty), :move)');
    }
    if (change.recognizedLossCents !== undefined) set('recognizedLossCents', change.recognizedLossCents);
    else if (change.clearRecognizedLoss) {
      names['#recognizedLossCents'] = 'recognizedLossCents';
      removes.push('#recognizedLossCents');
    }
    if (change.payout !== undefined) set('payout', change.payout);
    if (change.distributionId !== undefined) set('distributionId', change.distributionId);
    if (change.claimant !== undefined) set('claimant', change.claimant);
    if (change.paymentDetailsUpdatedAt !== undefined)
      set('paymentDetailsUpdatedAt', change.paymentDetailsUpdatedAt);
    if (change.addPaidCents !== undefined) {
      names['#paidCents'] = 'paidCents';
      values[':paid'] = change.addPaidCents;
      values[':zero'] = 0;
      sets.push('#paidCents = if_not_exists(#paidCents, :zero) + :paid');
    }
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
    return this.#table.updateIf({
      Key: { pk: claimPk(expected.claimId), sk: CLAIM_SK },
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
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

  async pendingClaimCounts(limit: number): Promise<string[]> {
    const { items } = await this.#table.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': PENDING_CLAIM_COUNTS_PK },
      Limit: limit,
    });
    return items.map((i) => claimIdOfPk(String(i['pk'])));
  }

  async claimCountMoves(
    claimId: string,
  ): Promise<{ version: number; moves: PendingClaimMove[] } | undefined> {
    const item = await this.#table.get({ pk: claimPk(claimId), sk: CLAIM_SK }, { consistent: true });
    if (!item) return undefined;
    return { version: Number(item['version']), moves: (item[COUNT_MOVES] as PendingClaimMove[]) ?? [] };
  }

  async clearClaimCountMoves(claimId: string, version: number): Promise<boolean> {
    return this.#table.updateIf({
      Key: { pk: claimPk(claimId), sk: CLAIM_SK },
      UpdateExpression: 'REMOVE #moves, gsi1pk, gsi1sk',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#moves': COUNT_MOVES, '#version': 'version' },
      ExpressionAttributeValues: { ':version': version },
    });
  }

  /** One index item per identifier the claim's payments went to (identical overwrites on retry). */
  async putLinks(claim: Claim): Promise<void> {
    const links = paymentLinksOf(claim.payments);
    await this.#table.batchWrite(
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
    await this.#table.batchWrite(
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
    const page = await this.#table.queryPartitionPage(
      reportClaimMarkerPk(reportId),
      REPORT_CLAIM_MARKER_PREFIX,
      { limit: 1 },
    );
    return page.items.length > 0;
  }

  async linkedClaims(
    type: IndicatorType,
    value: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<LinkedClaim>> {
    const page = await this.#table.queryPartitionPage(
      indicatorPk(type, value),
      INDICATOR_CLAIM_SK_PREFIX,
      opts,
    );
    return {
      ...page,
      items: page.items.map((i) => ({
        claimId: String(i['claimId']),
        filedAt: String(i['filedAt']),
        ...(typeof i['poolId'] === 'string' ? { poolId: i['poolId'] } : {}),
        paid: (i['paid'] as LinkedClaim['paid']) ?? [],
      })),
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
    const pks = byPool
      ? claimsByPoolPks(opts.poolId ?? undefined)
      : claimsByStatusPks(opts.status ?? 'SUBMITTED');
    const statusPrefix =
      byPool && opts.status !== undefined ? claimsByPoolStatusPrefix(opts.status) : undefined;
    const withStatus = statusPrefix !== undefined;
    const names: Record<string, string> = withStatus ? { '#pk': pkName, '#sk': skName } : { '#pk': pkName };
    const page = await this.#table.queryShardsPage(
      pks,
      (pk) => ({
        IndexName: index,
        KeyConditionExpression: withStatus ? '#pk = :pk AND begins_with(#sk, :s)' : '#pk = :pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(withStatus ? { ':s': statusPrefix } : {}),
        },
      }),
      opts,
      ['pk', 'sk', pkName, skName],
      pkName,
      skName,
    );
    if (projectsAll(index)) return { ...page, items: page.items.map(toClaim) };
    // gsi2 holds keys only (tables.ts): fetch the claims, in the index's order.
    const ids = page.items.map((i) => claimIdOfPk(String(i['pk'])));
    const found = await this.getMany(ids);
    return { ...page, items: ids.flatMap((id) => found.get(id) ?? []) };
  }

  /** How many claims a pool has (any status): the denominator of a plan job's progress. */
  async countForPool(poolId: string): Promise<number> {
    const counts = await Promise.all(
      claimsByPoolPks(poolId).map(async (pk) => {
        let count = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const res = await this.#table.doc.send(
            new QueryCommand({
              TableName: this.#table.name,
              IndexName: 'gsi3',
              KeyConditionExpression: 'gsi3pk = :pk',
              ExpressionAttributeValues: { ':pk': pk },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          count += res?.Count ?? 0;
          start = res?.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Up to `limit` claims of a pool (any status) with what a later round needs (loss, paid, latest
   * payment), and a cursor for the rest. A plan job reads the pool this way, one step per page,
   * one shard after another (the cursor names the shard and the key within it).
   */
  async ledgerPage(poolId: string, opts: { limit: number; cursor?: string }): Promise<Page<LedgerClaim>> {
    const pks = claimsByPoolPks(poolId);
    const at = decodeLedgerCursor(opts.cursor, pks.length);
    let shard = at.shard;
    let start: Record<string, unknown> | undefined =
      at.key === undefined
        ? undefined
        : decodeKey(at.key, ['pk', 'sk', 'gsi3pk', 'gsi3sk'], (k) => k['gsi3pk'] === pks[shard]);
    const items: LedgerClaim[] = [];
    while (shard < pks.length && items.length < opts.limit) {
      const res = await this.#table.query({
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': pks[shard] },
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#state': 'state' },
        ProjectionExpression:
          'pk, sk, gsi3pk, gsi3sk, claimId, #status, #version, recognizedLossCents, paidCents, payout.distributionId, payout.payoutCents, payout.#state, payout.returnedAt, paymentDetailsUpdatedAt',
        Limit: opts.limit - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      for (const i of res.items) items.push(toLedgerClaim(i));
      start = res.lastKey;
      if (!start) shard++;
    }
    const key = encodeKey(start);
    const cursor = shard < pks.length ? `${shard}.${key ?? ''}` : undefined;
    return { items, ...(cursor ? { cursor } : {}) };
  }

  /** Every APPROVED claim of a pool: what a distribution plan is computed over. */
  async approvedForPool(poolId: string): Promise<ApprovedClaimRow[]> {
    const shards = await Promise.all(
      claimsByPoolPks(poolId).map((pk) =>
        this.#table.queryAll({
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :s)',
          ExpressionAttributeValues: { ':pk': pk, ':s': claimsByPoolStatusPrefix('APPROVED') },
          ProjectionExpression: 'claimId, recognizedLossCents, version',
        }),
      ),
    );
    const items = shards.flat();
    return items.map((i) => ({
      claimId: String(i['claimId']),
      recognizedLossCents: Number(i['recognizedLossCents']),
      version: Number(i['version']),
    }));
  }
}

/** `<shard>.<key cursor>` of ledgerPage: the shard to read and where in it (empty: its start). */
function decodeLedgerCursor(cursor: string | undefined, shards: number): { shard: number; key?: string } {
  if (cursor === undefined) return { shard: 0 };
  const m = /^(\d{1,3})\.([A-Za-z0-9_-]*)$/.exec(cursor);
  const shard = Number(m?.[1]);
  if (!m || shard >= shards) {
    throw new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
    ]);
  }
  return { shard, ...(m[2] ? { key: m[2] } : {}) };
}
