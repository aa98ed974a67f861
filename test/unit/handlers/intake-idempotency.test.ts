/**
 * One report per Idempotency-Key, whatever fails: the reference number is a keyed hash of the key,
 * the report's own conditional write answers later retries, 503 only when nothing was queued.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import { parseReportId } from '#shared/domain/ids.ts';
import { reportIdForKey } from '#shared/use-cases/submit-report.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';
import { makeMinimalReportBody, makeReportBody, TEST_KEY, TEST_KEY_BASE64 } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const fakes = new Fakes();
provide(fakes.deps);

type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;
beforeAll(async () => {
  ({ handler } = (await import('#functions/intake/handler.ts')) as unknown as { handler: Handler });
});
beforeEach(() => {
  fakes.reset();
  fakes.reports.reset();
  fakes.reportQueue.reset();
  fakes.reportQueue.sent.length = 0;
});

async function post(body: unknown, key?: string) {
  const res = await handler(
    apiEvent({
      routeKey: 'POST /v1/reports',
      body: body as object,
      headers: key ? { 'idempotency-key': key } : {},
    }),
    lambdaContext('intake'),
  );
  return { status: res.statusCode, json: JSON.parse(res.body ?? 'null') };
}

const KEY = '6f1c2a7e-4b1d-4c8e-9f3a-2d5e8b7c1a90';

describe('the reference number of a keyed report', () => {
  it('is a valid, checkable reference derived from the key under the secret key', () => {
    const id = reportIdForKey(TEST_KEY, KEY);
    expect(parseReportId(id)).toBe(id);
    expect(reportIdForKey(TEST_KEY, KEY)).toBe(id);
    expect(reportIdForKey(TEST_KEY, `${KEY}x`)).not.toBe(id);
    expect(reportIdForKey(new Uint8Array(32).fill(9), KEY)).not.toBe(id);
  });
});

describe('POST /v1/reports with an Idempotency-Key', () => {
  it('answers a retry exactly as the first time, without queueing it again', async () => {
    const first = await post(makeReportBody(), KEY);
    const again = await post(makeReportBody(), KEY);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(first.json.reportId).toBe(reportIdForKey(TEST_KEY, KEY));
    expect(fakes.reportQueue.sent).toHaveLength(1);
  });

  it('refuses the same key with a different report (422) and queues nothing more', async () => {
    expect((await post(makeMinimalReportBody(), KEY)).status).toBe(202);
    const other = await post(makeReportBody(), KEY);
    expect(other.status).toBe(422);
    expect(other.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.json.status).toBe(422);
    expect(fakes.reportQueue.sent).toHaveLength(1);
  });

  it('gives the same number after a crash between the queue and the table: the duplicate message carries it too', async () => {
    fakes.reports.failOn('putReceived', new Error('process died'));
    const first = await post(makeReportBody(), KEY);
    fakes.reports.reset();
    const retry = await post(makeReportBody(), KEY);
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.json.reportId).toBe(first.json.reportId);
    // Two messages, one report id: the consumer's idempotent writes store it once.
    expect(new Set(fakes.reportQueue.sent.map((m) => m.reportId))).toEqual(new Set([first.json.reportId]));
  });

  it('answers 503 only when nothing was queued, and the retry files the same number', async () => {
    fakes.reportQueue.failOn('send', Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const refused = await post(makeReportBody(), KEY);
    expect(refused.status).toBe(503);
    expect(fakes.reportQueue.sent).toHaveLength(0);
    expect(fakes.reports.items.size).toBe(0);
    fakes.reportQueue.reset();
    const retry = await post(makeReportBody(), KEY);
    expect(retry.status).toBe(202);
    expect(retry.json.reportId).toBe(reportIdForKey(TEST_KEY, KEY));
  });

  it('answers 202 when the queue took the report although the table is down', async () => {
    fakes.reports.failOn('received', new Error('table down'));
    fakes.reports.failOn('putReceived', new Error('table down'));
    const res = await post(makeReportBody(), KEY);
    expect(res.status).toBe(202);
    expect(fakes.reportQueue.sent).toHaveLength(1);
  });

  it('collapses two concurrent attempts onto the first one recorded', async () => {
    const racingAt = '2026-01-02T03:04:05.000Z';
    fakes.reports.before('putReceived', async () => {
      const { content } = fakes.reportQueue.sent[0]!;
      await fakes.reports.putReceived(reportIdForKey(TEST_KEY, KEY), racingAt, content);
    });
    const res = await post(makeReportBody(), KEY);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ reportId: reportIdForKey(TEST_KEY, KEY), receivedAt: racingAt });
  });

  it('without a key, collapses a retry of the same content and keeps a different report apart', async () => {
    const a = await post(makeReportBody());
    const retry = await post(makeReportBody());
    const other = await post(makeMinimalReportBody());
    expect(retry.json).toEqual(a.json);
    expect(other.json.reportId).not.toBe(a.json.reportId);
    expect(fakes.reportQueue.sent).toHaveLength(2);
  });
});
