/**
 * The contract checker that every integration and e2e answer goes through (test/support/contract.ts):
 * it must catch a handler that changes a status, a field, a header or a content type.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#functions/meta/openapi.ts';
import { contractChecker, type Exchange } from '#test/support/contract.ts';

const checker = contractChecker(JSON.parse(JSON.stringify(openApiDocument())));

const pools = {
  pools: [
    {
      poolId: 'POOL-7K3M-9QXD-2HFA-8WN4',
      name: 'Operation Lighthouse',
      caseNumber: '1:26-cv-0001',
      court: 'S.D. Fla.',
      eligibility: 'Paid the listed wallets',
      amountCents: 150_000_000,
      currency: 'USD',
      claimDeadline: '2027-06-30',
    },
  ],
};

function exchange(overrides: Partial<Exchange> & { json?: unknown }): Exchange {
  const { json, ...rest } = overrides;
  return {
    method: 'GET',
    url: '/v1/pools',
    requestHeaders: {},
    requestBody: Buffer.alloc(0),
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      etag: '"abc"',
      'cache-control': 'public, max-age=60',
    },
    body: Buffer.from(JSON.stringify(json ?? pools)),
    ...rest,
  };
}

const problemsOf = (ex: Exchange) => checker.check(ex)?.problems ?? ['no operation matched'];

describe('the contract checker', () => {
  it('passes an answer that keeps the contract', () => {
    expect(problemsOf(exchange({}))).toEqual([]);
    expect(problemsOf(exchange({ status: 304, body: Buffer.alloc(0) }))).toEqual([]);
  });

  it('fails a status the operation does not declare', () => {
    expect(problemsOf(exchange({ status: 201 }))).toEqual([
      expect.stringMatching(/status 201 is not declared/),
    ]);
  });

  it('fails a renamed, missing or extra field', () => {
    const [pool] = pools.pools;
    const { claimDeadline: _dropped, ...withoutDeadline } = pool!;
    expect(problemsOf(exchange({ json: { pools: [withoutDeadline] } }))[0]).toMatch(/claimDeadline/);
    expect(problemsOf(exchange({ json: { pools: [{ ...pool, amountCents: '1500000.00' }] } }))[0]).toMatch(
      /amountCents must be integer/,
    );
    expect(problemsOf(exchange({ json: { pools: [{ ...pool, secret: 'x' }] } }))[0]).toMatch(
      /additional properties/,
    );
  });

  it('fails a header a client acts on that the answer does not declare, and a malformed one', () => {
    expect(problemsOf(exchange({ headers: { ...exchange({}).headers, 'retry-after': '5' } }))).toEqual([
      expect.stringMatching(/header retry-after is sent but not declared/),
    ]);
    expect(problemsOf(exchange({ headers: { ...exchange({}).headers, etag: 'abc' } }))).toEqual([
      expect.stringMatching(/header etag/),
    ]);
  });

  it('fails an undeclared content type and an error body that is not a problem', () => {
    const csv = exchange({ headers: { 'content-type': 'text/csv' }, body: Buffer.from('a,b\n') });
    expect(problemsOf(csv)).toEqual([expect.stringMatching(/content type "text\/csv" is not declared/)]);
    const oldShape = exchange({
      url: '/v1/admin/pools/POOL-7K3M-9QXD-2HFA-8WN4',
      status: 404,
      headers: { 'content-type': 'application/json' },
      json: { error: { code: 'NOT_FOUND', message: 'No such pool' }, requestId: 'r' },
    });
    expect(problemsOf(oldShape).join()).toMatch(/content type "application\/json" is not declared/);
    const notAProblem = exchange({ ...oldShape, headers: { 'content-type': 'application/problem+json' } });
    expect(problemsOf(notAProblem).join()).toMatch(/must have required property 'type'/);
  });

  it('accepts the gateway 401 on staff routes as it really is, and checks request parameters of a 2xx', () => {
    const unauthorised = exchange({
      url: '/v1/admin/pools',
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
      json: { message: 'Unauthorized' },
    });
    expect(problemsOf(unauthorised)).toEqual([]);
    const page = exchange({ url: '/v1/admin/claims?limit=abc', json: { items: [] } });
    expect(problemsOf(page).join()).toMatch(/request query parameter limit="abc"/);
    const unknown = exchange({ url: '/v1/admin/claims?sort=asc', json: { items: [] } });
    expect(problemsOf(unknown).join()).toMatch(/query parameter sort is not declared/);
  });

  it('HEAD is checked against GET and must have no body', () => {
    expect(problemsOf(exchange({ method: 'HEAD', body: Buffer.alloc(0) }))).toEqual([]);
    expect(problemsOf(exchange({ method: 'HEAD' }))).toEqual([
      expect.stringMatching(/HEAD answered with a body/),
    ]);
  });
});
