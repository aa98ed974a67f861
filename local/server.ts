/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0) in front of the functions:
 *
 * 0. Answer CORS preflights and add CORS headers as API Gateway's CORS configuration does.
 * 1. Match `METHOD path` against the route table (HEAD runs a GET route); no match is API
 *    Gateway's `404 {"message":"Not Found"}`, whether the path or only the method is unknown.
 * 2. Reject bodies over API Gateway's 10 MB payload limit (413).
 * 3. For signed-in routes, verify the bearer token like the JWT authorizer (401 as it answers);
 *    on routes that require OAuth scopes, a token granted none of them is a 403, as there.
 * 4. Build the v2.0 event and a Lambda context, invoke the handler, write its result back
 *    (a throw or a timeout becomes API Gateway's bare 500).
 * Anything else sent with GET or HEAD is looked up in `staticDir` (the website); an unknown
 * address outside the API's paths gets the site's 404 page.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { JSONWebKeySet } from 'jose';
import {
  CORS_ALLOW_HEADERS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  corsAllowMethods,
} from '#functions/http/cors.ts';
import { functions as functionSpecs, type RouteAuth } from '#functions/routes.ts';
import { contentSecurityPolicy } from '../web/src/site/csp.ts';
import {
  cachedLoader,
  type FunctionSettings,
  type HandlerLoader,
  importFunctionHandler,
  invokeFunction,
  LOCAL_ACCOUNT_ID,
  type LocalLogger,
  quietLogger,
} from './lambda.ts';

/** API Gateway's HTTP API payload quota. (Lambda's own 6 MB invocation limit is lower still.) */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/** Past this, an oversized upload is cut off rather than drained so the client can read its 413. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const JWKS_PATH = '/.well-known/jwks.json';
const LOCAL_API_ID = 'local';

/** A route as the server needs it; `RouteDefinition` from functions/routes.ts satisfies it. */
export interface ServedRoute {
  readonly method: string;
  readonly path: string;
  readonly fn: string;
  readonly auth: RouteAuth;
}

export interface TokenVerifier {
  verifyToken(token: string): Promise<Record<string, unknown>>;
  jwks(): JSONWebKeySet;
}

export interface LocalServerOptions {
  readonly routes: readonly ServedRoute[];
  readonly auth: TokenVerifier;
  /** Timeout and memory per function; defaults to `functions` from routes.ts. */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  /** Defaults to importing the function's `entry` (after the environment is set). */
  readonly loadHandler?: HandlerLoader;
  /** Served for GET/HEAD requests that match no route, if the directory exists. */
  readonly staticDir?: string;
  /**
   * Origins the pages may call besides their own, added to their Content-Security-Policy (header
   * and meta tag): the local S3's, whose port is only known once it runs.
   */
  readonly pageConnectOrigins?: readonly string[];
  readonly logger?: LocalLogger;
  /** One line per request through `logger.info`. */
  readonly logRequests?: boolean;
  /** Origins allowed cross-origin (`*` for any), as the deployment's `corsAllowedOrigins`; none by default. */
  readonly corsAllowOrigins?: readonly string[];
}

/** Another local service on the same origin under a path prefix (the OpenID provider). */
export type MountedHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  readonly server: Server;
  /** Hands every request whose path is `prefix` or starts with `prefix/` to `handler`. */
  mount(prefix: string, handler: MountedHandler): void;
  /** Resolves to the bound port (pass 0 for a random one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

interface CompiledRoute {
  readonly route: ServedRoute;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  /** Per segment: 0 literal, 1 `{param}`, 2 `{param+}`; lower sorts first (more specific). */
  readonly rank: readonly number[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileRoute(route: ServedRoute): CompiledRoute {
  const parameterNames: string[] = [];
  const rank: number[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{([^{}+]+)(\+?)\}$/.exec(segment);
      if (!parameter?.[1]) {
        rank.push(0);
        return escapeRegExp(segment);
      }
      parameterNames.push(parameter[1]);
      rank.push(parameter[2] ? 2 : 1);
      return parameter[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return {
    route,
    routeKey: `${route.method} ${route.path}`,
    pattern: new RegExp(`^${source}$`),
    parameterNames,
    rank,
  };
}

/** API Gateway prefers the most specific route: literal segments over parameters over greedy ones. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
    const difference = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return b.rank.length - a.rank.length;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function newRequestId(): string {
  // The shape of HTTP API request ids, e.g. "JKJaXmPLvHcESHA=".
  return randomBytes(11).toString('base64');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`, e.g. "12/Mar/2020:19:03:58 +0000". */
function requestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} +0000`;
}

/** Bodies API Gateway passes as text; everything else (and no content type) arrives base64. */
function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    /^application\/([\w.-]+\+)?(json|xml)$/.test(mediaType) ||
    mediaType === 'application/javascript'
  );
}

/**
 * API Gateway flattens JWT claims to strings: arrays become "[a b]", so `cognito:groups`
 * arrives as "[reviewer]". (Nested objects are rare in access tokens; they are sent as JSON.)
 */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (Array.isArray(value)) flat[name] = `[${value.map(String).join(' ')}]`;
    else if (value !== null && typeof value === 'object') flat[name] = JSON.stringify(value);
    else flat[name] = String(value);
  }
  return flat;
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    if (name === '') continue;
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length === 0 ? undefined : parameters;
}

function sourceIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** Lower-cased headers, repeats comma-joined; cookies move to `cookies` as in format 2.0. */
function eventHeaders(request: IncomingMessage): { headers: Record<string, string>; cookies?: string[] } {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values !== undefined && name !== 'cookie') headers[name] = values.join(',');
  }
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${sourceIp(request)}` : sourceIp(request);
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] =
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');
  return cookies.length === 0 ? { headers } : { headers, cookies };
}

type BodyResult = { readonly kind: 'ok'; readonly body: Buffer } | { readonly kind: 'too-large' };

/** Reads the body up to the payload limit; an oversized one is drained (bounded) and dropped. */
function readBody(request: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_REQUEST_BODY_BYTES) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (received > MAX_DRAIN_BYTES) resolveBody({ kind: 'too-large' });
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () =>
      resolveBody(tooLarge ? { kind: 'too-large' } : { kind: 'ok', body: Buffer.concat(chunks) }),
    );
    request.on('error', reject);
  });
}

const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function sendJson(
  response: ServerResponse,
  status: number,
  payload: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(payload));
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'apigw-requestid': requestId,
    ...extraHeaders,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** What API Gateway answers when no route matches the method and path. */
function sendNotFound(response: ServerResponse, requestId: string): void {
  sendJson(response, 404, { message: 'Not Found' }, requestId);
}

/**
 * API Gateway's CORS, for the origins allowed: a preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) is answered 204 without reaching a route; any other answer to an
 * allowed origin carries Access-Control-Allow-Origin and the exposed headers.
 */
function corsHeaders(
  allowOrigins: readonly string[] | undefined,
  origin: string | undefined,
): Record<string, string> | undefined {
  if (!allowOrigins || allowOrigins.length === 0 || !origin) return undefined;
  if (allowOrigins.includes('*')) return { 'access-control-allow-origin': '*' };
  return allowOrigins.includes(origin)
    ? { 'access-control-allow-origin': origin, vary: 'origin' }
    : undefined;
}

/** What API Gateway answers when the integration fails: nothing about the cause. */
function sendInternalServerError(response: ServerResponse, requestId: string): void {
  sendJson(response, 500, { message: 'Internal Server Error' }, requestId);
}

function isStructuredResult(result: unknown): result is Record<string, unknown> {
  return result !== null && typeof result === 'object' && 'statusCode' in result;
}

/** Writes a format 2.0 result; a malformed one is API Gateway's 500. */
function writeHandlerResult(
  response: ServerResponse,
  result: unknown,
  requestId: string,
  logger: LocalLogger,
): void {
  if (!isStructuredResult(result)) {
    // Format 2.0 infers a 200 JSON response from anything without a statusCode.
    const body = Buffer.from(typeof result === 'string' ? result : (JSON.stringify(result) ?? ''));
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'apigw-requestid': requestId,
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
    return;
  }
  const { statusCode, headers, multiValueHeaders, cookies, body, isBase64Encoded } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    logger.error(`Malformed Lambda proxy response: statusCode ${String(statusCode)}`);
    sendInternalServerError(response, requestId);
    return;
  }
  const outgoing: Record<string, string | string[]> = {};
  if (headers !== null && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) outgoing[name.toLowerCase()] = String(value);
  }
  if (multiValueHeaders !== null && typeof multiValueHeaders === 'object') {
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (Array.isArray(values)) outgoing[name.toLowerCase()] = values.map(String);
    }
  }
  if (Array.isArray(cookies) && cookies.length > 0) outgoing['set-cookie'] = cookies.map(String);
  const text = typeof body === 'string' ? body : '';
  const bytes = isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  outgoing['content-length'] = String(bytes.length);
  outgoing['apigw-requestid'] = requestId;
  response.writeHead(statusCode, outgoing);
  response.end(response.req.method === 'HEAD' ? undefined : bytes);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

// Up to the directive's end, "; " (the tag escapes quotes as `&#39;`, whose `;` has no space).
const META_CONNECT_SRC =
  /(<meta http-equiv="Content-Security-Policy" content="[^"]*?connect-src [^"]*?)(?=; )/;

function withConnectOrigins(page: string, origins: readonly string[]): string {
  return origins.length === 0 ? page : page.replace(META_CONNECT_SRC, `$1 ${origins.join(' ')}`);
}

/**
 * Serves `rawPath` from `staticDir`; false when there is nothing to serve. Never leaves the
 * directory: `..` (even percent-encoded) and symlinks pointing outside are refused, as are
 * dot-files other than `.well-known`.
 */
async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  staticDir: string,
  rawPath: string,
  rawQueryString: string,
  connectOrigins: readonly string[],
  status = 200,
): Promise<boolean> {
  const path = decodeComponent(rawPath);
  if (path.includes('\0') || path.split(/[\\/]/).some((s) => s.startsWith('.') && s !== '.well-known'))
    return false;
  let root: string;
  try {
    root = await realpath(staticDir);
  } catch {
    return false;
  }
  let target = resolve(root, `.${path}`);
  if (!isInside(root, target)) return false;
  try {
    let info = await stat(target);
    if (info.isDirectory()) {
      if (!rawPath.endsWith('/')) {
        const location = `${rawPath}/${rawQueryString === '' ? '' : `?${rawQueryString}`}`;
        response.writeHead(301, { ...SECURITY_HEADERS, location, 'content-length': 0 });
        response.end();
        return true;
      }
      target = join(target, 'index.html');
      info = await stat(target);
    }
    if (!info.isFile() || !isInside(root, await realpath(target))) return false;
    const isHtml = extname(target).toLowerCase() === '.html';
    // A page's meta policy was written at build time: add this runtime's origins to it too,
    // since a browser enforces both policies.
    const page = isHtml ? withConnectOrigins(await readFile(target, 'utf8'), connectOrigins) : undefined;
    response.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
      'content-length': page === undefined ? info.size : Buffer.byteLength(page),
      // The site's own policy, as CloudFront sends it (minus upgrade-insecure-requests: plain
      // http on localhost). The header adds frame-ancestors, which a <meta> tag cannot carry.
      ...(isHtml
        ? {
            'content-security-policy': `${contentSecurityPolicy({ connectOrigins })}; frame-ancestors 'none'`,
          }
        : {}),
    });
    if (request.method === 'HEAD' || page !== undefined) {
      response.end(request.method === 'HEAD' ? undefined : page);
      return true;
    }
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(target);
      stream.on('error', fail);
      response.on('close', () => stream.destroy());
      stream.pipe(response).on('finish', done);
    });
    return true;
  } catch (error) {
    if (response.headersSent) throw error;
    return false;
  }
}

export function createLocalServer(options: LocalServerOptions): LocalServer {
  const connectOrigins = options.pageConnectOrigins ?? [];
  const functionSettings: Readonly<Record<string, FunctionSettings>> = options.functions ?? functionSpecs;
  const logger = options.logger ?? quietLogger;
  const loadHandler = cachedLoader(options.loadHandler ?? importFunctionHandler);
  const compiled = options.routes.map(compileRoute).sort(bySpecificity);
  const mounts: { prefix: string; handler: MountedHandler }[] = [];
  const apiSegments = new Set(options.routes.map((r) => r.path.split('/')[1] ?? ''));
  for (const { route } of compiled) {
    if (!Object.hasOwn(functionSettings, route.fn))
      throw new Error(`Route ${route.method} ${route.path}: no function "${route.fn}"`);
  }

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
  ): Promise<void> {
    const started = new Date();
    const method = (request.method ?? 'GET').toUpperCase();
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);

    const cors = corsHeaders(options.corsAllowOrigins, request.headers.origin);
    if (
      method === 'OPTIONS' &&
      options.corsAllowOrigins?.length &&
      request.headers.origin &&
      request.headers['access-control-request-method']
    ) {
      response.writeHead(204, {
        ...(cors
          ? {
              ...cors,
              'access-control-allow-methods': corsAllowMethods().join(','),
              'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
              'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
            }
          : {}),
        'apigw-requestid': requestId,
      });
      response.end();
      return;
    }
    // On the API's answers only: the website's files come from S3 through CloudFront, without CORS.
    const applyCors = () => {
      if (!cors) return;
      for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
      response.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS.join(','));
    };

    if (rawPath === JWKS_PATH && (method === 'GET' || method === 'HEAD')) {
      sendJson(response, 200, options.auth.jwks(), requestId);
      return;
    }

    const mounted = mounts.find((m) => rawPath === m.prefix || rawPath.startsWith(`${m.prefix}/`));
    if (mounted) {
      await mounted.handler(request, response);
      return;
    }

    // HTTP API routes never end in `/`, and a request for `/x/` is routed to `/x`.
    const routedPath = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const pathMatches = compiled
      .map((candidate) => ({ candidate, match: candidate.pattern.exec(routedPath) }))
      .filter((m) => m.match !== null);
    // The API stack adds a HEAD route beside every GET route.
    const routeMethod = method === 'HEAD' ? 'GET' : method;
    const matched = pathMatches.find((m) => m.candidate.route.method === routeMethod);

    if (!matched) {
      const servedStatically =
        pathMatches.length === 0 &&
        (method === 'GET' || method === 'HEAD') &&
        options.staticDir !== undefined &&
        (await serveStatic(request, response, options.staticDir, rawPath, rawQueryString, connectOrigins));
      if (servedStatically) return;
      // An unknown address outside the API gets the site's own "page not found" (in Spanish under
      // /es/), as CloudFront answers; the API's paths keep API Gateway's answer.
      const firstSegment = rawPath.split('/')[1] ?? '';
      const notFoundPage =
        (method === 'GET' || method === 'HEAD') &&
        options.staticDir !== undefined &&
        !apiSegments.has(firstSegment) &&
        (await serveStatic(
          request,
          response,
          options.staticDir,
          firstSegment === 'es' ? '/es/404.html' : '/404.html',
          '',
          connectOrigins,
          404,
        ));
      if (!notFoundPage) {
        applyCors();
        sendNotFound(response, requestId);
      }
      return;
    }
    applyCors();

    const { candidate, match } = matched;
    const { route } = candidate;
    const routeKey = `${method} ${route.path}`;
    const body = await readBody(request);
    if (body.kind === 'too-large') {
      sendJson(response, 413, { message: 'Request Entity Too Large' }, requestId, { connection: 'close' });
      return;
    }

    let authorizer: APIGatewayProxyEventV2WithOptionalJwt['requestContext']['authorizer'];
    if (route.auth !== 'public') {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      let claims: Record<string, unknown>;
      try {
        if (!bearer) throw new Error('No bearer token');
        claims = await options.auth.verifyToken(bearer);
      } catch {
        // The JWT authorizer's answer, whatever was wrong with the token.
        sendJson(response, 401, { message: 'Unauthorized' }, requestId, {
          'www-authenticate': bearer ? 'Bearer error="invalid_token"' : 'Bearer',
        });
        return;
      }
      const granted = typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
      if ('scopes' in route.auth && !route.auth.scopes.some((scope) => granted.includes(scope))) {
        // The JWT authorizer's answer when the token lacks every scope the route requires.
        sendJson(response, 403, { message: 'Forbidden' }, requestId, {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${route.auth.scopes.join(' ')}"`,
        });
        return;
      }
      // As API Gateway: `scopes` is filled only on routes that require scopes (a staff token from
      // the OpenID provider carries restore/staff, which staff routes do not ask for).
      const scopes = 'scopes' in route.auth && granted.length > 0 ? granted : null;
      authorizer = { jwt: { claims: flattenClaims(claims), scopes } };
    }

    const pathParameters: Record<string, string> = {};
    candidate.parameterNames.forEach((name, i) => {
      pathParameters[name] = decodeComponent(match?.[i + 1] ?? '');
    });
    const { headers, cookies } = eventHeaders(request);
    const isText = isTextContentType(request.headers['content-type']);
    const event: APIGatewayProxyEventV2WithOptionalJwt = {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString,
      ...(cookies ? { cookies } : {}),
      headers,
      ...(rawQueryString === '' ? {} : { queryStringParameters: parseQuery(rawQueryString) }),
      requestContext: {
        accountId: LOCAL_ACCOUNT_ID,
        apiId: LOCAL_API_ID,
        ...(authorizer ? { authorizer } : {}),
        domainName: request.headers.host ?? 'localhost',
        domainPrefix: (request.headers.host ?? 'localhost').split('.')[0]?.split(':')[0] ?? 'localhost',
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: sourceIp(request),
          userAgent: request.headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: requestTime(started),
        timeEpoch: started.getTime(),
      },
      ...(body.body.length === 0 ? {} : { body: body.body.toString(isText ? 'utf8' : 'base64') }),
      ...(candidate.parameterNames.length === 0 ? {} : { pathParameters }),
      isBase64Encoded: body.body.length > 0 && !isText,
    };

    let result: unknown;
    try {
      const handler = await loadHandler(route.fn);
      result = await invokeFunction(route.fn, handler, event, functionSettings[route.fn] as FunctionSettings);
    } catch (error) {
      logger.error(`${routeKey} (${route.fn}) failed, answering 500:`, error);
      sendInternalServerError(response, requestId);
      return;
    }
    writeHandlerResult(response, result, requestId, logger);
  }

  const server = createServer((request, response) => {
    const requestId = newRequestId();
    const started = Date.now();
    if (options.logRequests) {
      response.on('finish', () =>
        logger.info(
          `${request.method} ${request.url} -> ${response.statusCode} (${Date.now() - started} ms)`,
        ),
      );
    }
    handle(request, response, requestId).catch((error: unknown) => {
      logger.error(`${request.method} ${request.url} failed in the local server:`, error);
      if (!response.headersSent) sendInternalServerError(response, requestId);
      else response.destroy();
    });
  });

  return {
    server,
    mount: (prefix, handler) => {
      mounts.push({ prefix, handler });
    },
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolvePort, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolvePort((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolveClose, reject) => {
        if (!server.listening) {
          resolveClose();
          return;
        }
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeIdleConnections();
      }),
  };
}

/** The v2.0 event, whose `authorizer` is present only on routes that need a token. */
type APIGatewayProxyEventV2WithOptionalJwt = Omit<APIGatewayProxyEventV2, 'requestContext'> & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
  };
};
