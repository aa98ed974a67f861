import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setAuditStoreForTests } from '#functions/http/api-handler.ts';
import { newReportId } from '#shared/domain/ids.ts';
import { apiEvent, lambdaContext, staffClaims } from '#test/support/events.ts';
import { TEST_KEY_BASE64 } from '#test/support/factories.ts';

process.env['TABLE_NAME'] = 'main';
process.env['INDICATOR_KEY'] = TEST_KEY_BASE64;
process.env['AWS_REGION'] = 'us-east-1';

const docMock = mockClient(DynamoDBDocumentClient);
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

beforeEach(() => {
  docMock.reset();
  docMock.on(GetCommand).resolves({});
  docMock.on(QueryCommand).resolves({ Items: [] });
});

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
    expect(docMock.calls()).toHaveLength(0);
  });

  it('answers 403 to a signed-in user without the reviewer or admin group', async () => {
    const res = await getReport(newReportId(), staffClaims('none'));
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body!).error.code).toBe('FORBIDDEN');
    expect(docMock.calls()).toHaveLength(0);
  });

  it.each(['reviewer', 'admin'] as const)('lets a %s read (404 for an unknown report)', async (role) => {
    const res = await getReport(newReportId(), staffClaims(role));
    expect(res.statusCode).toBe(404);
    expect(docMock.commandCalls(GetCommand)).toHaveLength(1);
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
    expect(docMock.calls()).toHaveLength(0);
  });
});

describe('staff routes: indicator lookups', () => {
  it('normalises the typed value before querying, so any spelling finds the same partition', async () => {
    for (const spelling of ['(202) 555-0143', '+1 202-555-0143', '2025550143']) {
      docMock.resetHistory();
      const res = await indicators(
        apiEvent({
          routeKey: 'GET /v1/admin/indicators/{type}/{value}',
          pathParameters: { type: 'phone', value: spelling },
          claims: staffClaims('reviewer'),
        }),
        lambdaContext('admin-indicators'),
      );
      expect(res.statusCode).toBe(200);
      const q = docMock.commandCalls(QueryCommand)[0]!.args[0].input;
      expect(q.ExpressionAttributeValues![':pk']).toBe('IND#phone#+12025550143');
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

  it('answers 400, not 500, for a forged page cursor', async () => {
    const res = await indicators(
      apiEvent({
        routeKey: 'GET /v1/admin/indicators/{type}/{value}',
        pathParameters: { type: 'phone', value: '2025550143' },
        queryStringParameters: {
          cursor: Buffer.from('{"k":{"pk":"IND#phone#+19999999999","sk":"x"}}').toString('base64url'),
        },
        claims: staffClaims('admin'),
      }),
      lambdaContext('admin-indicators'),
    );
    expect(res.statusCode).toBe(400);
    expect(docMock.calls()).toHaveLength(0);
  });
});
