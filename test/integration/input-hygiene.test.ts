/**
 * Input hygiene through the real handlers: characters that do not belong in a field are refused
 * with the field named, text is stored NFC-normalised, a website must name a public site, a bank
 * recipient keeps only what the domain needs, and filing a claim cannot be used to try invitation
 * codes faster than /v1/invitations/verify allows.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKeys } from '#shared/storage/report-keys.ts';
import { GUESS_LIMIT } from '#shared/use-cases/guess-guard.ts';
import { makeMinimalReportBody, makeReportBody, withPayments } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => stack?.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Json };
}

/** The stored report item, once the consumer (or intake) wrote it. */
async function stored(reportId: string, receivedAt: string): Promise<Json> {
  const { pk, sk } = reportKeys(reportId, receivedAt, 'x');
  return stack.waitFor(async () => {
    const res = await stack.dynamo.send(
      new GetItemCommand({ TableName: stack.tableNames.main, Key: { pk: { S: pk }, sk: { S: sk } } }),
    );
    return res.Item ? (unmarshall(res.Item) as Json) : undefined;
  });
}

const withName = (name: string) =>
  makeReportBody({
    filer: { role: 'victim', contact: { name, email: 'rosa@example.com' } },
  });

describe('characters that do not belong in a field', () => {
  it.each([
    ['a NUL', 'Rosa\u0000Martínez', 'filer.contact.name'],
    ['a line break in a name', 'Rosa\nMartínez', 'filer.contact.name'],
    ['an escape character', 'Rosa\u001bMartínez', 'filer.contact.name'],
    ['a lone surrogate', 'Rosa \ud83d Martínez', 'filer.contact.name'],
    ['a right-to-left override', 'Rosa \u202eMartínez', 'filer.contact.name'],
  ])('refuses %s, naming the field', async (_what, name, path) => {
    const res = await post('/v1/reports', withName(name));
    expect(res.status, res.text).toBe(400);
    expect(res.text).toContain(path);
  });

  it('refuses a bidi override inside an identifier', async () => {
    const body: Json = makeReportBody();
    body['scammer'] = { ...body['scammer'], websites: ['https://evil\u202e.com'] };
    const res = await post('/v1/reports', body);
    expect(res.status, res.text).toBe(400);
    expect(res.text).toContain('scammer.websites.0');
  });

  it('keeps line breaks and tabs in the narrative and stores text NFC-normalised', async () => {
    const decomposed = 'Jose\u0301 called.\n\tHe said I owed taxes.';
    const body = makeMinimalReportBody({
      incident: { category: 'online-shopping', narrative: decomposed },
      filer: { contact: { name: 'Jose\u0301 Nun\u0303ez' } },
    });
    const res = await post('/v1/reports', body);
    expect(res.status, res.text).toBe(202);
    const item = await stored(res.json['reportId'], res.json['receivedAt']);
    expect(item['content']['incident']['narrative']).toBe(decomposed.normalize('NFC'));
    expect(item['content']['filer']['contact']['name']).toBe('José Nuñez');
  });
});

describe('scammer websites', () => {
  it.each([[' 5'], ['250000'], ['127.0.0.1'], ['http://192.168.1.1/login'], ['[::1]'], ['localhost']])(
    'refuses %j',
    async (website) => {
      const body = makeMinimalReportBody({ scammer: { websites: [website] } });
      const res = await post('/v1/reports', body);
      expect(res.status, res.text).toBe(400);
      expect(res.text).toContain('scammer.websites.0');
    },
  );

  it('refuses a number where a website belongs', async () => {
    const res = await post('/v1/reports', makeMinimalReportBody({ scammer: { websites: [250000] } }));
    expect(res.status, res.text).toBe(400);
    expect(res.text).toContain('scammer.websites.0');
  });
});

describe('a bank recipient keeps only what the domain needs', () => {
  const bank = (recipient: Json) =>
    withPayments([{ amountCents: 5_000, currency: 'USD', method: 'wire-transfer', recipient }]);

  it('stores no routing number, and the IBAN country only from a checked IBAN', async () => {
    const res = await post(
      '/v1/reports',
      bank({ kind: 'bank-account', routingNumber: '011000015', accountNumber: '4455667788' }),
    );
    expect(res.status, res.text).toBe(202);
    const item = await stored(res.json['reportId'], res.json['receivedAt']);
    const recipient = item['content']['payments'][0]['recipient'];
    expect(recipient).toEqual({ kind: 'bank-account', accountLast4: '7788' });
    expect(JSON.stringify(item)).not.toContain('011000015');

    const iban = await post(
      '/v1/reports',
      bank({ kind: 'bank-account', iban: 'GB82 WEST 1234 5698 7654 32' }),
    );
    expect(iban.status, iban.text).toBe(202);
    const ibanItem = await stored(iban.json['reportId'], iban.json['receivedAt']);
    expect(ibanItem['content']['payments'][0]['recipient']).toMatchObject({ ibanCountry: 'GB' });
  });

  it.each([
    ['a malformed SWIFT code', { swift: 'NOT A BIC', accountNumber: '4455667788' }, 'recipient.swift'],
    [
      'a routing number alone that fails its check',
      { routingNumber: '123456789' },
      'recipient.routingNumber',
    ],
  ])('refuses %s', async (_what, fields, path) => {
    const res = await post('/v1/reports', bank({ kind: 'bank-account', ...fields }));
    expect(res.status, res.text).toBe(400);
    expect(res.json['errors'].map((f: Json) => f['pointer'])).toContain(
      `/payments/0/${path.replaceAll('.', '/')}`,
    );
  });
});

describe('invitation codes cannot be tried through POST /v1/claims', () => {
  it(`answers 429 after ${GUESS_LIMIT} wrong codes, and the limit is shared with verify`, async () => {
    const address = { 'x-test': 'claims-oracle' };
    const claim = (code: string) => ({
      invitationCode: code,
      claimant: {
        name: 'Rosa Martínez',
        email: 'rosa@example.com',
        address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
      },
      recoveriesCents: 0,
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < GUESS_LIMIT; i++) {
      const code = `INV-0000-0000-0000-${String(i).padStart(4, '0')}`;
      statuses.push((await post('/v1/claims', claim(code), address)).status);
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
    const limited = await post('/v1/claims', claim('INV-1111-1111-1111-1111'), address);
    expect(limited.status, limited.text).toBe(429);
    expect((await post('/v1/invitations/verify', { code: 'INV-2222-2222-2222-2222' })).status).toBe(429);
  });
});

describe('guess limits are atomic', () => {
  it(`evaluates at most ${GUESS_LIMIT} of 60 parallel wrong codes from one address`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post('/v1/claims/status', {
          claimId: 'CLM-7K3M-9QXD-2HFA-8WN4',
          accessCode: `WRONG-CODE-${String(i).padStart(4, '0')}`,
        }),
      ),
    );
    const evaluated = answers.filter((a) => a.status === 404).length;
    expect(evaluated).toBeLessThanOrEqual(GUESS_LIMIT);
    expect(evaluated).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 429).length).toBe(60 - evaluated);
  });
});
