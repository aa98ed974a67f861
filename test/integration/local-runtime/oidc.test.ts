/**
 * The local OpenID provider (oidc-provider behind local/oidc.ts): the console's authorization
 * code + PKCE sign-in with a seeded account, driven with oauth4webapi (the console's client
 * library); the client-credentials grant for TAXII partners; and the API accepting exactly the
 * access tokens API Gateway's JWT authorizer would.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_API_AUDIENCE, LOCAL_CLIENT_ID, LOCAL_ISSUER } from '#local/auth.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

let stack: LocalStack;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  stack = await startLocalStack();
  const discovery = await fetch(`${stack.baseUrl}/local-idp/.well-known/openid-configuration`);
  as = await oauth.processDiscoveryResponse(new URL(LOCAL_ISSUER), discovery);
});

afterAll(async () => {
  await stack?.stop();
});

/** Follows one redirect by hand, carrying cookies like a browser. */
class Browser {
  cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value ?? '');
    }
    return res;
  }
}

async function signIn(email: string, password: string): Promise<{ callback: URL | undefined; page: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const redirect = `http://127.0.0.1:${stack.runtime.port}/staff/`;
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: redirect,
    response_type: 'code',
    scope: 'openid email restore/staff',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'abc',
  }).toString();
  const browser = new Browser();
  let res = await browser.go(url.href);
  expect(res.status).toBe(303);
  const interaction = new URL(res.headers.get('location')!, stack.baseUrl).href;
  res = await browser.go(interaction);
  expect(res.status).toBe(200);
  res = await browser.go(`${interaction}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  if (res.status === 200) return { callback: undefined, page: await res.text() };
  // Resume, then the redirect back to the console with the code.
  let location = res.headers.get('location');
  const seen: string[] = [];
  while (location && !location.startsWith(redirect)) {
    seen.push(location);
    if (seen.length > 6) throw new Error(`Redirect loop: ${seen.join(' -> ')}`);
    res = await browser.go(new URL(location, stack.baseUrl).href);
    location = res.headers.get('location');
  }
  if (!location) throw new Error(`No redirect: ${res.status} ${await res.text()}`);
  const callback = new URL(location);
  const params = oauth.validateAuthResponse(as, { client_id: LOCAL_CLIENT_ID }, callback, 'abc');
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    { client_id: LOCAL_CLIENT_ID },
    await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: LOCAL_CLIENT_ID },
      oauth.None(),
      params,
      redirect,
      verifier,
      {
        [oauth.allowInsecureRequests]: true,
      },
    ),
  );
  callback.hash = tokens.access_token;
  return { callback, page: '' };
}

describe('local OpenID provider', () => {
  it('publishes discovery for the fixed issuer with endpoints on this server', () => {
    expect(as.issuer).toBe(LOCAL_ISSUER);
    expect(as.authorization_endpoint).toBe(`${stack.baseUrl}/local-idp/auth`);
    expect(as.code_challenge_methods_supported).toContain('S256');
  });

  it('signs a seeded admin in with code + PKCE; the access token opens admin routes and names them', async () => {
    const { callback } = await signIn('admin2@example.gov', 'restore-local');
    const token = callback!.hash.slice(1);
    const claims = await stack.runtime.identityProvider.verifyToken(token);
    expect(claims).toMatchObject({
      sub: 'admin2',
      email: 'admin2@example.gov',
      'cognito:groups': ['admin'],
      aud: LOCAL_API_AUDIENCE,
      client_id: LOCAL_CLIENT_ID,
      token_use: 'access',
    });
    const res = await fetch(`${stack.baseUrl}/v1/admin/audit?actor=admin2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong password with a message on the sign-in page, and issues no code', async () => {
    const { callback, page } = await signIn('reviewer@example.gov', 'wrong');
    expect(callback).toBeUndefined();
    expect(page).toContain('do not match');
  });

  it('gives a TAXII partner a client-credentials token with scope taxii/read and no staff role', async () => {
    const res = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('partner-one:restore-local').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=taxii%2Fread',
    });
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const claims = await stack.runtime.identityProvider.verifyToken(token);
    expect(claims).toMatchObject({ client_id: 'partner-one', scope: 'taxii/read', aud: LOCAL_API_AUDIENCE });
    expect(claims['cognito:groups']).toBeUndefined();
    const staff = await fetch(`${stack.baseUrl}/v1/admin/claims`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(staff.status).toBe(403);

    const wrong = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('partner-one:nope').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=taxii%2Fread',
    });
    expect(wrong.status).toBe(401);
  });
});
