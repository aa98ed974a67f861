/**
 * Staff sign-in: OpenID Connect authorization code with PKCE, through oauth4webapi (a maintained,
 * certified client). The access token lives in this module's memory only, never in web storage:
 * a reload or a new tab signs in again. Only the one-time PKCE verifier and state cross the
 * redirect, in sessionStorage, and are removed as soon as the code comes back; a decision typed
 * when the session ended is kept there too until it is put back in its form (drafts.ts).
 */
import * as oauth from 'oauth4webapi';

export interface StaffUser {
  readonly sub: string;
  readonly email?: string;
  readonly roles: readonly string[];
}

interface AuthSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly discoveryUrl: string;
  readonly scope: string;
  readonly groupsClaim: string;
}

const PKCE_KEY = 'restore-console-pkce';

let accessToken: string | undefined;
let expiresAt = 0;
let user: StaffUser | undefined;

/** From /config.json `auth` (public identifiers only), written at deploy time or by `npm start`. */
async function settings(): Promise<AuthSettings> {
  const raw = (await (await fetch('/config.json', { cache: 'no-cache' })).json()) as {
    auth?: Record<string, string>;
  };
  const auth = raw.auth ?? {};
  const issuer =
    auth['kind'] === 'cognito'
      ? `https://cognito-idp.${auth['region']}.amazonaws.com/${auth['userPoolId']}`
      : (auth['issuer'] ?? '');
  if (!issuer || !auth['clientId']) throw new Error('This deployment has no staff sign-in configured.');
  return {
    issuer,
    clientId: auth['clientId'],
    // The local provider's issuer is a fixed name (tokens outlive port changes); its discovery
    // document is served by the local server, so config.json says where.
    discoveryUrl: auth['discoveryUrl'] ?? `${issuer}/.well-known/openid-configuration`,
    scope: auth['scope'] ?? 'openid email',
    groupsClaim: auth['groupsClaim'] ?? 'cognito:groups',
  };
}

async function discover(s: AuthSettings): Promise<oauth.AuthorizationServer> {
  return oauth.processDiscoveryResponse(new URL(s.issuer), await fetch(s.discoveryUrl));
}

const redirectUri = () => `${location.origin}/staff/`;
/** Plain http only for a provider on this machine (the local runtime). */
const insecureOk = (as: oauth.AuthorizationServer) =>
  /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(as.token_endpoint ?? '');

export async function signIn(returnTo: string): Promise<void> {
  const s = await settings();
  const as = await discover(s);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(as.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    client_id: s.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: s.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url.href);
}

function decodePayload(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split('.')[1] ?? '';
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

/**
 * Back from the provider with `?code=...&state=...`: exchange the code (with the verifier) for
 * tokens. Returns the hash route to show, or undefined when this is not a sign-in return.
 */
export async function completeSignIn(): Promise<string | undefined> {
  const here = new URL(location.href);
  if (!here.searchParams.has('code') && !here.searchParams.has('error')) return undefined;
  const saved = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', '/staff/');
  if (!saved) throw new Error('This sign-in link was already used. Sign in again.');
  const { verifier, state, returnTo } = JSON.parse(saved) as {
    verifier: string;
    state: string;
    returnTo: string;
  };
  const s = await settings();
  const as = await discover(s);
  const client: oauth.Client = { client_id: s.clientId };
  const params = oauth.validateAuthResponse(as, client, here, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    verifier,
    insecureOk(as) ? { [oauth.allowInsecureRequests]: true } : {},
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  accessToken = tokens.access_token;
  expiresAt = Date.now() + (tokens.expires_in ?? 3600) * 1000;
  const claims = decodePayload(tokens.access_token);
  const idClaims = oauth.getValidatedIdTokenClaims(tokens);
  const email = (claims['email'] ?? idClaims?.['email']) as string | undefined;
  user = {
    sub: String(claims['sub'] ?? idClaims?.sub ?? ''),
    ...(email ? { email } : {}),
    roles: groupsOf(claims[s.groupsClaim]),
  };
  return returnTo || '#/queue';
}

/** The token for the next API call, or undefined when staff must sign in (again). */
export function currentToken(): string | undefined {
  return accessToken && Date.now() < expiresAt - 5_000 ? accessToken : undefined;
}

export function currentUser(): StaffUser | undefined {
  return user;
}

/** Forget the session (the API said the token is no longer good). */
export function endSession(): void {
  accessToken = undefined;
  expiresAt = 0;
}

export const isAdmin = (): boolean => user?.roles.includes('admin') ?? false;
