/**
 * The local API Gateway stand-in against fixture handlers: the payload 2.0 event it builds,
 * what it answers by itself (404, 405, 401, 413, 500) and what it writes back.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider } from '#local/auth.ts';
import type { LocalLogger } from '#local/lambda.ts';
import { MAX_REQUEST_BODY_BYTES } from '#local/server.ts';
import {
  BINARY_BYTES,
  type EchoBody,
  httpFixtureFunctions,
  httpFixtureRoutes,
  loadHttpFixture,
} from '#test/support/fixtures/http-handlers.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { contentSecurityPolicy } from '../../../web/src/site/csp.ts';
import { escapeHtml } from '../../../web/src/site/html.ts';

let stack: LocalStack;
let scratch: string;
const SECRET = 'outside the site: must never be served';
const loggedErrors: { message: string; error: unknown }[] = [];
const capturingLogger: LocalLogger = {
  info: () => {},
  error: (message, error) => loggedErrors.push({ message, error }),
};

/** A website beside a secret file, and a symlink that points at the secret. */
async function makeSite(): Promise<string> {
  scratch = await mkdtemp(join(tmpdir(), 'restore-static-'));
  const site = join(scratch, 'site');
  await mkdir(join(site, 'guide'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>Restore</title>');
  await writeFile(join(site, 'app.js'), 'console.log("restore");');
  await writeFile(join(site, 'guide', 'index.html'), '<!doctype html><title>Guide</title>');
  // As the build writes a page: its policy in a meta tag, quotes escaped.
  await writeFile(
    join(site, 'status.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy())}"><title>Status</title>`,
  );
  await writeFile(join(site, '.env'), SECRET);
  await writeFile(join(scratch, 'secret.txt'), SECRET);
  await symlink(join(scratch, 'secret.txt'), join(site, 'leak.txt'));
  return site;
}

beforeAll(async () => {
  stack = await startLocalStack({
    staticDir: await makeSite(),
    routes: httpFixtureRoutes,
    functions: httpFixtureFunctions,
    consumers: [],
    loadHandler: loadHttpFixture,
    logger: capturingLogger,
  });
});

afterAll(async () => {
  await stack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  text(): string;
  json(): unknown;
}

/** node:http rather than fetch: repeated headers stay separate and the path is sent as written. */
function raw(
  method: string,
  path: string,
  options: { headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  const { port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: () => body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')),
        });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function echo(method: string, path: string, options?: Parameters<typeof raw>[2]): Promise<EchoBody> {
  const res = await raw(method, path, options);
  expect(res.status, res.text()).toBe(200);
  return res.json() as EchoBody;
}

describe('the payload 2.0 event', () => {
  it('carries the route key, raw and decoded path parameters, query and request context', async () => {
    const { event, context } = await echo(
      'GET',
      '/echo/a%20b%2Fc/items/x%C3%A9?tag=1&tag=2&q=hello%20world',
      {
        headers: { 'user-agent': 'local-runtime-test', 'x-dup': ['one', 'two'] },
      },
    );
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /echo/{first}/items/{second}');
    expect(event.rawPath).toBe('/echo/a%20b%2Fc/items/x%C3%A9');
    expect(event.pathParameters).toEqual({ first: 'a b/c', second: 'xé' });
    expect(event.rawQueryString).toBe('tag=1&tag=2&q=hello%20world');
    expect(event.queryStringParameters).toEqual({ tag: '1,2', q: 'hello world' });
    expect(event.headers['x-dup']).toBe('one,two');
    expect(event.headers['user-agent']).toBe('local-runtime-test');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: expect.any(String),
      apiId: expect.any(String),
      routeKey: 'GET /echo/{first}/items/{second}',
      stage: '$default',
      http: {
        method: 'GET',
        path: '/echo/a%20b%2Fc/items/x%C3%A9',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'local-runtime-test',
      },
    });
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(context.functionName).toContain('echo');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingTimeInMillis).toBeGreaterThan(0);
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(3_000);
  });

  it('gives every request its own id, echoed in the apigw-requestid header', async () => {
    const [a, b] = await Promise.all([raw('GET', '/echo/1/items/2'), raw('GET', '/echo/1/items/2')]);
    const idA = (a.json() as EchoBody).event.requestContext.requestId;
    const idB = (b.json() as EchoBody).event.requestContext.requestId;
    expect(idA).not.toBe(idB);
    expect(a.headers['apigw-requestid']).toBe(idA);
  });

  it('prefers a literal segment over a path parameter, as API Gateway does', async () => {
    const res = await raw('GET', '/echo/anything/items/special');
    expect(res.status).toBe(200);
    // The fixture behind the literal route returns no statusCode: a 200 JSON response is inferred.
    expect(res.json()).toEqual({ hello: 'world' });
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('moves cookies out of the headers into the cookies list', async () => {
    const { event } = await echo('GET', '/echo/1/items/2', { headers: { cookie: 'a=1; b=2' } });
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('passes a JSON body as text and a binary body as base64', async () => {
    const json = JSON.stringify({ narrative: 'Ça a coûté 2 500 $' });
    const text = await echo('POST', '/echo', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: json,
    });
    expect(text.event.body).toBe(json);
    expect(text.event.isBase64Encoded).toBe(false);
    expect(text.event.routeKey).toBe('POST /echo');

    const binary = await echo('POST', '/echo', {
      headers: { 'content-type': 'application/octet-stream' },
      body: BINARY_BYTES,
    });
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.event.body ?? '', 'base64').equals(BINARY_BYTES)).toBe(true);
  });

  it('writes back status, headers, multi-value headers, cookies and a base64 body as bytes', async () => {
    const res = await raw('GET', '/binary');
    expect(res.status).toBe(201);
    expect(res.body.equals(BINARY_BYTES)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-count']).toBe('3');
    expect(res.headers['x-multi']).toBe('one, two');
    expect(res.headers['set-cookie']).toEqual(['session=abc; HttpOnly', 'theme=dark']);
  });
});

describe('answers the gateway gives by itself', () => {
  it('404 {"message":"Not Found"} for an unknown path, as API Gateway answers it', async () => {
    const res = await raw('GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Not Found' });
    expect(res.headers['apigw-requestid']).toBeTruthy();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the same 404 for a known path with a method no route has (HTTP APIs have no 405)', async () => {
    const res = await raw('DELETE', '/echo');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'Not Found' });
  });

  it("answers a CORS preflight itself (204), allowing the routes' methods and headers", async () => {
    const res = await raw('OPTIONS', '/echo', {
      headers: {
        origin: 'https://partner.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.body.length).toBe(0);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods']).split(',')).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'POST', 'PATCH', 'OPTIONS']),
    );
    expect(String(res.headers['access-control-allow-headers']).split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
    );
    expect(res.headers['access-control-max-age']).toBe('3600');
  });

  it('exposes Retry-After, Link and ETag to cross-origin pages; OPTIONS without a preflight is a 404', async () => {
    const res = await raw('POST', '/echo', {
      headers: { origin: 'https://partner.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-expose-headers']).split(',')).toEqual(
      expect.arrayContaining(['retry-after', 'link', 'etag']),
    );
    expect((await raw('OPTIONS', '/echo')).status).toBe(404);
  });

  it('HEAD runs the GET route (route key HEAD ...) and sends its headers without the body', async () => {
    const get = await raw('GET', '/echo/a/items/b');
    const head = await raw('HEAD', '/echo/a/items/b');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect((get.json() as EchoBody).event.routeKey).toBe('GET /echo/{first}/items/{second}');
  });

  it('a bare 500 when the handler throws, without its message, and logs the error', async () => {
    loggedErrors.length = 0;
    const res = await raw('GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.text()).toBe('{"message":"Internal Server Error"}');
    expect(loggedErrors.map((e) => String(e.error))).toContain('Error: fixture exploded: secret internals');
  });

  it('a bare 500 when the handler outlives its timeout', async () => {
    const started = Date.now();
    const res = await raw('GET', '/slow');
    expect(res.status).toBe(500);
    expect(res.text()).toBe('{"message":"Internal Server Error"}');
    expect(Date.now() - started).toBeLessThan(1_450);
  });

  it('413 for a body over the 10 MB payload limit, before the handler runs', async () => {
    const res = await raw('POST', '/echo', {
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20),
    });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ message: 'Request Entity Too Large' });
    const atLimit = await raw('POST', '/echo', {
      headers: { 'content-type': 'text/plain' },
      body: Buffer.alloc(1024 * 1024, 0x61),
    });
    expect(atLimit.status).toBe(200);
  });
});

describe('the JWT authorizer', () => {
  const unauthorized = '{"message":"Unauthorized"}';

  it('answers 401 exactly as API Gateway does without a valid bearer token', async () => {
    const otherIssuer = await createLocalIdentityProvider();
    const forged = await otherIssuer.issueToken({ role: 'admin' });
    const expired = await stack.token('reviewer', {
      issuedAt: Math.floor(Date.now() / 1000) - 7_200,
      ttlSeconds: 60,
    });
    const [header, payload] = (await stack.token('admin')).split('.');
    const unsigned = `${header}.${payload}.`;
    const attempts: Record<string, Record<string, string>> = {
      missing: {},
      garbage: { authorization: 'Bearer not-a-jwt' },
      'wrong scheme': { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      'signed by another key': { authorization: `Bearer ${forged}` },
      expired: { authorization: `Bearer ${expired}` },
      'signature stripped': { authorization: `Bearer ${unsigned}` },
    };
    for (const [name, headers] of Object.entries(attempts)) {
      const res = await raw('GET', '/staff/echo', { headers });
      expect(res.status, name).toBe(401);
      expect(res.text(), name).toBe(unauthorized);
    }
  });

  it('passes the claims flattened to strings, groups as "[role]", scopes null', async () => {
    const token = await stack.token('reviewer', { sub: 'alice' });
    const { event } = await echo('GET', '/staff/echo', { headers: { authorization: `Bearer ${token}` } });
    const jwt = event.requestContext.authorizer?.jwt;
    expect(jwt?.scopes).toBeNull();
    expect(jwt?.claims).toMatchObject({
      'cognito:groups': '[reviewer]',
      sub: 'alice',
      token_use: 'access',
      client_id: expect.any(String),
      iss: stack.runtime.identityProvider.issuer,
      exp: expect.stringMatching(/^\d+$/),
      jti: expect.any(String),
    });
    for (const value of Object.values(jwt?.claims ?? {})) expect(typeof value).toBe('string');

    const admin = await echo('GET', '/staff/echo', {
      headers: { authorization: `Bearer ${await stack.token('admin')}` },
    });
    expect(admin.event.requestContext.authorizer?.jwt.claims['cognito:groups']).toBe('[admin]');
  });

  it('publishes the public key set that verifies its tokens, and no private key', async () => {
    const res = await raw('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = res.json() as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(await stack.token('admin'), createLocalJWKSet(jwks as never));
    expect(payload['cognito:groups']).toEqual(['admin']);
  });
});

describe('the website', () => {
  it('serves files with their content type, and index.html for a directory', async () => {
    const home = await raw('GET', '/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.text()).toContain('<title>Restore</title>');
    // Pages carry the site's CSP as a header, as CloudFront sends it (frame-ancestors needs one).
    expect(home.headers['content-security-policy']).toContain("default-src 'none'");
    expect(home.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = await raw('GET', '/app.js?v=1');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-security-policy']).toBeUndefined();
    expect(script.text()).toBe('console.log("restore");');
    const guide = await raw('GET', '/guide/');
    expect(guide.text()).toContain('<title>Guide</title>');
  });

  it("lets pages reach the local S3 (where documents are posted): its origin in the header and in the page's meta policy", async () => {
    const s3 = stack.runtime.aws.endpoints.s3;
    const page = await raw('GET', '/status.html');
    const connect = (policy: string) =>
      policy
        .split(/;\s*/)
        .find((d) => d.startsWith('connect-src'))
        ?.split(' ');
    expect(connect(String(page.headers['content-security-policy']))).toEqual(['connect-src', "'self'", s3]);
    const meta = /content="([^"]*)"/.exec(page.text())?.[1]?.replaceAll('&#39;', "'") ?? '';
    expect(connect(meta)).toEqual(['connect-src', "'self'", s3]);
    expect(meta).toContain("manifest-src 'self'"); // the rest of the policy is untouched
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.text()));
  });

  it('redirects a directory without its slash, and answers HEAD without a body', async () => {
    const redirect = await raw('GET', '/guide?lang=es');
    expect(redirect.status).toBe(301);
    expect(redirect.headers['location']).toBe('/guide/?lang=es');
    const head = await raw('HEAD', '/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength('console.log("restore");')));
    expect(head.body.length).toBe(0);
  });

  it('never serves anything outside the directory, dot-files or to other methods', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/guide/..%2f..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/leak.txt',
      '/.env',
      '/%2eenv',
      '/app.js%00.html',
    ];
    for (const path of attempts) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text(), path).not.toContain(SECRET);
    }
    const post = await raw('POST', '/app.js');
    expect(post.status).toBe(404);
    expect(post.json()).toEqual({ message: 'Not Found' });
  });
});
