/**
 * Persistence of pools, their seized-identifier markers, their matches and their invitations.
 *
 * Every write is a single-item conditional write or an idempotent overwrite/delete (dynalite has
 * no transactions), so a crash between two steps is repaired by running the step again:
 * - `create` only if absent; `replace` only if the version is the one that was read;
 * - markers and matches are overwritten with the same key, deletions are idempotent;
 * - one invitation per (pool, report): a conditional put, so racing matchers create one.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import { type Pool, spanishText } from '../domain/pool.ts';
import type { IndicatorLink, IndicatorRef } from '../domain/report-content.ts';
import { batchWrite, deleteRequest, isConditionalFailure, projectsAll, putRequest } from './batch.ts';
import {
  INDICATOR_CLAIM_SK_PREFIX,
  INDICATOR_POOL_SK_PREFIX,
  INDICATOR_REPORT_SK_PREFIX,
  indicatorPk,
  indicatorPoolSk,
} from './indicator-keys.ts';
import { decodeKey, encodeKey, type Page, queryAll } from './paging.ts';
import {
  INVITE_SK_PREFIX,
  invitationCodePk,
  invitationKeys,
  MATCH_SK_PREFIX,
  type MatchKind,
  matchKindPrefix,
  matchSk,
  POOL_SK,
  POOLS_INDEX_PK,
  poolKeys,
  poolPk,
} from './pool-keys.ts';

/** A report or claim found in an identifier's partition. */
export interface LinkedSubject {
  kind: MatchKind;
  id: string;
  roles: IndicatorLink['roles'];
  paid: IndicatorLink['paid'];
  /** Reports: whether the filer agreed to be contacted about recovered money. */
  contactAboutRecovery?: boolean;
  /** Report received / claim filed. */
  at: string;
}

export interface PoolMatch {
  poolId: string;
  kind: MatchKind;
  subjectId: string;
  indicator: IndicatorRef;
  roles: IndicatorLink['roles'];
  paid: IndicatorLink['paid'];
  contactAboutRecovery?: boolean;
  at: string;
  matchedAt: string;
}

export interface Invitation {
  poolId: string;
  reportId: string;
  code: string;
  createdAt: string;
  /** The claim filed with this code, once one is. */
  claimId?: string;
}

const ENTITY_POOL = 'pool';
const ENTITY_SEIZED = 'pool-seized-indicator';
const ENTITY_MATCH = 'pool-match';
const ENTITY_INVITATION = 'invitation';

export function toPool(item: Record<string, unknown>): Pool {
  const pool: Pool = {
    poolId: String(item['poolId']),
    name: String(item['name']),
    caseNumber: String(item['caseNumber']),
    court: String(item['court']),
    eligibility: String(item['eligibility']),
    amountCents: Number(item['amountCents']),
    currency: String(item['currency']),
    seizedIndicators: (item['seizedIndicators'] as IndicatorRef[] | undefined) ?? [],
    claimDeadline: String(item['claimDeadline']),
    minimumPayoutCents: Number(item['minimumPayoutCents']),
    status: item['status'] as Pool['status'],
    version: Number(item['version']),
    createdBy: String(item['createdBy']),
    createdAt: String(item['createdAt']),
  };
  for (const k of ['description', 'updatedBy', 'updatedAt', 'activeDistributionId'] as const) {
    if (typeof item[k] === 'string') pool[k] = item[k] as string;
  }
  const es = spanishText(item['es'] as Pool['es']);
  if (es) pool.es = es;
  return pool;
}

function poolItem(p: Pool): Record<string, unknown> {
  // Field by field: the stored item holds exactly the pool, nothing a request might have added.
  return {
    ...poolKeys(p.poolId, p.claimDeadline),
    entity: ENTITY_POOL,
    poolId: p.poolId,
    name: p.name,
    caseNumber: p.caseNumber,
    court: p.court,
    ...(p.description ? { description: p.description } : {}),
    eligibility: p.eligibility,
    ...(p.es ? { es: spanishText(p.es) } : {}),
    amountCents: p.amountCents,
    currency: p.currency,
    seizedIndicators: p.seizedIndicators.map((s) => ({ type: s.type, value: s.value, display: s.display })),
    claimDeadline: p.claimDeadline,
    minimumPayoutCents: p.minimumPayoutCents,
    status: p.status,
    version: p.version,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    ...(p.updatedBy ? { updatedBy: p.updatedBy } : {}),
    ...(p.updatedAt ? { updatedAt: p.updatedAt } : {}),
    ...(p.activeDistributionId ? { activeDistributionId: p.activeDistributionId } : {}),
  };
}

function toMatch(i: Record<string, unknown>): PoolMatch {
  return {
    poolId: String(i['poolId']),
    kind: i['kind'] as MatchKind,
    subjectId: String(i['subjectId']),
    indicator: { type: i['type'] as IndicatorType, value: String(i['value']), display: String(i['display']) },
    roles: (i['roles'] as PoolMatch['roles']) ?? [],
    paid: (i['paid'] as PoolMatch['paid']) ?? [],
    ...(typeof i['contactAboutRecovery'] === 'boolean'
      ? { contactAboutRecovery: i['contactAboutRecovery'] }
      : {}),
    at: String(i['at']),
    matchedAt: String(i['matchedAt']),
  };
}

function toInvitation(i: Record<string, unknown>): Invitation {
  return {
    poolId: String(i['poolId']),
    reportId: String(i['reportId']),
    code: String(i['code']),
    createdAt: String(i['createdAt']),
    ...(typeof i['claimId'] === 'string' ? { claimId: i['claimId'] } : {}),
  };
}

export class PoolRepository {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async create(pool: Pool): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: poolItem(pool),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(poolId: string): Promise<Pool | undefined> {
    const res = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: poolPk(poolId), sk: POOL_SK },
        ConsistentRead: true,
      }),
    );
    return res?.Item ? toPool(res.Item) : undefined;
  }

  /** Writes the edited pool only if nobody else changed it since `expectedVersion` was read. */
  async replace(pool: Pool, expectedVersion: number): Promise<void> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: poolItem(pool),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (e) {
      if (isConditionalFailure(e)) {
        throw new ConflictError(
          'Someone else changed this pool while you were editing it. Reload it and make your change again.',
          'POOL_CHANGED',
        );
      }
      throw e;
    }
  }

  /**
   * Points the pool at its approved distribution, only if it has none (or this one already):
   * the one write that stops two plans spending the same pool.
   */
  async lockDistribution(poolId: string, distributionId: string): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: poolPk(poolId), sk: POOL_SK },
          UpdateExpression: 'SET activeDistributionId = :d',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(activeDistributionId) OR activeDistributionId = :d)',
          ExpressionAttributeValues: { ':d': distributionId },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  /** Pools whose claim deadline is on or after `fromDate` (all pools when absent), soonest first. */
  async listByDeadline(fromDate?: string): Promise<Pool[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      IndexName: 'gsi3',
      KeyConditionExpression: fromDate ? 'gsi3pk = :pk AND gsi3sk >= :from' : 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': POOLS_INDEX_PK, ...(fromDate ? { ':from': fromDate } : {}) },
    });
    return items.map(toPool);
  }

  // -------------------------------------------------------------------------------------------
  // Seized identifiers and matching

  async putSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: indicatorPk(ref.type, ref.value),
          sk: indicatorPoolSk(poolId),
          entity: ENTITY_SEIZED,
          poolId,
          type: ref.type,
          value: ref.value,
          display: ref.display,
        },
      }),
    );
  }

  async deleteSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await batchWrite(this.#doc, this.#table, [
      deleteRequest({ pk: indicatorPk(ref.type, ref.value), sk: indicatorPoolSk(poolId) }),
    ]);
  }

  /** Pools that seized this identifier (by their markers; the caller checks the pool still lists it). */
  async poolsSeizing(type: IndicatorType, value: string): Promise<string[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': indicatorPk(type, value), ':p': INDICATOR_POOL_SK_PREFIX },
      ProjectionExpression: 'poolId',
    });
    return items.map((i) => String(i['poolId']));
  }

  /**
   * Every report and claim linked to an identifier: one Query of its partition (reports, claims
   * and pool markers share it), so the cost is the number of linked items, not the table size.
   */
  async linkedSubjects(type: IndicatorType, value: string): Promise<LinkedSubject[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': indicatorPk(type, value) },
    });
    const out: LinkedSubject[] = [];
    for (const i of items) {
      const sk = String(i['sk']);
      if (sk.startsWith(INDICATOR_REPORT_SK_PREFIX)) {
        out.push({
          kind: 'REPORT',
          id: String(i['reportId']),
          roles: (i['roles'] as LinkedSubject['roles']) ?? [],
          paid: (i['paid'] as LinkedSubject['paid']) ?? [],
          contactAboutRecovery: Boolean(i['contactAboutRecovery']),
          at: String(i['receivedAt']),
        });
      } else if (sk.startsWith(INDICATOR_CLAIM_SK_PREFIX)) {
        out.push({
          kind: 'CLAIM',
          id: String(i['claimId']),
          roles: ['payment'],
          paid: (i['paid'] as LinkedSubject['paid']) ?? [],
          at: String(i['filedAt']),
        });
      }
    }
    return out;
  }

  async putMatches(matches: readonly PoolMatch[]): Promise<void> {
    await batchWrite(
      this.#doc,
      this.#table,
      matches.map((m) =>
        putRequest({
          pk: poolPk(m.poolId),
          sk: matchSk(m.kind, m.subjectId, m.indicator.type, m.indicator.value),
          entity: ENTITY_MATCH,
          poolId: m.poolId,
          kind: m.kind,
          subjectId: m.subjectId,
          type: m.indicator.type,
          value: m.indicator.value,
          display: m.indicator.display,
          roles: m.roles,
          paid: m.paid,
          ...(m.contactAboutRecovery === undefined ? {} : { contactAboutRecovery: m.contactAboutRecovery }),
          at: m.at,
          matchedAt: m.matchedAt,
        }),
      ),
    );
  }

  /** Removes every match of the pool through identifiers it no longer seizes. Returns how many. */
  async deleteMatchesExcept(poolId: string, keep: readonly IndicatorRef[]): Promise<number> {
    const kept = new Set(keep.map((r) => `${r.type}\u0000${r.value}`));
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': poolPk(poolId), ':p': MATCH_SK_PREFIX },
      ProjectionExpression: 'pk, sk, #t, #v',
      ExpressionAttributeNames: { '#t': 'type', '#v': 'value' },
    });
    const stale = items.filter((i) => !kept.has(`${String(i['type'])}\u0000${String(i['value'])}`));
    await batchWrite(
      this.#doc,
      this.#table,
      stale.map((i) => deleteRequest({ pk: i['pk'], sk: i['sk'] })),
    );
    return stale.length;
  }

  /** A page of a pool's matches of one kind, grouped by subject (the sort key starts with it). */
  async listMatches(
    poolId: string,
    kind: MatchKind,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PoolMatch>> {
    const pk = poolPk(poolId);
    const start = decodeKey(opts.cursor, ['pk', 'sk'], (k) => k['pk'] === pk);
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': matchKindPrefix(kind) },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    );
    const cursor = encodeKey(res?.LastEvaluatedKey);
    return { items: (res?.Items ?? []).map(toMatch), ...(cursor ? { cursor } : {}) };
  }

  // -------------------------------------------------------------------------------------------
  // Invitations

  /** Creates the (pool, report) invitation unless one exists. Returns whether this call created it. */
  async putInvitation(inv: Invitation): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...invitationKeys(inv.poolId, inv.reportId, inv.code),
            entity: ENTITY_INVITATION,
            poolId: inv.poolId,
            reportId: inv.reportId,
            code: inv.code,
            createdAt: inv.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalFailure(e)) return false;
      throw e;
    }
  }

  async invitationByCode(code: string): Promise<Invitation | undefined> {
    const res = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': invitationCodePk(code) },
        Limit: 1,
      }),
    );
    const hit = res?.Items?.[0];
    if (!hit) return undefined;
    if (projectsAll('gsi1')) return toInvitation(hit);
    // gsi1 holds keys only (tables.ts): read the invitation itself.
    const item = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: hit['pk'], sk: hit['sk'] } }),
    );
    return item?.Item ? toInvitation(item.Item) : undefined;
  }

  async listInvitations(poolId: string): Promise<Invitation[]> {
    const items = await queryAll(this.#doc, {
      TableName: this.#table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': poolPk(poolId), ':p': INVITE_SK_PREFIX },
    });
    return items.map(toInvitation);
  }

  /**
   * Records the claim filed with an invitation, first come first served. Returns the claim id the
   * invitation now belongs to: `claimId` itself, or the earlier claim that used it.
   */
  async claimInvitation(inv: Invitation, claimId: string): Promise<string> {
    const key = invitationKeys(inv.poolId, inv.reportId, inv.code);
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: 'SET claimId = :c',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimId) OR claimId = :c)',
          ExpressionAttributeValues: { ':c': claimId },
        }),
      );
      return claimId;
    } catch (e) {
      if (!isConditionalFailure(e)) throw e;
      const res = await this.#doc.send(
        new GetCommand({ TableName: this.#table, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      );
      return typeof res?.Item?.['claimId'] === 'string' ? res.Item['claimId'] : claimId;
    }
  }
}

// Page is part of this repository's interface; it is defined once in paging.ts.
export type { Page } from './paging.ts';
