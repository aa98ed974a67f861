/**
 * The claim indexes' sharded keys (storage/claim-keys.ts) against dynalite: a pool's claims
 * spread over 16 shards and the unsharded key of claims written before the shards existed read
 * as one list, oldest first, page by page with no claim skipped or repeated; counts and the plan
 * job's ledger pages see every claim once.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimId, newPoolId } from '#shared/domain/secrets.ts';
import { CLAIM_INDEX_SHARDS, claimShard } from '#shared/storage/claim-keys.ts';
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { claimItem } from '../../bench/plan-job.ts';

let stack: LocalStack;
let repo: ClaimRepository;
const poolId = newPoolId();
const ids: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  const doc = DynamoDBDocumentClient.from(stack.dynamo, { marshallOptions: { removeUndefinedValues: true } });
  repo = new ClaimRepository(doc, stack.tableNames.main);
  for (let i = 0; i < 45; i++) {
    const claimId = newClaimId();
    ids.push(claimId);
    const item: Record<string, unknown> = claimItem(poolId, claimId, 1_000 + i, i);
    // Every fifth claim as stored before the shards: the unsharded keys.
    if (i % 5 === 0) Object.assign(item, { gsi3pk: `CLAIMS#${poolId}`, gsi2pk: 'CLAIMSTATUS#APPROVED' });
    await doc.send(new PutCommand({ TableName: stack.tableNames.main, Item: item }));
  }
});

afterAll(async () => {
  await stack?.stop();
});

describe('sharded claim index keys', () => {
  it('spreads claim ids over the shards', () => {
    const used = new Set(ids.map(claimShard));
    expect(used.size).toBeGreaterThan(CLAIM_INDEX_SHARDS / 2);
    expect(Math.max(...used)).toBeLessThan(CLAIM_INDEX_SHARDS);
  });

  it("pages a pool's queue oldest first across every shard, each claim once", async () => {
    for (const limit of [1, 7, 45, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.queue({ poolId, status: 'APPROVED', limit, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((c) => c.claimId));
        cursor = page.cursor;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(ids); // filed one second apart, in this order
    }
  });

  it('pages one status across pools (gsi2, keys only) the same way', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.queue({ status: 'APPROVED', limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.claimId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('counts and reads the ledger of every claim once', async () => {
    expect(await repo.countForPool(poolId)).toBe(45);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.ledgerPage(poolId, { limit: 8, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.claimId));
      cursor = page.cursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect((await repo.approvedForPool(poolId)).length).toBe(45);
  });

  it('refuses a forged cursor with a 400-style validation error', async () => {
    await expect(repo.queue({ poolId, limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(/not valid/);
    await expect(repo.ledgerPage(poolId, { limit: 5, cursor: '99.' })).rejects.toThrow(/not valid/);
  });
});
