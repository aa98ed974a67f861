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
import { withDeadline } from '../deadline.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { type Role, type RouteAuth, routes } from '../routes.ts';
import { cameThroughCloudFront } from './edge.ts';
import { HttpError, isServerFault, toHttpResponse } from './errors.ts';
import { header } from './request.ts';
import { StaffTokenError, staffGroups } from './staff-claims.ts';

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

/** Time kept back from the invocation's deadline to map an error and answer. */
const ANSWER_MARGIN_MS = 500;

const authByRouteKey = new Map<string, RouteAuth>(routes.map((r) => [`${r.method} ${r.path}`, r.auth]));
/**
 * HEAD is served wherever GET is (the API stack adds a HEAD route beside every GET route): the
 * GET handler runs and the body is dropped, so headers, status and ETag match a GET exactly.
 */
const asGet = (routeKey: string): string =>
  routeKey.startsWith('HEAD ') ? `GET ${routeKey.slice(5)}` : routeKey;

function authorise(event: ApiEvent, auth: RouteAuth): Caller | undefined {
  if (auth === 'public') return undefined;
  const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims['sub'] !== 'string') {
    throw new HttpError(401, 'UNAUTHORIZED', 'Sign in to use this page.');
  }
  if ('scopes' in auth) {
    // The authorizer checked the scope already; a second look costs nothing if it was misconfigured.
    // OAuth scopes are one space-separated string (RFC 6749 section 3.3); match each exactly.
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    if (!auth.scopes.some((s) => scopes.includes(s))) {
      throw new HttpError(403, 'FORBIDDEN', 'This client was not granted access to this API.');
    }
    return { sub: claims['sub'], roles: [] };
  }
  let groups: string[];
  try {
    groups = staffGroups(claims, config().AUTH_GROUPS_CLAIM, header(event, 'authorization'));
  } catch (e) {
    if (e instanceof StaffTokenError) throw new HttpError(401, 'UNAUTHORIZED', 'Sign in to use this page.');
    throw e;
  }
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
        const originSecret = config().ORIGIN_VERIFY;
        if (originSecret !== undefined && !cameThroughCloudFront(event, originSecret)) {
          throw new HttpError(403, 'FORBIDDEN', "Use the portal's own web address for this service.");
        }
        const caller = authorise(event, auth);
        // Leave time to answer: every AWS call gives up before the function would time out.
        const deadline = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
        res = await withDeadline(deadline, () =>
          handle({ event, context, requestId, ...(caller ? { caller } : {}) }),
        );
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
