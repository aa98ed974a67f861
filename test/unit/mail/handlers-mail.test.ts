import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import { mailIds } from '#shared/domain/mail.ts';
import { newPoolId } from '#shared/domain/secrets.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';
import { makePool, TEST_KEY_BASE64, wallets } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

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
const pool = makePool({ poolId: POOL_ID });

const claimBody = (email?: string) => ({
  poolId: POOL_ID,
  language: 'es',
  claimant: {
    name: 'Rosa Martínez',
    ...(email ? { email } : {}),
    address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101' },
  },
  payments: [
    {
      amountCents: 250_000,
      method: 'cryptocurrency',
      recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
    },
  ],
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
});

const file = async (body: unknown) => {
  const res = await handler(
    apiEvent({ routeKey: 'POST /v1/claims', body: body as object }),
    lambdaContext('claims'),
  );
  return { res, json: JSON.parse(res.body ?? 'null') };
};

beforeEach(() => {
  fakes.reset();
  fakes.pools.seed(pool);
});

describe('POST /v1/claims and the outbox', () => {
  it('records the "claim received" mail, with the code shown once, before the claim is stored', async () => {
    const { res, json } = await file(claimBody('rosa@example.com'));
    expect(res.statusCode).toBe(201);
    expect(fakes.mail.intents).toEqual([
      expect.objectContaining({
        kind: 'CLAIM_RECEIVED',
        mailId: mailIds.claimReceived(json.claimId),
        accessCode: json.accessCode,
      }),
    ]);
    expect(fakes.claims.items.get(json.claimId)?.language).toBe('es');
  });

  it('keeps nothing when the mail cannot be recorded: 503, no claim', async () => {
    fakes.mail.failNext = true;
    const { res } = await file(claimBody('rosa@example.com'));
    expect(res.statusCode).toBe(503);
    expect(fakes.claims.items.size).toBe(0);
  });

  it('records no mail for a claimant who gave no address', async () => {
    const { res } = await file(claimBody());
    expect(res.statusCode).toBe(201);
    expect(fakes.mail.intents).toEqual([]);
  });
});
