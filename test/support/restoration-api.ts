/**
 * The money path driven through the HTTP API of a local stack, for the integration and browser
 * tests: calls as a claimant (no token), a reviewer or either of two admins (dual control), an
 * approved claim in a pool, a plan computed by its background job, approved and released.
 */
import { expect } from 'vitest';
import type { LocalStack } from './local-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
export type Json = Record<string, any>;

/** `admin2` is a second admin, who may approve and release what `admin` created. */
export type Who = 'admin' | 'admin2' | 'reviewer' | null;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  who?: Who,
  type?: string,
) => Promise<Answer>;

/** Calls the stack's API; JSON bodies unless `type` says otherwise (text/csv for results files). */
export function apiCaller(stack: LocalStack, defaultWho: Who = null): Call {
  return async (method, path, body, who = defaultWho, type) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = type ?? 'application/json';
    if (who === 'admin2')
      headers['authorization'] = `Bearer ${await stack.token('admin', { sub: 'local-admin-2' })}`;
    else if (who) headers['authorization'] = `Bearer ${await stack.token(who)}`;
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text) as Json;
    } catch {
      // CSV and other non-JSON answers
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}

/** A pool taking claims for 30 more days; its id. */
export async function newPool(
  call: Call,
  name: string,
  amountCents: number,
  extra: Json = {},
): Promise<string> {
  const claimDeadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const pool = await call(
    'POST',
    '/v1/admin/pools',
    { name, caseNumber: '1:26-cr-90', court: 'E.D. Va.', amountCents, claimDeadline, ...extra },
    'admin',
  );
  expect(pool.status, pool.text).toBe(201);
  return pool.json['poolId'] as string;
}

/** Starts a plan (202) and waits for its job to finish; the plan as GET shows it then. */
export async function computePlan(call: Call, stack: LocalStack, poolId: string): Promise<Answer> {
  const started = await call('POST', `/v1/admin/pools/${poolId}/distributions`, undefined, 'admin');
  expect(started.status, started.text).toBe(202);
  expect(started.json).toMatchObject({ status: 'COMPUTING', job: { state: 'QUEUED', percent: 0 } });
  const path = `/v1/admin/pools/${poolId}/distributions/${started.json['distributionId']}`;
  return stack.waitFor(
    async () => {
      const plan = await call('GET', path, undefined, 'admin');
      return plan.json['status'] !== 'COMPUTING' ? plan : undefined;
    },
    { message: `plan ${started.json['distributionId']} was not computed` },
  );
}

/**
 * The second admin approves the plan (202: a job moves its claims) and, once that job is done,
 * releases it (202: a job writes the payment file); the plan as GET shows it then.
 */
export async function approveAndRelease(
  call: Call,
  stack: LocalStack,
  poolId: string,
  distributionId: string,
): Promise<Json> {
  const base = `/v1/admin/pools/${poolId}/distributions/${distributionId}`;
  const approved = await call('POST', `${base}/approve`, undefined, 'admin2');
  expect(approved.status, approved.text).toBe(202);
  expect(approved.json['scheduling']).toMatchObject({ state: 'QUEUED', step: 0 });
  await stack.waitFor(
    async () => (await call('GET', base, undefined, 'admin')).json['scheduling']?.['state'] === 'DONE',
    {
      message: `the approval of ${distributionId} did not finish`,
    },
  );
  const released = await call('POST', `${base}/release`, undefined, 'admin2');
  expect(released.status, released.text).toBe(202);
  return stack.waitFor(async () => {
    const plan = await call('GET', base, undefined, 'admin');
    return plan.json['paymentFile']?.['state'] === 'READY' ? plan.json : undefined;
  });
}

/** A claim filed in the pool for a cash loss and approved for all of it. */
export async function approvedClaim(
  call: Call,
  poolId: string,
  name: string,
  lossCents: number,
  /** More of the claimant: a `payoutAccount` for a direct deposit. */
  claimant: Json = {},
): Promise<{ claimId: string; accessCode: string }> {
  const filed = await call(
    'POST',
    '/v1/claims',
    {
      poolId,
      claimant: {
        name,
        address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' },
        ...claimant,
      },
      payments: [{ amountCents: lossCents, method: 'cash' }],
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
    },
    null,
  );
  expect(filed.status, filed.text).toBe(201);
  const decided = await call(
    'POST',
    `/v1/admin/claims/${filed.json['claimId']}/decision`,
    { decision: 'approve', recognizedLossCents: lossCents },
    'reviewer',
  );
  expect(decided.status, decided.text).toBe(200);
  return { claimId: filed.json['claimId'] as string, accessCode: filed.json['accessCode'] as string };
}
