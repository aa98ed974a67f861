/**
 * `npm run seed` in small: demo data through the real use cases into the local servers, with
 * claims across their life, and a second run that adds nothing (no report, claim or count twice).
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptionSdkVault, localKeyring } from '#functions/payout-vault.ts';
import { seedDemoData } from '#local/demo-data.ts';
import { claimStatuses } from '#shared/domain/claim-schema.ts';
import { lastWeeks } from '#shared/domain/dashboard.ts';
import { ArtefactStore } from '#shared/storage/artefact-store.ts';
import { StatsRepository } from '#shared/storage/stats-repository.ts';
import { artefactBucket } from '#shared/storage/tables.ts';
import { TEST_KEY } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

let stack: LocalStack;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startLocalStack({ pollerPaused: true });
  doc = DynamoDBDocumentClient.from(stack.dynamo, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  await stack?.stop();
});

describe('demo data', () => {
  it('seeds reports over twelve weeks, two programmes, a paid plan and claims in every state, once', async () => {
    const now = new Date();
    const { aws } = stack.runtime;
    const artefacts = new ArtefactStore(aws.s3Client(), aws.bucketNames[artefactBucket.id]!);
    const payoutVault = encryptionSdkVault(localKeyring(randomBytes(32)));
    const options = {
      doc,
      table: stack.tableNames.main,
      key: TEST_KEY,
      payoutVault,
      artefacts,
      reports: 250,
      now,
    };
    const first = await seedDemoData(options);
    expect(first.reports).toMatchObject({ total: 250, created: 250 });
    expect(first.reports.spanish).toBeGreaterThan(25);
    expect(first.pools).toHaveLength(2);
    // Every status of a claim's life, from filed to paid, returned and closed.
    expect(Object.keys(first.claims.byStatus).sort()).toEqual([...claimStatuses].sort());
    // Programme A's plan: computed by the job, approved and released by a second admin, reconciled.
    expect(first.distribution).toMatchObject({ status: 'RELEASED', resultsFiles: 1 });
    const res = await fetch(
      `${stack.baseUrl}/v1/admin/pools/${first.pools[0]}/distributions/${first.distribution.distributionId}`,
      { headers: { authorization: `Bearer ${await stack.token('admin')}` } },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      createdBy: 'seed-admin',
      approvedBy: 'seed-admin-2',
      results: { files: 1, state: 'DONE' },
    });

    const stats = new StatsRepository(doc, stack.tableNames.main);
    const weeks = lastWeeks(now, 13);
    const counts = async () => Promise.all(weeks.map((w) => stats.weekCounters(w)));
    const before = await counts();
    expect(before.reduce((s, c) => s + (c['reports'] ?? 0), 0)).toBe(250);
    expect(before.filter((c) => (c['reports'] ?? 0) > 0).length).toBeGreaterThanOrEqual(10);
    const claimCounts = await stats.claimCounts();

    const second = await seedDemoData(options);
    expect(second.reports.created).toBe(0);
    expect(second.claims.created).toBe(0);
    expect(second.claims.byStatus).toEqual(first.claims.byStatus);
    expect(second.distribution).toEqual(first.distribution);
    expect(await counts()).toEqual(before);
    expect(await stats.claimCounts()).toEqual(claimCounts);
  });
});
