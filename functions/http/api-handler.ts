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
import { subjectIdsIn } from '#shared/domain/audit.ts';
import { AuditRepository } from '#shared/storage/audit-repository.ts';
import { type AuditStore, recordAudit } from '#shared/use-cases/audit-trail.ts';
import { documentClient } from '../clients.ts';
import { config, required } from '../config.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { type Role, type RouteAuth, routes } from '../routes.ts';
import { HttpError, isServerFault, toHttpResponse } from './errors.ts';

export type ApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

export interface Caller {
  sub: string;
  roles: Role[];
  /** From the token when the issuer puts it there (OIDC access tokens may; Cognito's do not). */
  email?: string;
  /** The OAuth client that obtained the token (a TAXII partner for machine clients). */
  clientId?: string;
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
  const email = claims['email'];
  const clientId = claims['client_id'];
  return {
    sub: claims['sub'],
    roles: (['reviewer', 'admin'] as const).filter((r) => groups.includes(r)),
    ...(typeof email === 'string' && email !== '' ? { email } : {}),
    ...(typeof clientId === 'string' && clientId !== '' ? { clientId } : {}),
  };
}

let defaultAuditStore: Pick<AuditStore, 'append'> | undefined;
function auditStore(): Pick<AuditStore, 'append'> {
  // Built on first use: a function without the audit table fails its staff requests (503), loudly.
  defaultAuditStore ??= new AuditRepository(documentClient, required('AUDIT_TABLE_NAME'));
  return defaultAuditStore;
}

/** For handler tests about something else: where audit entries go instead of the table. */
export function setAuditStoreForTests(store: Pick<AuditStore, 'append'> | undefined): void {
  defaultAuditStore = store;
}

export interface ApiHandlerOptions {
  /** Where staff requests are recorded; defaults to the audit table named by AUDIT_TABLE_NAME. */
  readonly audit?: Pick<AuditStore, 'append'>;
}

/**
 * Runs a staff route with its audit entry (docs/api-contract.md, "Audit"). A write is recorded
 * before it runs, so a failed record (503) means nothing changed. A read is recorded after the
 * answer is computed and before it is sent, with the ids of everything in it; a failed record
 * means nothing read leaves the function. A refused or failed read is recorded too.
 */
async function runAudited(
  req: RouteRequest,
  caller: Caller,
  handle: RouteHandler,
  store: () => Pick<AuditStore, 'append'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { event } = req;
  const http = (event as APIGatewayProxyEventV2).requestContext?.http;
  const isRead = http?.method === 'GET' || http?.method === 'HEAD';
  const pathIds = Object.entries(event.pathParameters ?? {})
    .filter(([name, value]) => name.endsWith('Id') && typeof value === 'string')
    .map(([, value]) => value as string);
  const record = (subjectIds: string[]) => {
    const userAgent = http?.userAgent;
    return recordAudit(
      {
        at: new Date().toISOString(),
        requestId: req.requestId,
        actor: {
          sub: caller.sub,
          roles: caller.roles,
          ...(caller.email ? { email: caller.email } : {}),
          ...(caller.clientId ? { clientId: caller.clientId } : {}),
        },
        action: isRead ? 'read' : 'write',
        route: event.routeKey,
        path: event.rawPath,
        sourceIp: http?.sourceIp ?? 'unknown',
        ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
        subjectIds,
      },
      { append: (entries) => store().append(entries) },
    );
  };
  if (!isRead) {
    await record(pathIds);
    return handle(req);
  }
  let res: APIGatewayProxyStructuredResultV2;
  try {
    res = await handle(req);
  } catch (error) {
    await record(pathIds);
    throw error;
  }
  let shown: unknown;
  if (typeof res.body === 'string' && String(res.headers?.['content-type'] ?? '').includes('json')) {
    try {
      shown = JSON.parse(res.body);
    } catch {
      shown = undefined;
    }
  }
  await record(subjectIdsIn(shown, [...pathIds]));
  return res;
}

export function apiHandler(
  handlers: Readonly<Record<string, RouteHandler>>,
  options: ApiHandlerOptions = {},
) {
  const store = () => options.audit ?? auditStore();
  for (const routeKey of Object.keys(handlers)) {
    if (!authByRouteKey.has(routeKey)) throw new Error(`Route ${routeKey} is not in functions/routes.ts`);
  }
  return middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const routeKey = event.routeKey;
      logger.appendKeys({ routeKey, requestId });
      const started = Date.now();
      let res: APIGatewayProxyStructuredResultV2;
      try {
        const handle = handlers[routeKey];
        const auth = authByRouteKey.get(routeKey);
        if (!handle || !auth) throw new HttpError(404, 'NOT_FOUND', 'There is nothing at this address.');
        const caller = authorise(event, auth);
        const req: RouteRequest = { event, context, requestId, ...(caller ? { caller } : {}) };
        // Public routes are not recorded per request; every staff route is.
        res = caller ? await runAudited(req, caller, handle, store) : await handle(req);
      } catch (e) {
        res = toHttpResponse(e, requestId);
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
      return res;
    });
}
