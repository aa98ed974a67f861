/**
 * Persistence of pools, their seized-identifier markers, their matches and their invitations.
 *
 * Every write is a single-item conditional write or an idempotent overwrite/delete (dynalite has
 * no transactions), so a crash between two steps is repaired by running the step again:
 * - `create` only if absent; `replace` only if the version is the one that was read;
 * - markers and matches are overwritten with the same key, deletions are idempotent;
 * - one invitation per (pool, report): a conditional put, so racing matchers create one.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import type { IndicatorType } from '../domain/indicators/types.ts';
import type { Page } from '../domain/page.ts';
import {
  type Invitation,
  type LinkedSubject,
  type MatchKind,
  type Pool,
  type PoolMatch,
  spanishText,
} from '../domain/pool.ts';
import type { IndicatorRef } from '../domain/report-content.ts';
import type { ClaimPoolStore } from '../use-cases/file-claim.ts';
import type { PoolStore } from '../use-cases/read-pools.ts';
import { deleteRequest, isConditionalFailure, projectsAll, putRequest } from './batch.ts';
import {
  INDICATOR_CLAIM_SK_PREFIX,
  INDICATOR_POOL_SK_PREFIX,
  INDICATOR_REPORT_SK_PREFIX,
  indicatorPk,
  indicatorPoolSk,
} from './indicator-keys.ts';
import {
  INVITE_SK_PREFIX,
  invitationCodePk,
  invitationKeys,
  MATCH_SK_PREFIX,
  matchKindPrefix,
  matchSk,
  POOL_SK,
  POOLS_INDEX_PK,
  poolKeys,
  poolPk,
} from './pool-keys.ts';

import { Table } from './table.ts';

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
  for (const k of [
    'description',
    'updatedBy',
    'updatedAt',
    'activeDistributionId',
    'amountChangedBy',
  ] as const) {
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
    ...(p.amountChangedBy ? { amountChangedBy: p.amountChangedBy } : {}),
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

export class PoolRepository implements PoolStore, ClaimPoolStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async create(pool: Pool): Promise<void> {
    await this.#table.put(poolItem(pool), { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(poolId: string): Promise<Pool | undefined> {
    const item = await this.#table.get({ pk: poolPk(poolId), sk: POOL_SK }, { consistent: true });
    return item ? toPool(item) : undefined;
  }

  /** Writes the edited pool only if nobody else changed it since `expectedVersion` was read. */
  async replace(pool: Pool, expectedVersion: number): Promise<void> {
    try {
      await this.#table.put(poolItem(pool), {
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      });
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
   * Points the pool at its approved distribution, only if it still points where it did when the
   * plan was computed (nothing, or the previous round's plan), or at this plan already: the one
   * write that stops two plans spending the same money.
   */
  async lockDistribution(poolId: string, distributionId: string, previous?: string): Promise<boolean> {
    return this.#table.updateIf({
      Key: { pk: poolPk(poolId), sk: POOL_SK },
      UpdateExpression: 'SET activeDistributionId = :d',
      ConditionExpression: previous
        ? 'attribute_exists(pk) AND (activeDistributionId = :prev OR activeDistributionId = :d)'
        : 'attribute_exists(pk) AND (attribute_not_exists(activeDistributionId) OR activeDistributionId = :d)',
      ExpressionAttributeValues: { ':d': distributionId, ...(previous ? { ':prev': previous } : {}) },
    });
  }

  /** Pools whose claim deadline is on or after `fromDate` (all pools when absent), soonest first. */
  async listByDeadline(fromDate?: string): Promise<Pool[]> {
    const items = await this.#table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: fromDate ? 'gsi3pk = :pk AND gsi3sk >= :from' : 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': POOLS_INDEX_PK, ...(fromDate ? { ':from': fromDate } : {}) },
    });
    return items.map(toPool);
  }

  // -------------------------------------------------------------------------------------------
  // Seized identifiers and matching

  async putSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await this.#table.put({
      pk: indicatorPk(ref.type, ref.value),
      sk: indicatorPoolSk(poolId),
      entity: ENTITY_SEIZED,
      poolId,
      type: ref.type,
      value: ref.value,
      display: ref.display,
    });
  }

  async deleteSeizedMarker(poolId: string, ref: IndicatorRef): Promise<void> {
    await this.#table.batchWrite([
      deleteRequest({ pk: indicatorPk(ref.type, ref.value), sk: indicatorPoolSk(poolId) }),
    ]);
  }

  /** Pools that seized this identifier (by their markers; the caller checks the pool still lists it). */
  async poolsSeizing(type: IndicatorType, value: string): Promise<string[]> {
    const items = await this.#table.queryAllUnder(indicatorPk(type, value), INDICATOR_POOL_SK_PREFIX, {
      ProjectionExpression: 'poolId',
    });
    return items.map((i) => String(i['poolId']));
  }

  /**
   * Every report and claim linked to an identifier: one Query of its partition (reports, claims
   * and pool markers share it), so the cost is the number of linked items, not the table size.
   */
  async linkedSubjects(type: IndicatorType, value: string): Promise<LinkedSubject[]> {
    const items = await this.#table.queryAllUnder(indicatorPk(type, value));
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
    await this.#table.batchWrite(
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
    const items = await this.#table.queryAllUnder(poolPk(poolId), MATCH_SK_PREFIX, {
      ProjectionExpression: 'pk, sk, #t, #v',
      ExpressionAttributeNames: { '#t': 'type', '#v': 'value' },
    });
    const stale = items.filter((i) => !kept.has(`${String(i['type'])}\u0000${String(i['value'])}`));
    await this.#table.batchWrite(stale.map((i) => deleteRequest({ pk: i['pk'], sk: i['sk'] })));
    return stale.length;
  }

  /** A page of a pool's matches of one kind, grouped by subject (the sort key starts with it). */
  async listMatches(
    poolId: string,
    kind: MatchKind,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<PoolMatch>> {
    const page = await this.#table.queryPartitionPage(poolPk(poolId), matchKindPrefix(kind), opts);
    return { ...page, items: page.items.map(toMatch) };
  }

  // -------------------------------------------------------------------------------------------
  // Invitations

  /** Creates the (pool, report) invitation unless one exists. Returns whether this call created it. */
  async putInvitation(inv: Invitation): Promise<boolean> {
    return this.#table.putIfAbsent({
      ...invitationKeys(inv.poolId, inv.reportId, inv.code),
      entity: ENTITY_INVITATION,
      poolId: inv.poolId,
      reportId: inv.reportId,
      code: inv.code,
      createdAt: inv.createdAt,
    });
  }

  /** The one invitation of a report to a pool (the mailer reads it to write the invitation mail). */
  async invitation(poolId: string, reportId: string): Promise<Invitation | undefined> {
    const { pk, sk } = invitationKeys(poolId, reportId, '');
    const item = await this.#table.get({ pk, sk });
    return item ? toInvitation(item) : undefined;
  }

  async invitationByCode(code: string): Promise<Invitation | undefined> {
    const { items } = await this.#table.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': invitationCodePk(code) },
      Limit: 1,
    });
    const hit = items[0];
    if (!hit) return undefined;
    if (projectsAll('gsi1')) return toInvitation(hit);
    // gsi1 holds keys only (tables.ts): read the invitation itself.
    const item = await this.#table.get({ pk: hit['pk'], sk: hit['sk'] });
    return item ? toInvitation(item) : undefined;
  }

  async listInvitations(poolId: string): Promise<Invitation[]> {
    const items = await this.#table.queryAllUnder(poolPk(poolId), INVITE_SK_PREFIX);
    return items.map(toInvitation);
  }

  /**
   * Records the claim filed with an invitation, first come first served. Returns the claim id the
   * invitation now belongs to: `claimId` itself, or the earlier claim that used it.
   */
  async claimInvitation(inv: Invitation, claimId: string): Promise<string> {
    const key = invitationKeys(inv.poolId, inv.reportId, inv.code);
    const claimed = await this.#table.updateIf({
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: 'SET claimId = :c',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(claimId) OR claimId = :c)',
      ExpressionAttributeValues: { ':c': claimId },
    });
    if (claimed) return claimId;
    const item = await this.#table.get({ pk: key.pk, sk: key.sk }, { consistent: true });
    return typeof item?.['claimId'] === 'string' ? item['claimId'] : claimId;
  }
}
