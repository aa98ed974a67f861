import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setAuditStoreForTests } from '#functions/http/api-handler.ts';
import { provide } from '#functions/provided.ts';
import { newReportId } from '#shared/domain/ids.ts';
import { linksOf } from '#shared/domain/report-content.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { apiEvent, lambdaContext, staffClaims } from '#test/support/events.ts';
import { makeReportBody, TEST_KEY, TEST_KEY_BASE64 } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const fakes = new Fakes();
provide(fakes.deps);
// The audit trail has its own tests (test/unit/handlers/audit.test.ts); here it only listens.
const audited: unknown[] = [];
setAuditStoreForTests({ append: async (entries) => void audited.push(...entries) });
type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let reports: Handler;
let indicators: Handler;

beforeAll(async () => {
  ({ handler: reports } = (await import('#functions/admin-reports/handler.ts')) as unknown as {
    handler: Handler;
  });
  ({ handler: indicators } = (await import('#functions/admin-indicators/handler.ts')) as unknown as {
    handler: Handler;
  });
});

beforeEach(() => fakes.reset());

const getReport = (reportId: string, claims?: Record<string, string>) =>
  reports(
    apiEvent({
      routeKey: 'GET /v1/admin/reports/{reportId}',
      path: `/v1/admin/reports/${reportId}`,
      pathParameters: { reportId },
      ...(claims ? { claims } : {}),
    }),
    lambdaContext('admin-reports'),
  );

describe('staff routes: roles', () => {
  it('answers 401 when the request carries no verified claims', async () => {
    const res = await getReport(newReportId());
    expect(res.statusCode).toBe(401);
    expect(fakes.log).toEqual([]);
  });

  it('answers 403 to a signed-in user without the reviewer or admin group', async () => {
    const res = await getReport(newReportId(), staffClaims('none'));
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body!).error.code).toBe('FORBIDDEN');
    expect(fakes.log).toEqual([]);
  });

  it.each(['reviewer', 'admin'] as const)('lets a %s read (404 for an unknown report)', async (role) => {
    const res = await getReport(newReportId(), staffClaims(role));
    expect(res.statusCode).toBe(404);
    expect(fakes.log).toEqual(['reports.get']);
  });

  it('lets staff read a stored report with links to each identifier it names', async () => {
    const { content } = validateReport(makeReportBody(), TEST_KEY);
    const reportId = newReportId();
    fakes.reports.seed({
      reportId,
      status: 'ENRICHED',
      receivedAt: '2026-11-01T12:00:00.000Z',
      content,
      lossByCurrency: { USD: 250_000 },
    });
    const res = await getReport(reportId, staffClaims('reviewer'));
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'cache-control': 'no-store' });
    const body = JSON.parse(res.body!);
    expect(body).toMatchObject({ reportId, status: 'ENRICHED', lossByCurrency: { USD: 250_000 } });
    expect(body.indicators).toContainEqual(
      expect.objectContaining({ type: 'phone', value: '+12025550143', href: expect.any(String) }),
    );
  });

  it('accepts groups given as a JSON array claim too', async () => {
    const res = await getReport(newReportId(), { sub: 's', 'cognito:groups': '["admin"]' });
    expect(res.statusCode).toBe(404);
  });

  it('answers 404 without a lookup for an id that fails its check character', async () => {
    const id = newReportId();
    const last = id.at(-1) === '0' ? '1' : '0';
    const res = await getReport(id.slice(0, -1) + last, staffClaims('reviewer'));
    expect(res.statusCode).toBe(404);
    expect(fakes.log).toEqual([]);
  });
});

describe('staff routes: indicator lookups', () => {
  it('normalises the typed value before looking it up, so any spelling finds the same reports', async () => {
    const { content } = validateReport(makeReportBody(), TEST_KEY);
    const reportId = newReportId();
    await fakes.reports.putLinks(reportId, '2026-11-01T12:00:00.000Z', content, linksOf(content));
    for (const spelling of ['(202) 555-0143', '+1 202-555-0143', '2025550143']) {
      const res = await indicators(
        apiEvent({
          routeKey: 'GET /v1/admin/indicators/{type}/{value}',
          pathParameters: { type: 'phone', value: spelling },
          claims: staffClaims('reviewer'),
        }),
        lambdaContext('admin-indicators'),
      );
      expect(res.statusCode).toBe(200);
      const view = JSON.parse(res.body!);
      expect(view).toMatchObject({ type: 'phone', value: '+12025550143' });
      expect(view.reports.map((r: { reportId: string }) => r.reportId)).toEqual([reportId]);
    }
  });

  it('answers 400 naming the value when it does not parse as that type', async () => {
    const res = await indicators(
      apiEvent({
        routeKey: 'GET /v1/admin/indicators/{type}/{value}',
        pathParameters: { type: 'crypto-wallet', value: 'not-a-wallet' },
        claims: staffClaims('reviewer'),
      }),
      lambdaContext('admin-indicators'),
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).error.fields[0].path).toBe('value');
  });

  it('answers 400 for an unknown identifier type', async () => {
    const res = await indicators(
      apiEvent({
        routeKey: 'GET /v1/admin/indicators/{type}/{value}',
        pathParameters: { type: 'fax', value: '123' },
        claims: staffClaims('admin'),
      }),
      lambdaContext('admin-indicators'),
    );
    expect(res.statusCode).toBe(400);
  });

  it('answers 400, not 500, for a forged page cursor, before looking anything up', async () => {
    const res = await indicators(
      apiEvent({
        routeKey: 'GET /v1/admin/indicators/{type}/{value}',
        pathParameters: { type: 'phone', value: '2025550143' },
        queryStringParameters: {
          cursor: Buffer.from('{"pk":"elsewhere","sk":"x"}').toString('base64url'),
        },
        claims: staffClaims('admin'),
      }),
      lambdaContext('admin-indicators'),
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).error.fields[0].path).toBe('cursor');
  });
});
