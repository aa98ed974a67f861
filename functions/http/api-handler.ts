/**
 * Builds a function's API handler from its routes: one middy chain with Powertools logging and
 * metrics, the role check from the route table, and the single error mapping. Route handlers
 * receive a parsed request context and return a response; they never format errors themselves.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { config } from '../config.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { type Role, type RouteAuth, routes } from '../routes.ts';
import { HttpError, isServerFault, toHttpResponse } from './errors.ts';

export type ApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

export interface Caller {
  sub: string;
  roles: Role[];
}

export interface RouteRequest {
  event: ApiEvent;
  context: Context;
  requestId: string;
  /** Present on staff routes: who is calling, from the verified token's claims. */
  caller?: Caller;
}

export type RouteHandler = (req: RouteRequest) => Promise<APIGatewayProxyStructuredResultV2>;

const authByRouteKey = new Map<string, RouteAuth>(routes.map((r) => [`${r.method} ${r.path}`, r.auth]));

/**
 * HEAD is served wherever GET is (the API stack adds a HEAD route beside every GET route): the
 * GET handler runs and the body is dropped, so headers, status and ETag match a GET exactly.
 */
const asGet = (routeKey: string): string =>
  routeKey.startsWith('HEAD ') ? `GET ${routeKey.slice(5)}` : routeKey;

/**
 * API Gateway flattens JWT claims to strings: a Cognito group list arrives as "[reviewer admin]".
 * Tokens from other issuers may carry a JSON array or a space/comma separated string.
 */
export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const s = raw.trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: API Gateway's "[a b]" form
    }
    return s
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return s.split(/[\s,]+/).filter(Boolean);
}

function authorise(event: ApiEvent, auth: RouteAuth): Caller | undefined {
  if (auth === 'public') return undefined;
  const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims['sub'] !== 'string') {
    throw new HttpError(401, 'UNAUTHORIZED', 'Sign in to use this page.');
  }
  const groups = parseGroups(claims[config().AUTH_GROUPS_CLAIM]);
  const roles = auth.roles.filter((r) => groups.includes(r));
  if (roles.length === 0) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      'Your account does not have permission for this. Ask an administrator.',
    );
  }
  return { sub: claims['sub'], roles: (['reviewer', 'admin'] as const).filter((r) => groups.includes(r)) };
}

export function apiHandler(handlers: Readonly<Record<string, RouteHandler>>) {
  for (const routeKey of Object.keys(handlers)) {
    if (!authByRouteKey.has(routeKey)) throw new Error(`Route ${routeKey} is not in functions/routes.ts`);
  }
  return middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const routeKey = asGet(event.routeKey);
      logger.appendKeys({ routeKey: event.routeKey, requestId });
      const started = Date.now();
      let res: APIGatewayProxyStructuredResultV2;
      try {
        const handle = handlers[routeKey];
        const auth = authByRouteKey.get(routeKey);
        if (!handle || !auth) throw new HttpError(404, 'NOT_FOUND', 'There is nothing at this address.');
        const caller = authorise(event, auth);
        res = await handle({ event, context, requestId, ...(caller ? { caller } : {}) });
      } catch (e) {
        res = toHttpResponse(e, requestId, event.rawPath);
        if (isServerFault(res)) logger.error('request failed', describeError(e));
        else
          logger.info('request refused', {
            statusCode: res.statusCode,
            errorName: describeError(e).errorName,
          });
      }
      logger.info('request done', { statusCode: res.statusCode, latencyMs: Date.now() - started });
      // One outcome metric per request: feeds the dashboard's error rates (and means every
      // invocation publishes something, so Powertools does not warn about empty metrics).
      const status = res.statusCode ?? 500;
      metrics.addMetric(
        status >= 500 ? 'ApiServerErrors' : status >= 400 ? 'ApiClientErrors' : 'ApiSuccess',
        MetricUnit.Count,
        1,
      );
      if (event.routeKey.startsWith('HEAD ')) {
        const { body: _dropped, ...head } = res;
        return head;
      }
      return res;
    });
}
