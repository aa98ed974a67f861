/**
 * The audit trail against the real local servers and handlers: staff reads and writes are
 * recorded (who, what, when, request id, source address) before the answer; admins search it by
 * person, record and time, newest first, page by page; reviewers cannot; and when the trail
 * cannot be written, staff requests fail with 503 while the public site keeps working.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTable } from '#shared/storage/tables.ts';
import { makeMinimalReportBody } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function call(
  method: string,
  path: string,
  opts: { role?: 'reviewer' | 'admin'; sub?: string; body?: unknown } = {},
): Promise<{ status: number; json: Json; requestId: string | null }> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.role) {
    headers['authorization'] = `Bearer ${await stack.token(opts.role, opts.sub ? { sub: opts.sub } : {})}`;
  }
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON
  }
  return { status: res.status, json, requestId: res.headers.get('apigw-requestid') };
}

describe('audit trail', () => {
  let reportId: string;

  it('records a staff read with who, what, when, request id and source address', async () => {
    const filed = await call('POST', '/v1/reports', { body: makeMinimalReportBody() });
    expect(filed.status).toBe(202);
    reportId = filed.json['reportId'] ?? filed.json['referenceNumber'];
    expect(typeof reportId).toBe('string');
    await stack.waitFor(
      async () => (await call('GET', `/v1/admin/reports/${reportId}`, { role: 'reviewer' })).status === 200,
    );

    const read = await call('GET', `/v1/admin/reports/${reportId}`, { role: 'reviewer', sub: 'rita' });
    expect(read.status).toBe(200);

    const found = await call('GET', `/v1/admin/audit?actor=rita`, { role: 'admin', sub: 'ada' });
    expect(found.status).toBe(200);
    const entry = found.json['items'][0];
    expect(entry).toMatchObject({
      actor: { sub: 'rita', roles: ['reviewer'] },
      action: 'read',
      route: 'GET /v1/admin/reports/{reportId}',
      path: `/v1/admin/reports/${reportId}`,
      subjectId: reportId,
      sourceIp: '127.0.0.1',
    });
    expect(entry.requestId).toBe(read.requestId);
    expect(Date.now() - Date.parse(entry.at)).toBeLessThan(60_000);
  });

  it('finds every staff touch of one record by its id, newest first, and pages with cursors', async () => {
    await call('GET', `/v1/admin/reports/${reportId}`, { role: 'admin', sub: 'ada' });
    const all = await call('GET', `/v1/admin/audit?subjectId=${encodeURIComponent(reportId)}`, {
      role: 'admin',
    });
    const subs = all.json['items'].map((e: Json) => e.actor.sub);
    expect(subs.slice(0, 2)).toEqual(['ada', 'rita']);
    const times = all.json['items'].map((e: Json) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const first = await call('GET', `/v1/admin/audit?subjectId=${encodeURIComponent(reportId)}&limit=1`, {
      role: 'admin',
    });
    expect(first.json['items']).toHaveLength(1);
    expect(typeof first.json['cursor']).toBe('string');
    const second = await call(
      'GET',
      `/v1/admin/audit?subjectId=${encodeURIComponent(reportId)}&limit=1&cursor=${first.json['cursor']}`,
      { role: 'admin' },
    );
    expect(second.json['items'][0].actor.sub).toBe('rita');
  });

  it('lists everything in a time range newest first, across pages, and records staff writes', async () => {
    const since = new Date().toISOString();
    const write = await call('POST', '/v1/admin/pools', { role: 'admin', sub: 'ada', body: {} });
    expect(write.status).toBe(400);
    const listed: Json[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'GET',
        `/v1/admin/audit?from=${since}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { role: 'admin', sub: 'ada' },
      );
      expect(page.status).toBe(200);
      listed.push(...page.json['items']);
      cursor = page.json['cursor'];
    } while (cursor && listed.length < 10);
    const writeEntry = listed.find((e) => e.requestId === write.requestId);
    expect(writeEntry).toMatchObject({
      action: 'write',
      route: 'POST /v1/admin/pools',
      actor: { sub: 'ada' },
    });
  });

  it('keeps the trail from reviewers and refuses a forged cursor or a reversed range with 400', async () => {
    expect((await call('GET', '/v1/admin/audit', { role: 'reviewer' })).status).toBe(403);
    expect((await call('GET', '/v1/admin/audit?cursor=abc', { role: 'admin' })).status).toBe(400);
    expect(
      (await call('GET', '/v1/admin/audit?from=2026-12-02&to=2026-12-01', { role: 'admin' })).status,
    ).toBe(400);
  });

  it('fails staff requests with 503 when the trail cannot be written; the public site still works', async () => {
    await stack.dynamo.send(new DeleteTableCommand({ TableName: auditTable.localName }));
    const read = await call('GET', `/v1/admin/reports/${reportId}`, { role: 'reviewer' });
    expect(read.status).toBe(503);
    // Nothing read is sent: the answer is the problem alone (RFC 9457 members and ours).
    expect(Object.keys(read.json).sort()).toEqual([
      'code',
      'detail',
      'instance',
      'requestId',
      'status',
      'title',
      'type',
    ]);
    const write = await call('POST', '/v1/admin/pools', { role: 'admin', body: {} });
    expect(write.status).toBe(503);
    expect((await call('GET', '/v1/pools')).status).toBe(200);
  });
});
