/**
 * Behind CloudFront: a request that skipped it (no origin secret) is refused before any route
 * runs, and per-client limits key on the viewer's address that CloudFront forwards.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cameThroughCloudFront,
  ORIGIN_HEADER,
  VIEWER_ADDRESS_HEADER,
  viewerAddress,
} from '#functions/http/edge.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';

const SECRET = 'a-long-random-origin-secret-from-secrets-manager';
process.env['ORIGIN_VERIFY'] = SECRET;

type Handler = (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let meta: Handler;
beforeAll(async () => {
  ({ handler: meta } = (await import('#functions/meta/handler.ts')) as unknown as { handler: Handler });
});

const health = (headers: Record<string, string>) =>
  meta(apiEvent({ routeKey: 'GET /health', headers }), lambdaContext());

describe('the origin secret', () => {
  it('refuses a request that came straight to execute-api', async () => {
    expect((await health({})).statusCode).toBe(403);
    expect((await health({ [ORIGIN_HEADER]: `${SECRET}x` })).statusCode).toBe(403);
    expect((await health({ [ORIGIN_HEADER]: SECRET.slice(0, 10) })).statusCode).toBe(403);
  });

  it("answers a request that carries CloudFront's header", async () => {
    expect((await health({ [ORIGIN_HEADER]: SECRET })).statusCode).toBe(200);
  });

  it('compares exactly', () => {
    const event = (value: string) =>
      apiEvent({ routeKey: 'GET /health', headers: { [ORIGIN_HEADER]: value } });
    expect(cameThroughCloudFront(event(SECRET), SECRET)).toBe(true);
    expect(cameThroughCloudFront(event(SECRET.toUpperCase()), SECRET)).toBe(false);
    expect(cameThroughCloudFront(event(''), SECRET)).toBe(false);
  });
});

describe('the viewer address', () => {
  const event = apiEvent({
    routeKey: 'POST /v1/claims/status',
    headers: { [VIEWER_ADDRESS_HEADER]: '198.51.100.7' },
  });

  it("is CloudFront's forwarded viewer address behind CloudFront, not the edge's", () => {
    expect(viewerAddress(event, true)).toBe('198.51.100.7');
  });

  it('is the socket address when nothing vouches for the header (local runtime)', () => {
    expect(viewerAddress(event, false)).toBe('127.0.0.1');
  });
});
