import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { provide } from '#functions/provided.ts';
import type { Claim } from '#shared/domain/claim.ts';
import type { Pool } from '#shared/domain/pool.ts';
import { hashAccessCode, newAccessCode, newClaimId, newPoolId } from '#shared/domain/secrets.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';
import { TEST_KEY_BASE64, wallets } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

/** The JSON Pointer a problem gives for a dotted field path. */
const pointer = (path: string) => `/${path.replaceAll('.', '/')}`;

process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const fakes = new Fakes();
provide(fakes.deps);
type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  ({ handler } = (await import('#functions/claims/handler.ts')) as unknown as { handler: Handler });
});

const POOL_ID = newPoolId();
const poolItem = (over: Partial<Pool> = {}): Pool => ({
  poolId: POOL_ID,
  name: 'Operation Lighthouse',
  caseNumber: '1:26-cv-42',
  court: 'D.D.C.',
  eligibility: 'e',
  amountCents: 100_000,
  currency: 'USD',
  seizedIndicators: [],
  claimDeadline: '2099-12-31',
  minimumPayoutCents: 1000,
  status: 'OPEN',
  version: 1,
  createdBy: 'a',
  createdAt: '2026-11-01T00:00:00.000Z',
  ...over,
});

const ACCESS_CODE = newAccessCode();
const CLAIM_ID = newClaimId();
const claimItem = (over: Partial<Claim> = {}): Claim => ({
  claimId: CLAIM_ID,
  status: 'SUBMITTED',
  version: 1,
  filedAt: '2026-11-02T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  accessCodeHash: hashAccessCode(ACCESS_CODE),
  poolId: POOL_ID,
  reportIds: [],
  claimant: {
    name: 'Rosa',
    address: { line1: '1 A St', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
  },
  payments: [],
  currency: 'USD',
  claimedCents: 10_000,
  recoveriesCents: 0,
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa', signedAt: 'x' },
  timeline: [{ status: 'SUBMITTED', at: '2026-11-02T00:00:00.000Z' }],
  decisions: [],
  flags: [],
  ...over,
});

beforeEach(() => {
  fakes.reset();
  fakes.claims.seed(claimItem());
  fakes.pools.seed(poolItem());
});

const call = async (routeKey: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await handler(apiEvent({ routeKey, body: body as object, headers }), lambdaContext('claims'));
  return { res, json: JSON.parse(res.body ?? 'null') };
};

const validClaim = (over: Record<string, unknown> = {}) => ({
  poolId: POOL_ID,
  claimant: {
    name: 'Rosa Martínez',
    email: 'rosa@example.com',
    address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101' },
  },
  payments: [
    {
      amountCents: 250_000,
      method: 'cryptocurrency',
      recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
    },
  ],
  recoveriesCents: 10_000,
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
  ...over,
});

/** Runs `fn` with every log line captured. */
async function logged(fn: () => Promise<void>): Promise<string> {
  const { logger } = await import('#functions/observability.ts');
  const out: string[] = [];
  const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      out.push(JSON.stringify(args));
    }),
  );
  try {
    await fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return out.join('\n');
}

/** Writes that keep something of a claim (a wrong invitation code's failure counter does not). */
const writes = () => fakes.writes().filter((w) => !w.startsWith('failures.')).length;

describe('POST /v1/claims', () => {
  it('files a claim: 201 with a readable claim id and a code shown once, stored only as a hash', async () => {
    const { res, json } = await call('POST /v1/claims', validClaim());
    expect(res.statusCode).toBe(201);
    expect(json).toMatchObject({ status: 'SUBMITTED', poolId: POOL_ID, poolName: 'Operation Lighthouse' });
    expect(json.claimId).toMatch(/^CLM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(json.accessCode.replace(/-/g, '')).toHaveLength(28);

    const stored = fakes.claims.items.get(json.claimId)!;
    expect(stored).toMatchObject({
      accessCodeHash: hashAccessCode(json.accessCode),
      claimedCents: 250_000,
      recoveriesCents: 10_000,
      poolId: POOL_ID,
      status: 'SUBMITTED',
    });
    expect(JSON.stringify([...fakes.claims.items.values()])).not.toContain(json.accessCode);

    // The payment's identifier is linked to the claim, before the claim itself is stored.
    const linked = await fakes.claims.linkedClaims('crypto-wallet', `btc:${wallets.btc}`, { limit: 10 });
    expect(linked.items.map((c) => c.claimId)).toEqual([json.claimId]);
    expect(fakes.log.indexOf('claims.putLinks')).toBeLessThan(fakes.log.indexOf('claims.create'));
  });

  it('refuses a claim against a closed pool with 409 and keeps nothing', async () => {
    fakes.pools.seed(poolItem({ status: 'CLOSED' }));
    const { res, json } = await call('POST /v1/claims', validClaim());
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('POOL_CLOSED');
    expect(json.detail).toContain('Operation Lighthouse');
    expect(writes()).toBe(0);
  });

  it('refuses a claim against a pool whose deadline passed', async () => {
    fakes.pools.seed(poolItem({ claimDeadline: '2020-01-01' }));
    const { res } = await call('POST /v1/claims', validClaim());
    expect(res.statusCode).toBe(409);
  });

  const bad: [string, unknown, number, string | null][] = [
    ['not JSON', '{"claimant": ', 400, null],
    ['an array', [1], 400, null],
    ['unknown pool', validClaim({ poolId: newPoolId() }), 400, 'poolId'],
    ['malformed pool id', validClaim({ poolId: 'POOL-1' }), 400, 'poolId'],
    ['recoveries above what was paid', validClaim({ recoveriesCents: 250_001 }), 400, 'recoveriesCents'],
    ['negative recoveries', validClaim({ recoveriesCents: -100 }), 400, 'recoveriesCents'],
    ['recoveries as text', validClaim({ recoveriesCents: '100' }), 400, 'recoveriesCents'],
    ['missing attestation', validClaim({ attestation: undefined }), 400, 'attestation'],
    [
      'perjury box unticked',
      validClaim({
        attestation: { underPenaltyOfPerjury: false, notInvolvedInOffense: true, signedName: 'R' },
      }),
      400,
      'attestation.underPenaltyOfPerjury',
    ],
    ['no payments', validClaim({ payments: [] }), 400, 'payments'],
    [
      'negative payment',
      validClaim({ payments: [{ amountCents: -1, method: 'cash' }] }),
      400,
      'payments.0.amountCents',
    ],
    ['missing claimant', validClaim({ claimant: undefined }), 400, 'claimant'],
    ['unknown report id', validClaim({ reportIds: ['RPT-0000-0000-0000-0000'] }), 400, 'reportIds.0'],
    ['unknown invitation', validClaim({ invitationCode: 'INV-7K3M-9QXD-2HFA-8WN4' }), 400, 'invitationCode'],
  ];
  it.each(bad)(
    'answers %s with a clear %i naming the field, and keeps nothing',
    async (_, body, status, path) => {
      const { res, json } = await call('POST /v1/claims', body);
      expect(res.statusCode).toBe(status);
      expect(json.detail.length).toBeGreaterThan(10);
      if (path) expect(json.errors.map((f: { pointer: string }) => f.pointer)).toContain(pointer(path));
      expect(writes()).toBe(0);
    },
  );

  it('answers 415 to a body that is not JSON-typed', async () => {
    const { res } = await call('POST /v1/claims', validClaim(), { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
  });
});

describe('POST /v1/claims/status', () => {
  it('shows status and a dated timeline for the right id and code, however the code is typed', async () => {
    const typed = ACCESS_CODE.toLowerCase().replace(/-/g, ' ');
    const { res, json } = await call('POST /v1/claims/status', {
      claimId: CLAIM_ID.toLowerCase(),
      accessCode: typed,
    });
    expect(res.statusCode).toBe(200);
    expect(json).toMatchObject({ claimId: CLAIM_ID, status: 'SUBMITTED', poolName: 'Operation Lighthouse' });
    expect(json.timeline).toEqual([{ status: 'SUBMITTED', at: '2026-11-02T00:00:00.000Z' }]);
    expect(json.accessCodeHash).toBeUndefined();
    // Reading changes nothing of the claim; the attempt it took is given back.
    expect(fakes.writes()).toEqual(['failures.tryAttempt', 'failures.forgive']);
    expect([...fakes.failures.counts.values()]).toEqual([0]);
  });

  it('answers an unknown id and a wrong code with byte-identical 404s after the same requests', async () => {
    const callsOf = async (body: Record<string, string>) => {
      fakes.log.length = 0;
      const r = await call('POST /v1/claims/status', body);
      return { r, calls: [...fakes.log] };
    };
    const { r: wrong, calls: wrongCalls } = await callsOf({ claimId: CLAIM_ID, accessCode: newAccessCode() });
    const { r: unknown, calls: unknownCalls } = await callsOf({
      claimId: newClaimId(),
      accessCode: ACCESS_CODE,
    });
    const { r: malformed, calls: malformedCalls } = await callsOf({
      claimId: 'CLM-nope',
      accessCode: ACCESS_CODE,
    });

    for (const r of [wrong, unknown, malformed]) expect(r.res.statusCode).toBe(404);
    const body = (r: typeof wrong) => r.res.body!.replace(r.json.requestId, '');
    expect(body(unknown)).toBe(body(wrong));
    expect(body(malformed)).toBe(body(wrong));
    // The attempt is counted before the lookup (atomically, so parallel guesses cannot overshoot).
    expect(wrongCalls).toEqual(['failures.tryAttempt', 'claims.get']);
    expect(unknownCalls).toEqual(wrongCalls);
    expect(malformedCalls).toEqual(wrongCalls);
  });

  it('counts failures under a keyed hash of the client address, never the address itself', async () => {
    await call('POST /v1/claims/status', { claimId: CLAIM_ID, accessCode: 'WRONG' });
    const [counted] = [...fakes.failures.counts.keys()];
    const [scope, clientHash] = counted!.split('|');
    expect(scope).toBe('claim-status');
    expect(clientHash).toMatch(/^[0-9a-f]{32}$/);
    expect(counted).not.toContain('127.0.0.1');
  });

  it('answers 429 with Retry-After once the client used up its failures, without looking the claim up', async () => {
    fakes.failures.startAt = 10;
    const { res, json } = await call('POST /v1/claims/status', {
      claimId: CLAIM_ID,
      accessCode: ACCESS_CODE,
    });
    expect(res.statusCode).toBe(429);
    expect(json.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(fakes.log).toEqual(['failures.tryAttempt']);
  });

  it('never writes the access code to the logs', async () => {
    const secret = 'SECRET-CODE-THAT-MUST-NOT-LEAK';
    const out = await logged(async () => {
      fakes.failures.startAt = 9; // this failure reaches the limit: the warning is logged
      await call('POST /v1/claims/status', { claimId: CLAIM_ID, accessCode: secret });
      await call('POST /v1/claims/status', { claimId: CLAIM_ID, accessCode: secret });
    });
    expect(out).toContain('failed-attempt limit'); // the logs were captured
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain('127.0.0.1');
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const { res, json } = await call('POST /v1/claims/status', { claimId: CLAIM_ID });
    expect(res.statusCode).toBe(400);
    expect(json.errors[0].pointer).toBe('/accessCode');
  });
});

describe('POST /v1/claims/reconsideration', () => {
  const ask = (reason = 'Please look again: I have new bank statements.') =>
    call('POST /v1/claims/reconsideration', { claimId: CLAIM_ID, accessCode: ACCESS_CODE, reason });

  it('records a request within 30 days of a denial', async () => {
    const deniedAt = new Date(Date.now() - 5 * 86_400_000).toISOString();
    fakes.claims.seed(
      claimItem({
        status: 'DENIED',
        timeline: [{ status: 'DENIED', at: deniedAt, note: 'No proof.' }],
      }),
    );
    const { res, json } = await ask();
    expect(res.statusCode).toBe(200);
    expect(json.status).toBe('RECONSIDERATION_REQUESTED');
    expect(fakes.claims.items.get(CLAIM_ID)).toMatchObject({
      status: 'RECONSIDERATION_REQUESTED',
      version: 2,
      reconsideration: { reason: 'Please look again: I have new bank statements.' },
    });
  });

  it('reports a change made meanwhile (another request won the race) as 409', async () => {
    const deniedAt = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const denied = claimItem({ status: 'DENIED', timeline: [{ status: 'DENIED', at: deniedAt }] });
    fakes.claims.seed(denied);
    fakes.claims.before('transition', () => fakes.claims.seed({ ...denied, version: denied.version + 1 }));
    const { res, json } = await ask();
    expect(res.statusCode).toBe(409);
    expect(json.code).toBe('CLAIM_CHANGED');
  });

  it('refuses after the window, and for a claim that was not denied, with 409', async () => {
    const deniedAt = new Date(Date.now() - 31 * 86_400_000).toISOString();
    fakes.claims.seed(claimItem({ status: 'DENIED', timeline: [{ status: 'DENIED', at: deniedAt }] }));
    const late = await ask();
    expect(late.res.statusCode).toBe(409);
    expect(late.json.code).toBe('RECONSIDERATION_WINDOW_CLOSED');
    fakes.claims.seed(claimItem({ status: 'APPROVED' }));
    expect((await ask()).res.statusCode).toBe(409);
  });
});

describe('POST /v1/invitations/verify', () => {
  it('answers an unknown code with 404 and a warning about recovery scams, and counts the failure', async () => {
    const { res, json } = await call('POST /v1/invitations/verify', { code: 'INV-7K3M-9QXD-2HFA-8WN4' });
    expect(res.statusCode).toBe(404);
    expect(json.detail).toContain('scam');
    expect([...fakes.failures.counts.keys()]).toEqual([expect.stringMatching(/^invitation\|/)]);
  });

  it('refuses a missing code with 400', async () => {
    const { res, json } = await call('POST /v1/invitations/verify', {});
    expect(res.statusCode).toBe(400);
    expect(json.errors[0].pointer).toBe('/code');
  });
});

describe('direct deposit: the account number is kept only sealed', () => {
  const ACCOUNT = '4455667788';
  const bank = { routingNumber: '011 000 015', accountNumber: '4455-6677-88' };

  it('files a claim with an account: stored as token, routing, last 4 and a sealed copy only this claim opens', async () => {
    let answer = '';
    let claimId = '';
    const logs = await logged(async () => {
      const { res, json } = await call(
        'POST /v1/claims',
        validClaim({ claimant: { ...validClaim().claimant, payoutAccount: bank } }),
      );
      expect(res.statusCode).toBe(201);
      answer = res.body ?? '';
      claimId = json.claimId;
    });
    const stored = fakes.claims.items.get(claimId)!;
    const account = stored.claimant.payoutAccount!;
    expect(stored.claimant.payoutMethod).toBe('direct-deposit');
    expect(account).toMatchObject({ routingNumber: '011000015', last4: '7788' });
    expect(await fakes.payoutVault.open(claimId, account.sealed!)).toBe(ACCOUNT);
    await expect(fakes.payoutVault.open(CLAIM_ID, account.sealed!)).rejects.toThrow();
    expect(fakes.log).toContain('payoutVault.seal');
    expect(logs).toContain('request done'); // the logs were captured
    for (const text of [JSON.stringify(stored), answer, logs]) {
      expect(text).not.toContain(ACCOUNT);
      expect(text).not.toContain('445566');
    }
    expect(answer).not.toContain(account.sealed!);
    expect(logs).not.toContain(account.sealed!);
  });

  it('takes new bank details after a returned payment: sealed, and neither the number nor the sealed copy in the answer or the logs', async () => {
    const returnedAt = '2026-11-20T00:00:00.000Z';
    fakes.claims.seed(
      claimItem({
        status: 'PAYMENT_RETURNED',
        payout: {
          distributionId: 'DST-1',
          payoutCents: 5_000,
          explanation: {},
          state: 'RETURNED',
          returnedAt,
        },
      }),
    );
    let answer = '';
    const logs = await logged(async () => {
      const { res } = await call('POST /v1/claims/payment-details', {
        claimId: CLAIM_ID,
        accessCode: ACCESS_CODE,
        method: 'direct-deposit',
        bankAccount: bank,
      });
      expect(res.statusCode, res.body).toBe(200);
      answer = res.body ?? '';
    });
    const sealed = fakes.claims.items.get(CLAIM_ID)!.claimant.payoutAccount!.sealed!;
    expect(await fakes.payoutVault.open(CLAIM_ID, sealed)).toBe(ACCOUNT);
    expect(logs).toContain('request done'); // the logs were captured
    expect(JSON.parse(answer)).toMatchObject({
      paymentDetails: { method: 'direct-deposit', accountLast4: '7788' },
    });
    const status = (await call('POST /v1/claims/status', { claimId: CLAIM_ID, accessCode: ACCESS_CODE })).res
      .body!;
    for (const text of [answer, logs, status, JSON.stringify(fakes.claims.items.get(CLAIM_ID))]) {
      expect(text).not.toContain(ACCOUNT);
    }
    for (const text of [answer, logs, status]) expect(text).not.toContain(sealed);
  });

  it('keeps nothing (and answers 5xx) when the account number cannot be sealed', async () => {
    fakes.payoutVault.failOn('seal');
    const before = writes();
    const { res } = await call(
      'POST /v1/claims',
      validClaim({ claimant: { ...validClaim().claimant, payoutAccount: bank } }),
    );
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(writes()).toBe(before);
  });
});
