/**
 * The whole intake path against the real local servers (dynalite + fauxqs) and the unmodified
 * handlers behind the local HTTP runtime: submit -> queued -> enriched -> linked.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMinimalReportBody, makeReportBody, wallets, withPayments } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

// Response bodies are walked freely in assertions; a wrong path fails the assertion anyway.
// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function submit(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

async function staffGet(path: string, role: 'reviewer' | 'admin' = 'reviewer') {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${await stack.token(role)}` },
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function enriched(reportId: string) {
  let last: Json = {};
  await stack.waitFor(
    async () => {
      const r = await staffGet(`/v1/admin/reports/${reportId}`);
      last = r.json;
      return r.status === 200 && r.json['status'] === 'ENRICHED';
    },
    { timeoutMs: 20_000, message: `report ${reportId} was not enriched` },
  );
  return last;
}

async function countItems(pk: string): Promise<number> {
  const res = await stack.dynamo.send(
    new QueryCommand({
      TableName: stack.tableNames.main,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      Select: 'COUNT',
    }),
  );
  return res.Count ?? 0;
}

describe('report intake against the local servers', () => {
  it('serves health and an OpenAPI document generated from the schemas', async () => {
    const health = await fetch(`${stack.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as Json;
    expect(doc['openapi']).toBe('3.1.0');
    const ref = doc['paths']['/v1/reports']['post']['requestBody']['content']['application/json']['schema'];
    expect(ref).toEqual({ $ref: '#/components/schemas/ReportInput' });
    const body = doc['components']['schemas']['ReportInput'];
    expect(body.required).toEqual(expect.arrayContaining(['incident', 'consents']));
    expect(body.properties.incident.properties.category.enum).toContain('imposter-government');
  });

  it('files a report, enriches it and links it to a second report that paid the same wallet', async () => {
    const first = await submit(makeReportBody());
    expect(first.status).toBe(202);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const report = await enriched(first.json['reportId']);
    expect(report['incident']['narrative']).toContain('IRS');
    expect(report['indicators'].map((i: { type: string }) => i.type).sort()).toEqual(
      ['crypto-wallet', 'domain', 'email', 'phone'].sort(),
    );

    // A second victim types the same wallet in capitals and the same phone another way.
    const second = await submit(
      withPayments(
        [
          {
            amountCents: 120000,
            method: 'cryptocurrency',
            recipient: { kind: 'crypto-wallet', address: wallets.btc.toUpperCase() },
          },
        ],
        makeMinimalReportBody({ scammer: { phones: ['+1 202.555.0143'] } }),
      ),
    );
    expect(second.status).toBe(202);
    await enriched(second.json['reportId']);

    const byWallet = await staffGet(`/v1/admin/indicators/crypto-wallet/${encodeURIComponent(wallets.btc)}`);
    expect(byWallet.status).toBe(200);
    expect(byWallet.json['reports'].map((r: { reportId: string }) => r.reportId).sort()).toEqual(
      [first.json['reportId'], second.json['reportId']].sort(),
    );
    expect(byWallet.json['summary']['paidByCurrency']['USD']).toBe(250000 + 120000);

    const byPhone = await staffGet(`/v1/admin/indicators/phone/${encodeURIComponent('(202) 555-0143')}`);
    expect(byPhone.json['reports']).toHaveLength(2);

    const search = await staffGet(
      `/v1/admin/reports?indicator=${encodeURIComponent(`crypto-wallet:${wallets.btc}`)}`,
    );
    expect(search.status).toBe(200);
    expect(search.json['items']).toHaveLength(2);

    const byCategory = await staffGet('/v1/admin/reports?category=imposter-government');
    expect(byCategory.json['items'].map((r: { reportId: string }) => r.reportId)).toContain(
      first.json['reportId'],
    );
    expect(byCategory.json['items'].map((r: { reportId: string }) => r.reportId)).not.toContain(
      second.json['reportId'],
    );

    // By date alone (gsi1). Both report indexes hold keys only: results are the whole reports.
    const byDate = await staffGet('/v1/admin/reports');
    const found = byDate.json['items'].find(
      (r: { reportId: string }) => r.reportId === second.json['reportId'],
    ) as { status: string; incident: { narrative: string }; indicators: unknown[] } | undefined;
    expect(found?.status).toBe('ENRICHED');
    expect(found?.incident.narrative.length).toBeGreaterThan(0);
    expect(found?.indicators.length).toBeGreaterThan(0);
    const foundInCategory = byCategory.json['items'].find(
      (r: { reportId: string }) => r.reportId === first.json['reportId'],
    ) as { incident: { category: string } } | undefined;
    expect(foundInCategory?.incident.category).toBe('imposter-government');
  });

  it('stores Unicode names and narratives exactly as written', async () => {
    const narrative =
      'Me llamó un hombre del "IRS". 他说我欠税。 Pagué con tarjetas 🎁😢 — ¡qué vergüenza!\nSegunda línea.';
    const name = 'José Ñúñez 王小明 👵🏽';
    const res = await submit(
      makeMinimalReportBody({
        incident: { category: 'imposter-government', narrative },
        filer: { contact: { name }, onBehalfOf: { name: 'Abuela Lucía', relationship: 'grandmother' } },
      }),
    );
    expect(res.status).toBe(202);
    const stored = await enriched(res.json['reportId']);
    expect(stored['incident']['narrative']).toBe(narrative);
    expect(stored['filer']['contact']['name']).toBe(name);
  });

  it('shows a report as RECEIVED before enrichment and ENRICHED after', async () => {
    await stack.pausePoller();
    try {
      const res = await submit(makeMinimalReportBody());
      const before = await staffGet(`/v1/admin/reports/${res.json['reportId']}`);
      expect(before.status).toBe(200);
      expect(before.json['status']).toBe('RECEIVED');
    } finally {
      stack.resumePoller();
    }
  });

  it('requires a token for staff routes (401) and refuses bad queries (400)', async () => {
    const anonymous = await fetch(`${stack.baseUrl}/v1/admin/reports?category=investment`);
    expect(anonymous.status).toBe(401);
    const bad = await staffGet('/v1/admin/reports?category=aliens');
    expect(bad.status).toBe(400);
    expect(bad.json['errors'][0]['pointer']).toBe('/category');
  });

  it('keeps nothing for bad input: no message queued, no record written', async () => {
    const before = await countItems(`REPORTS#${new Date().toISOString().slice(0, 7)}`).catch(() => 0);
    const cases = [
      await submit('{"incident":'),
      await submit(makeMinimalReportBody({ payments: [{ amountCents: '100', method: 'cash' }] })),
      await submit(makeMinimalReportBody({ padding: 'x'.repeat(300_000) })),
      await submit(makeMinimalReportBody(), { 'content-type': 'text/plain' }),
    ];
    expect(cases.map((c) => c.status)).toEqual([400, 400, 413, 415]);
    for (const c of cases) expect(c.json['detail']).toBeTruthy();
    const attrs = await stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queueUrls.enrichment,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0)).toBe(0);
    expect(await countItems(`REPORTS#${new Date().toISOString().slice(0, 7)}`).catch(() => 0)).toBe(before);
  });
});

describe('idempotency', () => {
  it('a retry with the same Idempotency-Key returns the same answer and stores nothing twice', async () => {
    const key = crypto.randomUUID();
    const body = makeReportBody({ scammer: { phones: ['+44 20 7946 0958'] } });
    const a = await submit(body, { 'idempotency-key': key });
    const b = await submit(body, { 'idempotency-key': key });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.json).toEqual(a.json);
    await enriched(a.json['reportId']);
    const phone = await staffGet(`/v1/admin/indicators/phone/${encodeURIComponent('+442079460958')}`);
    expect(phone.json['reports']).toHaveLength(1);
  });

  it('concurrent identical submissions with one key make exactly one record', async () => {
    const key = crypto.randomUUID();
    const body = makeMinimalReportBody({ scammer: { emails: [`dup-${key}@scam.example.com`] } });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => submit(body, { 'idempotency-key': key })),
    );
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 202 || a.status === 409)).toBe(true);
    expect(new Set(accepted.map((a) => a.json['reportId'])).size).toBe(1);
    await enriched(accepted[0]!.json['reportId']);
    // Retrying after the first finished always gives the same id.
    const later = await submit(body, { 'idempotency-key': key });
    expect(later.json['reportId']).toBe(accepted[0]!.json['reportId']);
    expect(await countItems(`IND#email#dup-${key}@scam.example.com`)).toBe(1);
  });

  it('the same key with a different report is refused (422) and stores nothing', async () => {
    const key = crypto.randomUUID();
    const a = await submit(makeMinimalReportBody(), { 'idempotency-key': key });
    const b = await submit(makeReportBody(), { 'idempotency-key': key });
    expect(a.status).toBe(202);
    expect(b.status).toBe(422);
    expect(b.json['code']).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('at-least-once delivery', () => {
  it('a message delivered twice stores the report and its links exactly once', async () => {
    await stack.pausePoller();
    let reportId: string;
    try {
      const res = await submit(
        makeMinimalReportBody({ scammer: { websites: [`https://twice-${Date.now()}.example.org/x`] } }),
      );
      reportId = res.json['reportId'];
      // Duplicate the queued message, as SQS may do.
      const message = await stack.peekMessage('enrichment');
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: stack.queueUrls.enrichment, MessageBody: message }),
      );
    } finally {
      stack.resumePoller();
    }
    const report = await enriched(reportId);
    const domain = report['indicators'][0]['value'] as string;
    await stack.waitFor(async () => (await stack.queueDepth('enrichment')) === 0, {
      timeoutMs: 15_000,
      message: 'queue did not drain',
    });
    expect(await countItems(`IND#domain#${domain}`)).toBe(1);
    expect(await countItems(`REPORT#${reportId}`)).toBe(1);
  });

  it('a poison message ends in the dead-letter queue after the allowed receives, and nothing is stored', async () => {
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrls.enrichment,
        MessageBody: '{"type":"restore.report.received","version":1}',
      }),
    );
    await stack.waitFor(async () => (await stack.queueDepth('enrichmentDlq')) >= 1, {
      timeoutMs: 40_000,
      message: 'poison message never reached the DLQ',
    });
    expect(await stack.queueDepth('enrichmentDlq')).toBe(1);
  });
});
