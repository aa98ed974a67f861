/**
 * The contract as a partner meets it, against the local servers: a generated client runs every
 * flow, HTTP manners (CORS, ETag, HEAD, the gateway's own answers) match the deployed API, and
 * errors are RFC 9457 problems. Every answer here (as in every suite using the local stack) is
 * also checked against GET /openapi.json when the stack stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallets } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { runFlows } from '../../examples/client/flows.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('a client generated from the contract', () => {
  it('runs the report, staff, pool, claim, status and decision flows', async () => {
    const result = await runFlows(
      stack.baseUrl,
      { reviewer: await stack.token('reviewer'), admin: await stack.token('admin') },
      (check) => stack.waitFor(check, { timeoutMs: 20_000, message: 'report not enriched' }),
    );
    expect(result).toMatchObject({ claimStatus: 'SUBMITTED', decided: 'APPROVED', reportsLinkedToWallet: 1 });
  });
});

describe('the indicator view', () => {
  it('sums every linked report and claim, not only the page it shows', async () => {
    const wallet = wallets.eth;
    const paid = [12_345, 20_000, 30_000];
    for (const [i, amountCents] of paid.entries()) {
      const res = await fetch(`${stack.baseUrl}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          incident: { category: 'imposter-government', narrative: 'They called about my taxes.' },
          payments: [
            {
              amountCents,
              currency: 'USD',
              method: 'cryptocurrency',
              recipient: { kind: 'crypto-wallet', asset: 'ETH', address: wallet },
            },
          ],
          consents: { shareWithLawEnforcement: true, contactAboutRecovery: i !== 1 },
        }),
      });
      expect(res.status).toBe(202);
      await res.arrayBuffer();
    }
    const token = await stack.token('reviewer');
    const page = (cursor?: string) =>
      fetch(
        `${stack.baseUrl}/v1/admin/indicators/crypto-wallet/${wallet.toLowerCase()}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: { authorization: `Bearer ${token}` } },
      ).then((r) => r.json() as Promise<{ reports: unknown[]; cursor?: string; summary: unknown }>);
    // The three reports may be enriched in one batch, between the view's page read and its
    // summary read: wait until all three are linked, then read the view afresh.
    await stack.waitFor(async () => ((await page()).summary as { reports: number }).reports === 3, {
      message: 'the three reports were not all linked',
    });
    const first = await page();
    expect(first.reports).toHaveLength(1);
    const summary = { reports: 3, paidByCurrency: { USD: 62_345 }, consentingToContact: 2, claims: 0 };
    expect(first.summary).toEqual(summary);
    const second = await page(first.cursor);
    expect(second.reports).toHaveLength(1);
    expect(second.summary).toEqual(summary);
  });
});

describe('HTTP manners', () => {
  it.each(['/openapi.json', '/v1/pools'])(
    '%s: public caching, a strong ETag and 304 on If-None-Match',
    async (path) => {
      const first = await fetch(`${stack.baseUrl}${path}`);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=60');
      await first.arrayBuffer();
      const again = await fetch(`${stack.baseUrl}${path}`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const changed = await fetch(`${stack.baseUrl}${path}`, { headers: { 'if-none-match': '"other"' } });
      expect(changed.status).toBe(200);
      await changed.arrayBuffer();
    },
  );

  it('answers HEAD wherever GET is: same status and headers, no body', async () => {
    const get = await fetch(`${stack.baseUrl}/v1/pools`);
    await get.arrayBuffer();
    const head = await fetch(`${stack.baseUrl}/v1/pools`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    const staff = await fetch(`${stack.baseUrl}/v1/admin/pools`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${await stack.token('reviewer')}` },
    });
    expect(staff.status).toBe(200);
  });

  it('answers a CORS preflight and exposes Retry-After, Link and ETag', async () => {
    const preflight = await fetch(`${stack.baseUrl}/v1/reports`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://partner.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const answer = await fetch(`${stack.baseUrl}/v1/pools`, {
      headers: { origin: 'https://partner.example' },
    });
    await answer.arrayBuffer();
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')?.split(',')).toEqual(
      expect.arrayContaining(['retry-after', 'link', 'etag']),
    );
  });

  it('answers unknown paths and methods as API Gateway does', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['DELETE', '/v1/pools'],
      ['PUT', '/v1/reports'],
    ] as const) {
      const res = await fetch(`${stack.baseUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
  });

  it("sends the gateway 401 on staff routes as it is, and problems for the API's own errors", async () => {
    const unauthorised = await fetch(`${stack.baseUrl}/v1/admin/reports`);
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get('www-authenticate')).toBe('Bearer');
    expect(await unauthorised.json()).toEqual({ message: 'Unauthorized' });

    const invalid = await fetch(`${stack.baseUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ incident: { category: 'nope' }, payments: [{ amountCents: -5 }] }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await invalid.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'urn:restore:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/v1/reports',
    });
    expect(problem['errors']).toEqual(
      expect.arrayContaining([
        { pointer: '/incident/category', detail: expect.any(String) },
        { pointer: '/payments/0/amountCents', detail: expect.any(String) },
      ]),
    );
  });
});

describe('the contract check every suite runs when its stack stops', () => {
  it('has seen and checked the answers of this file, and found nothing broken', async () => {
    const { checked, problems } = await stack.checkContract();
    expect(problems).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining([
        'POST /v1/reports 202',
        'POST /v1/reports 400',
        'GET /v1/pools 200',
        'GET /v1/pools 304',
        'HEAD /v1/pools 200',
        'GET /v1/admin/reports 401',
        'POST /v1/claims 201',
        'POST /v1/admin/claims/{claimId}/decision 200',
      ]),
    );
  });
});
