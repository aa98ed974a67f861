/**
 * The local OpenID provider: a real, certified implementation (oidc-provider), mounted on the
 * local server under `/local-idp`, standing in for Cognito's hosted sign-in or an agency's SSO.
 *
 * - The console signs in with the authorization code flow and PKCE (S256, required) as the
 *   public client `restore-local-client`, with the seeded accounts of local/auth.ts.
 * - Machine clients (TAXII partners) use the client-credentials grant: a client named NAME with
 *   secret `restore-local` gets an access token with scope `taxii/read`.
 * - Access tokens are JWTs for the API's audience, signed with the key `npm run token` uses, with
 *   the claims the API reads (groups, e-mail, token use); local/auth.ts verifies them.
 * Local runtime only: nothing here is bundled into a function or deployed.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration, errors } from 'oidc-provider';
// oidc-provider's in-memory storage for sessions, codes and grants (no types are published for it).
// @ts-expect-error: untyped module inside oidc-provider
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  LOCAL_API_AUDIENCE,
  LOCAL_CLIENT_ID,
  LOCAL_PASSWORD,
  type LocalIdentityProvider,
  localAccounts,
  STAFF_SCOPE,
  TAXII_SCOPE,
} from './auth.ts';
import type { MountedHandler } from './server.ts';

export const OIDC_MOUNT_PATH = '/local-idp';
/** Where the console receives the code: any loopback port (RFC 8252), so tests may use random ones. */
export const CONSOLE_REDIRECT_PATH = '/staff/';
const CLIENT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sign-in page: plain HTML, no script, labelled fields, large targets. */
function loginPage(uid: string, problem?: string): string {
  const action = `${OIDC_MOUNT_PATH}/interaction/${encodeURIComponent(uid)}/login`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: Restore local identity provider</title>
<style>body{font:1.125rem/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;font-weight:700;margin-top:1rem}input{font:inherit;width:100%;min-height:44px;box-sizing:border-box;padding:.25rem .5rem;border:1px solid #565c65}
button{font:inherit;min-height:44px;margin-top:1.5rem;padding:.5rem 1.5rem;background:#005ea2;color:#fff;border:0;border-radius:.25rem}
:focus{outline:.25rem solid #2491ff;outline-offset:0}.error{border-left:.5rem solid #b50909;padding-left:1rem}</style></head>
<body><main>
<h1>Sign in to Restore staff</h1>
<p>Local development sign-in. Accounts: reviewer@example.gov, admin@example.gov, admin2@example.gov; password <code>${LOCAL_PASSWORD}</code>.</p>
${problem ? `<p class="error" role="alert" id="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${action}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required${problem ? ' aria-describedby="problem"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16_384) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  response.end(html);
}

function partnerClient(id: string) {
  if (!CLIENT_NAME.test(id) || id === LOCAL_CLIENT_ID) return undefined;
  return {
    client_id: id,
    client_secret: LOCAL_PASSWORD,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

export interface LocalOpenIdProvider {
  readonly provider: Provider;
  readonly handler: MountedHandler;
}

export function createLocalOpenIdProvider(identity: LocalIdentityProvider): LocalOpenIdProvider {
  const accountFor = (sub: string) => localAccounts.find((a) => a.sub === sub);

  const configuration: Configuration = {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_name: 'Restore agency console',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: ['localhost', '127.0.0.1', '[::1]'].map(
          (host) => `http://${host}${CONSOLE_REDIRECT_PATH}`,
        ),
        post_logout_redirect_uris: ['localhost', '127.0.0.1', '[::1]'].map(
          (host) => `http://${host}${CONSOLE_REDIRECT_PATH}`,
        ),
      },
    ],
    jwks: { keys: [identity.signingKey] },
    // The one key is an ES256 key (the one `npm run token` signs with).
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    pkce: { required: () => true },
    // The console calls the token endpoint from the page (same origin locally, any loopback port).
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === LOCAL_CLIENT_ID &&
      /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin),
    // OpenID scopes only; restore/staff and taxii/read are the API's (resource) scopes.
    scopes: ['openid', 'email'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    async findAccount(_ctx, sub) {
      const account = accountFor(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        claims: async () => ({ sub: account.sub, email: account.email, email_verified: true }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => LOCAL_API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource, client) {
          if (resource !== LOCAL_API_AUDIENCE) throw new errors.InvalidTarget();
          return {
            audience: LOCAL_API_AUDIENCE,
            scope: client.clientId === LOCAL_CLIENT_ID ? STAFF_SCOPE : TAXII_SCOPE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: DEFAULT_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    async extraTokenClaims(_ctx, token) {
      const account = 'accountId' in token && token.accountId ? accountFor(token.accountId) : undefined;
      if (!account) return { token_use: 'access' };
      return {
        token_use: 'access',
        'cognito:groups': [account.role],
        email: account.email,
        username: account.sub,
      };
    },
    // Sessions, codes and grants in memory (oidc-provider's own adapter); clients: the console
    // above, and any partner name (TAXII, issue 15) as a client-credentials client with secret
    // `restore-local` and scope taxii/read.
    adapter: (name: string) => {
      const adapter = new MemoryAdapter(name);
      if (name === 'Client') adapter.find = async (id: string) => partnerClient(id);
      return adapter;
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_MOUNT_PATH}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      AccessToken: DEFAULT_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      ClientCredentials: DEFAULT_TOKEN_TTL_SECONDS,
      IdToken: DEFAULT_TOKEN_TTL_SECONDS,
      Interaction: 600,
      Session: 8 * 3_600,
      Grant: 8 * 3_600,
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in problem</title></head><body><main><h1>Sign-in problem</h1><p>${escapeHtml(String(out['error_description'] ?? out['error'] ?? 'Something went wrong'))}</p></main></body></html>`;
    },
  };

  const provider = new Provider(identity.issuer, configuration);
  const callback = provider.callback();

  async function interaction(
    request: IncomingMessage,
    response: ServerResponse,
    rest: string,
  ): Promise<boolean> {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(rest);
    if (!match) return false;
    // Read a posted form before the provider looks at the request: it may start the body flowing.
    const posted = request.method === 'POST' ? await readForm(request) : undefined;
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(request, response);
    } catch {
      sendHtml(
        response,
        400,
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in expired</title></head><body><main><h1>This sign-in has expired</h1><p>Go back to the console and sign in again.</p></main></body></html>',
      );
      return true;
    }
    if (!match[2]) {
      if (details.prompt.name === 'consent' && details.session?.accountId) {
        // Staff do not consent to their own agency's console: grant what it asked for.
        const grant = new provider.Grant({
          clientId: String(details.params['client_id']),
          accountId: details.session.accountId,
        });
        grant.addOIDCScope('openid email');
        grant.addResourceScope(LOCAL_API_AUDIENCE, STAFF_SCOPE);
        const grantId = await grant.save();
        await provider.interactionFinished(
          request,
          response,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
        return true;
      }
      sendHtml(response, 200, loginPage(details.uid));
      return true;
    }
    if (!posted) return false;
    const form = posted;
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const account = localAccounts.find((a) => a.email === email);
    // Compare the password even for an unknown e-mail, so timing says nothing about accounts.
    const passwordOk = sameSecret(form.get('password') ?? '', LOCAL_PASSWORD);
    if (!account || !passwordOk) {
      sendHtml(
        response,
        200,
        loginPage(details.uid, 'That e-mail address and password do not match. Check them and try again.'),
      );
      return true;
    }
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: account.sub } },
      {
        mergeWithLastSubmission: false,
      },
    );
    return true;
  }

  const handler: MountedHandler = async (request, response) => {
    const url = request.url ?? '/';
    const rest = url.slice(OIDC_MOUNT_PATH.length) || '/';
    const path = rest.split('?')[0] ?? '/';
    if (path.startsWith('/interaction/') && (await interaction(request, response, path))) return;
    // oidc-provider builds its endpoint URLs from the mount path in originalUrl.
    (request as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    request.url = rest;
    await callback(request, response);
  };

  return { provider, handler };
}
