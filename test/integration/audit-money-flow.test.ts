/**
 * The audit trail of one whole money flow, through the local runtime's HTTP API: a reviewer's
 * decision, a plan created by one admin, its approval and release by a second admin, the payment
 * file written by the worker (with its SHA-256) and its download. Each step must be in the trail,
 * in order, under the person who did it. With RESTORE_EVIDENCE_DIR set, the trail is also written
 * there as a Markdown table (the closing note of the console issue quotes it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import {
  apiCaller,
  approveAndRelease,
  approvedClaim,
  computePlan,
  type Json,
  newPool,
} from '#test/support/restoration-api.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

it('records a decision, a plan by one admin, approval and release by another, and the file, in order', async () => {
  const call = apiCaller(stack);
  const since = new Date().toISOString();
  const poolId = await newPool(call, 'Operation Audit Trail', 50_000);
  const { claimId } = await approvedClaim(call, poolId, 'Ana Reyes', 80_000);
  const plan = await computePlan(call, stack, poolId);
  const distributionId = plan.json['distributionId'] as string;
  const released = await approveAndRelease(call, stack, poolId, distributionId);
  const file = await call(
    'GET',
    `/v1/admin/pools/${poolId}/distributions/${distributionId}/payment-file`,
    undefined,
    'admin2',
  );
  expect(file.status, file.text).toBe(200);

  const trail: Json[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `/v1/admin/audit?from=${since}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      'admin',
    );
    expect(page.status, page.text).toBe(200);
    trail.push(...page.json['items']);
    cursor = page.json['cursor'];
  } while (cursor);
  trail.reverse(); // oldest first

  const base = 'POST /v1/admin/pools/{poolId}/distributions';
  const steps = [
    { route: 'POST /v1/admin/claims/{claimId}/decision', action: 'write', id: claimId },
    { route: base, action: 'write', id: poolId },
    { route: `${base}/{distributionId}/approve`, action: 'write', id: distributionId },
    { route: `${base}/{distributionId}/release`, action: 'write', id: distributionId },
    {
      route: `GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file`,
      action: 'read',
      id: distributionId,
    },
  ];
  const found = steps.map((step) => {
    const index = trail.findIndex(
      (e) => e['route'] === step.route && e['action'] === step.action && JSON.stringify(e).includes(step.id),
    );
    expect(index, `no ${step.action} of ${step.route} in the trail`).toBeGreaterThanOrEqual(0);
    return { index, entry: trail[index]! };
  });
  // In the order they happened, each with a request id and a source address.
  expect(found.map((f) => f.index)).toEqual([...found.map((f) => f.index)].sort((a, b) => a - b));
  for (const { entry } of found) {
    expect(entry['requestId']).toEqual(expect.any(String));
    expect(entry['sourceIp']).toBe('127.0.0.1');
  }
  const [decision, created, approved, releasedEntry] = found.map((f) => f.entry['actor']);
  expect(decision.roles).toEqual(['reviewer']);
  // Dual control, as recorded: the admin who created the plan is not the one who moved the money.
  expect(approved.sub).not.toBe(created.sub);
  expect(releasedEntry.sub).toBe(approved.sub);

  // The worker's own entry names the payment file's checksum, after the release.
  const sha256 = released['paymentFile']['sha256'] as string;
  const written = trail.findIndex((e) => JSON.stringify(e).includes(sha256));
  expect(written).toBeGreaterThan(found[3]!.index);

  const dir = process.env['RESTORE_EVIDENCE_DIR'];
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const rows = trail.map(
      (e) =>
        `| ${e['at']} | ${e['actor']?.['sub']} (${(e['actor']?.['roles'] ?? []).join(', ')}) | ${e['action']} | \`${e['route'] ?? ''}\` | ${e['subjectId'] ?? ''} |`,
    );
    writeFileSync(
      join(dir, 'audit-money-flow.md'),
      ['| at | actor | action | route | subject |', '|---|---|---|---|---|', ...rows, ''].join('\n'),
    );
  }
});
