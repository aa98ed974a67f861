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
import { withDeadline } from '../deadline.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { providedOr } from '../provided.ts';
import { type Role, type RouteAuth, routes } from '../routes.ts';
import { cameThroughCloudFront } from './edge.ts';
import { HttpError, isServerFault, toHttpResponse } from './errors.ts';
import { header } from './request.ts';
import { StaffTokenError, staffGroups } from './staff-claims.ts';

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
  defaultAuditStore ??= providedOr(
    'audit',
    () => new AuditRepository(documentClient, required('AUDIT_TABLE_NAME')),
  );
  return defaultAuditStore;
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
  const record = (subjectIds: string[], phase?: 'result') => {
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
        ...(phase ? { phase } : {}),
      },
      { append: (entries) => store().append(entries) },
    );
  };
  if (!isRead) {
    await record(pathIds);
    const res = await handle(req);
    const named = (res.statusCode ?? 500) < 300 ? subjectIdsIn(jsonOf(res), []) : [];
    if (named.some((id) => !pathIds.includes(id))) {
      // Best effort: the write is done and its entry exists; a lost result entry must not turn
      // a success into an error the caller would retry.
      await record(named, 'result').catch((error: unknown) => {
        logger.error('audit result entry not written', describeError(error));
        metrics.addMetric('AuditResultNotWritten', MetricUnit.Count, 1);
      });
    }
    return res;
  }
  let res: APIGatewayProxyStructuredResultV2;
  try {
    res = await handle(req);
  } catch (error) {
    await record(pathIds);
    throw error;
  }
  await record(subjectIdsIn(jsonOf(res), [...pathIds]));
  return res;
}

function jsonOf(res: APIGatewayProxyStructuredResultV2): unknown {
  if (typeof res.body !== 'string' || !String(res.headers?.['content-type'] ?? '').includes('json'))
    return undefined;
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
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
        const req: RouteRequest = { event, context, requestId, ...(caller ? { caller } : {}) };
        // Leave time to answer: every AWS call gives up before the function would time out.
        const deadline = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
        // Public routes are not recorded per request; every staff route is.
        res = await withDeadline(deadline, () =>
          caller ? runAudited(req, caller, handle, store) : handle(req),
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
