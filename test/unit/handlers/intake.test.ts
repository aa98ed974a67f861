import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';
import {
  makeMinimalReportBody,
  makeReportBody,
  TEST_KEY_BASE64,
  wallets,
  withPayments,
} from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

process.env['IDEMPOTENCY_TABLE_NAME'] = 'idem';
process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const fakes = new Fakes();
provide(fakes.deps);

type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  ({ handler } = (await import('#functions/intake/handler.ts')) as unknown as { handler: Handler });
});

beforeEach(() => fakes.reset());

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await handler(
    apiEvent({ routeKey: 'POST /v1/reports', body: body as object, headers }),
    lambdaContext('intake'),
  );
  return { res, json: JSON.parse(res.body ?? 'null') };
}

function nothingWritten() {
  expect(fakes.reportQueue.sent).toHaveLength(0);
  expect(fakes.reports.items.size).toBe(0);
  expect(fakes.writes()).toEqual([]);
}

describe('POST /v1/reports: accepted reports', () => {
  it('answers 202 with a reference number, queues the normalised report once and records it as RECEIVED', async () => {
    const { res, json } = await post(makeReportBody());
    expect(res.statusCode).toBe(202);
    expect(json.reportId).toMatch(/^RPT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(json.status).toBe('RECEIVED');
    expect(Date.parse(json.receivedAt)).not.toBeNaN();
    expect(json.nextSteps.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['report-crypto', 'no-fees', 'stop-contact']),
    );

    expect(fakes.reportQueue.sent).toHaveLength(1);
    const message = fakes.reportQueue.sent[0]!;
    expect(message).toMatchObject({ type: 'restore.report.received', version: 1, reportId: json.reportId });
    expect(message.content.scammer.phones[0]?.value).toBe('+12025550143');
    expect(message.content.payments[0]?.indicator?.value).toBe(`btc:${wallets.btc}`);

    expect([...fakes.reports.items.values()]).toEqual([
      expect.objectContaining({ reportId: json.reportId, status: 'RECEIVED', receivedAt: json.receivedAt }),
    ]);
    // queued first: a report on the queue is safe even if the RECEIVED write then fails
    expect(fakes.log).toEqual(['queue.send', 'reports.putReceived']);
    expect(res.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  });

  it('accepts the minimum report (category, narrative, consents) from an anonymous filer', async () => {
    const { res } = await post(makeMinimalReportBody());
    expect(res.statusCode).toBe(202);
  });

  it('keeps Spanish, Chinese and emoji text exactly as written', async () => {
    const narrative = 'Él dijo que era del banco. 他说他是银行的人。😢 Ñandú — “comillas”';
    const { res } = await post(
      makeReportBody({
        incident: { category: 'imposter-business', narrative },
        filer: { contact: { name: '王小明 Ñúñez' } },
      }),
    );
    expect(res.statusCode).toBe(202);
    const message = fakes.reportQueue.sent[0]!;
    expect(message.content.incident.narrative).toBe(narrative);
    expect(message.content.filer?.contact?.name).toBe('王小明 Ñúñez');
  });

  it('never lets a full bank account or gift-card number reach the queue or the table', async () => {
    const body = withPayments([
      {
        amountCents: 900000,
        method: 'wire-transfer',
        recipient: {
          kind: 'bank-account',
          bankName: 'First Bank',
          routingNumber: '011000015',
          accountNumber: '9876543210123',
        },
      },
      {
        amountCents: 50000,
        method: 'gift-card',
        recipient: { kind: 'gift-card', brand: 'Google Play', cardNumber: '7777 1234 5678 4321' },
      },
    ]);
    const { res, json } = await post(body);
    expect(res.statusCode).toBe(202);
    const sent = JSON.stringify(fakes.reportQueue.sent[0]);
    const stored = JSON.stringify([...fakes.reports.items.values()]);
    for (const text of [sent, stored]) {
      expect(text).not.toContain('9876543210123');
      expect(text).not.toContain('77771234');
      expect(text).toContain('0123'); // last four digits are kept for display
    }
    expect(json.nextSteps[0].id).toBe('recall-wire');
  });

  it('answers 202 even when the RECEIVED write fails, because the queued message will be stored', async () => {
    fakes.reports.failOn('putReceived', new Error('throttled'));
    const { res } = await post(makeReportBody());
    expect(res.statusCode).toBe(202);
    expect(fakes.reportQueue.sent).toHaveLength(1);
  });

  it('answers in Spanish when the filer asks for Spanish', async () => {
    const body = makeReportBody();
    (body['filer'] as Record<string, unknown>)['language'] = 'es';
    const { json } = await post(body);
    expect(json.nextSteps.find((s: { id: string }) => s.id === 'no-fees').title).toBe(
      'Nunca le pediremos que pague nada',
    );
  });
});

describe('POST /v1/reports: when the queue is down', () => {
  it('answers 503 with no internals and writes nothing to the table', async () => {
    fakes.reportQueue.failOn('send', new Error('connect ECONNREFUSED 10.0.0.1:443'));
    const { res, json } = await post(makeReportBody());
    expect(res.statusCode).toBe(503);
    expect(json.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body).not.toContain('ECONNREFUSED');
    expect(fakes.reports.items.size).toBe(0);
  });
});

const big = (n: number) => 'x'.repeat(n);
const pay = (p: Record<string, unknown>) => withPayments([{ amountCents: 1000, method: 'cash', ...p }]);

describe('POST /v1/reports: bad input gets a clear 4xx naming the field, and nothing is kept', () => {
  const cases: [string, unknown, number, string | null, Record<string, string>?][] = [
    ['body that is not JSON', '{"incident": ', 400, null],
    ['JSON that is an array', [1, 2], 400, null],
    ['JSON that is a string', '"hello"', 400, null],
    ['JSON null', 'null', 400, null],
    ['an empty body', '', 400, null],
    [
      'missing category',
      { ...makeMinimalReportBody(), incident: { narrative: 'x' } },
      400,
      'incident.category',
    ],
    [
      'missing narrative',
      { ...makeMinimalReportBody(), incident: { category: 'investment' } },
      400,
      'incident.narrative',
    ],
    [
      'blank narrative',
      { ...makeMinimalReportBody(), incident: { category: 'investment', narrative: '   ' } },
      400,
      'incident.narrative',
    ],
    ['missing consents', { incident: { category: 'investment', narrative: 'x' } }, 400, 'consents'],
    [
      'unknown category',
      { ...makeMinimalReportBody(), incident: { category: 'aliens', narrative: 'x' } },
      400,
      'incident.category',
    ],
    [
      'unknown contact method',
      {
        ...makeMinimalReportBody(),
        incident: { category: 'other', narrative: 'x', contactMethod: 'pigeon' },
      },
      400,
      'incident.contactMethod',
    ],
    ['unknown payment method', pay({ method: 'barter' }), 400, 'payments.0.method'],
    ['negative amount', pay({ amountCents: -5 }), 400, 'payments.0.amountCents'],
    ['zero amount', pay({ amountCents: 0 }), 400, 'payments.0.amountCents'],
    ['fractional amount', pay({ amountCents: 10.5 }), 400, 'payments.0.amountCents'],
    ['absurd amount (> $1 billion)', pay({ amountCents: 100_000_000_001 }), 400, 'payments.0.amountCents'],
    ['amount as a string', pay({ amountCents: '1000' }), 400, 'payments.0.amountCents'],
    ['date in the future', pay({ date: '2999-01-01' }), 400, 'payments.0.date'],
    ['date not ISO', pay({ date: '10/02/2026' }), 400, 'payments.0.date'],
    [
      'first contact date not ISO',
      {
        ...makeMinimalReportBody(),
        incident: { category: 'other', narrative: 'x', firstContactDate: 'yesterday' },
      },
      400,
      'incident.firstContactDate',
    ],
    ['unknown currency', pay({ currency: 'XYZ' }), 400, 'payments.0.currency'],
    [
      'phone that does not parse',
      { ...makeMinimalReportBody(), scammer: { phones: ['call me'] } },
      400,
      'scammer.phones.0',
    ],
    [
      'email that does not parse',
      { ...makeMinimalReportBody(), scammer: { emails: ['ok@example.com', 'not-an-email'] } },
      400,
      'scammer.emails.1',
    ],
    [
      'website that does not parse',
      { ...makeMinimalReportBody(), scammer: { websites: ['not a website'] } },
      400,
      'scammer.websites.0',
    ],
    [
      'wallet that does not parse',
      pay({
        method: 'cryptocurrency',
        recipient: { kind: 'crypto-wallet', asset: 'BTC', address: 'bc1qnotreal' },
      }),
      400,
      'payments.0.recipient.address',
    ],
    [
      'ETH wallet with a bad checksum',
      pay({
        method: 'cryptocurrency',
        recipient: {
          kind: 'crypto-wallet',
          asset: 'ETH',
          address: '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAE',
        },
      }),
      400,
      'payments.0.recipient.address',
    ],
    ['unknown recipient kind', pay({ recipient: { kind: 'pigeon' } }), 400, 'payments.0.recipient.kind'],
    [
      'more than 50 payments',
      withPayments(Array.from({ length: 51 }, () => ({ amountCents: 100, method: 'cash' }))),
      400,
      'payments',
    ],
    [
      'more than 50 phone numbers',
      {
        ...makeMinimalReportBody(),
        scammer: {
          phones: Array.from({ length: 51 }, (_, i) => `+1 202 555 01${String(i).padStart(2, '0')}`),
        },
      },
      400,
      'scammer.phones',
    ],
    [
      'narrative over 20,000 characters',
      { ...makeMinimalReportBody(), incident: { category: 'other', narrative: big(20_001) } },
      400,
      'incident.narrative',
    ],
    ['body over 256 KB', { ...makeMinimalReportBody(), padding: big(270_000) }, 413, null],
    [
      'a __proto__ key',
      '{"incident":{"category":"other","narrative":"x"},"consents":{"shareWithLawEnforcement":true,"contactAboutRecovery":true},"__proto__":{"admin":true}}',
      400,
      '__proto__',
    ],
    [
      'a nested constructor key',
      { ...makeMinimalReportBody(), filer: { constructor: { prototype: { x: 1 } } } },
      400,
      'filer.constructor',
    ],
    ['wrong content type', makeMinimalReportBody(), 415, null, { 'content-type': 'text/plain' }],
    [
      'form-encoded content type',
      makeMinimalReportBody(),
      415,
      null,
      { 'content-type': 'application/x-www-form-urlencoded' },
    ],
  ];

  it.each(cases)('%s', async (_name, body, status, field, headers) => {
    const { res, json } = await post(body, headers);
    expect(res.statusCode).toBe(status);
    expect(json.error.code).toMatch(/^[A-Z_]+$/);
    expect(json.error.message.length).toBeGreaterThan(10);
    expect(typeof json.requestId).toBe('string');
    if (field !== null) expect(json.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    nothingWritten();
  });

  it('lists every problem at once, not just the first', async () => {
    const { json } = await post({
      incident: { category: 'nope' },
      payments: [{ amountCents: 'ten', method: 'x' }],
    });
    const paths = json.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'incident.category',
        'incident.narrative',
        'payments.0.amountCents',
        'payments.0.method',
        'consents',
      ]),
    );
  });

  it('refuses a malformed Idempotency-Key before doing anything', async () => {
    const { res, json } = await post(makeReportBody(), { 'idempotency-key': 'short' });
    expect(res.statusCode).toBe(400);
    expect(json.error.code).toBe('INVALID_IDEMPOTENCY_KEY');
    nothingWritten();
  });
});
