/**
 * The local identity provider's keys, accounts and token rules. `npm start` serves a real OpenID
 * provider (oidc-provider, local/oidc.ts) that signs with this key; `npm run token` mints the
 * same access tokens directly. Both carry what the API reads from Cognito's (groups, token use)
 * and are verified here the way API Gateway's JWT authorizer would (signature, issuer, expiry,
 * audience or client id). The key lives under `<dataDir>/auth/` so `npm run token` in one
 * process and `npm start` in another agree.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Role, routes } from '#functions/routes.ts';
import { readOrCreateOnce } from './files.ts';

const ALGORITHM = 'ES256';
/** Fixed rather than port-based, so a token stays valid whatever PORT the server runs on. */
export const LOCAL_ISSUER = 'http://localhost/local-idp';
/** The console's public client (authorization code + PKCE); also the client of `npm run token`. */
export const LOCAL_CLIENT_ID = 'restore-local-client';
/** The API as a resource server: the `aud` of every access token the provider issues for it. */
export const LOCAL_API_AUDIENCE = 'urn:restore:api';
/** The scope staff tokens carry, and the one machine clients (TAXII partners) are limited to. */
export const STAFF_SCOPE = 'restore/staff';
export const TAXII_SCOPE = 'taxii/read';

/** Local runtime only: the seeded staff accounts of the local provider. Never deployed. */
export const LOCAL_PASSWORD = 'restore-local';
export interface LocalAccount {
  readonly sub: string;
  readonly email: string;
  readonly role: Role;
}
export const localAccounts: readonly LocalAccount[] = [
  { sub: 'reviewer', email: 'reviewer@example.gov', role: 'reviewer' },
  { sub: 'admin', email: 'admin@example.gov', role: 'admin' },
  { sub: 'admin2', email: 'admin2@example.gov', role: 'admin' },
];
export const DEFAULT_TOKEN_TTL_SECONDS = 3_600;
/** Cognito's longest access-token validity. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;
/** Clock difference tolerated between the issuer and the verifier. */
const CLOCK_SKEW_SECONDS = 60;

/** Every role some route accepts, read from the route table. */
export const knownRoles: readonly Role[] = [
  ...new Set(
    routes.flatMap((route) => (route.auth === 'public' || !('roles' in route.auth) ? [] : route.auth.roles)),
  ),
];

export function isRole(value: unknown): value is Role {
  return knownRoles.some((role) => role === value);
}

export interface IssueTokenOptions {
  readonly role?: Role;
  /** A machine client (TAXII partner): a client-credentials token with scope taxii/read, no role. */
  readonly client?: string;
  /** Defaults to `local-<role>`. */
  readonly sub?: string;
  readonly ttlSeconds?: number;
  /** Epoch seconds; lets tests mint tokens that have already expired. */
  readonly issuedAt?: number;
}

/** A machine client's token (OAuth 2.0 client credentials), e.g. a partner agency polling TAXII. */
export interface IssueClientTokenOptions {
  /** The partner's client id; it is also the token's `sub`, as Cognito does. */
  readonly clientId: string;
  /** Defaults to every scope some route requires (today `taxii/read`). */
  readonly scopes?: readonly string[];
  readonly ttlSeconds?: number;
  readonly issuedAt?: number;
}

/** Every OAuth scope some route requires, read from the route table. */
export const knownScopes: readonly string[] = [
  ...new Set(
    routes.flatMap((route) =>
      route.auth === 'public' || !('scopes' in route.auth) ? [] : route.auth.scopes,
    ),
  ),
];

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface LocalIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  /** The private signing key, for the local OpenID provider (never leaves the machine). */
  readonly signingKey: JWK & { kid: string };
  issueToken(options: IssueTokenOptions): Promise<string>;
  issueClientToken(options: IssueClientTokenOptions): Promise<string>;
  /** Resolves to the verified claims; rejects for a bad signature, issuer, client, use or expiry. */
  verifyToken(token: string): Promise<JWTPayload>;
  /** The public key set served at `/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
}

export interface LocalIdentityProviderOptions {
  /** Keep the signing key in `<dataDir>/auth/`; a throw-away key when absent. */
  readonly dataDir?: string;
  readonly issuer?: string;
}

type StoredKey = JWK & { kid: string };

async function newPrivateJwk(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALGORITHM, use: 'sig' };
}

/** Reads the stored key, creating it atomically on first use (two processes may race). */
async function loadOrCreatePrivateJwk(dataDir: string): Promise<StoredKey> {
  const path = join(dataDir, 'auth', 'signing-key.jwk.json');
  return JSON.parse(
    await readOrCreateOnce(path, async () => JSON.stringify(await newPrivateJwk())),
  ) as StoredKey;
}

export async function createLocalIdentityProvider(
  options: LocalIdentityProviderOptions = {},
): Promise<LocalIdentityProvider> {
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const privateJwk =
    options.dataDir === undefined ? await newPrivateJwk() : await loadOrCreatePrivateJwk(options.dataDir);
  const privateKey = await importJWK(privateJwk, ALGORITHM);
  const { d: _private, ...publicJwk } = privateJwk;
  const keySet: JSONWebKeySet = { keys: [publicJwk] };
  const verificationKeys = createLocalJWKSet(keySet);

  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    signingKey: privateJwk,
    jwks: () => structuredClone(keySet),

    async issueToken({ role, client, sub, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, issuedAt }) {
      if (client !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(client))
        throw new Error('A client name is 1-64 letters, digits, dots, hyphens or underscores');
      if (client === undefined && !isRole(role))
        throw new Error(`Unknown role "${String(role)}"; expected one of ${knownRoles.join(', ')}`);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new Error(`ttlSeconds must be a whole number from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
      }
      const now = issuedAt ?? Math.floor(Date.now() / 1000);
      // The claims the local provider puts in its access tokens (local/oidc.ts): a client-
      // credentials token names the client as subject; a staff token carries the Cognito-style
      // groups and, for a seeded account, its e-mail.
      const subject = client ?? sub ?? `local-${role}`;
      const account = localAccounts.find((a) => a.sub === subject);
      const claims =
        client !== undefined
          ? { client_id: client, scope: TAXII_SCOPE, token_use: 'access' }
          : {
              'cognito:groups': [role],
              client_id: LOCAL_CLIENT_ID,
              scope: STAFF_SCOPE,
              token_use: 'access',
              auth_time: now,
              username: subject,
              ...(account ? { email: account.email } : {}),
            };
      return new SignJWT(claims)
        .setAudience(LOCAL_API_AUDIENCE)
        .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },

    async issueClientToken({
      clientId,
      scopes = knownScopes,
      ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
      issuedAt,
    }) {
      if (!CLIENT_ID.test(clientId) || clientId === LOCAL_CLIENT_ID) {
        throw new Error(`Client id "${clientId}" must be 1-128 letters, digits, dots, dashes or underscores`);
      }
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new Error(`ttlSeconds must be a whole number from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
      }
      const now = issuedAt ?? Math.floor(Date.now() / 1000);
      // The claims of a Cognito client-credentials access token: no user, no groups, a scope.
      return new SignJWT({
        client_id: clientId,
        token_use: 'access',
        scope: scopes.join(' '),
        auth_time: now,
        version: 2,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },

    async verifyToken(token) {
      const { payload } = await jwtVerify(token, verificationKeys, {
        issuer,
        algorithms: [ALGORITHM],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      if (payload['token_use'] !== 'access') throw new Error('Not an access token');
      // As the deployed issuer would never sign them: issued in the future, or valid over a day.
      const iat = payload.iat ?? 0;
      if (iat > Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS)
        throw new Error('Token issued in the future');
      if ((payload.exp ?? 0) - iat > MAX_TOKEN_TTL_SECONDS) throw new Error('Token lifetime over a day');
      // API Gateway's rule: with an `aud` claim, it must name a configured audience; without
      // one, the `client_id` must (staff tokens come from the console client; a machine
      // client's token names itself).
      const audiences = [LOCAL_API_AUDIENCE, LOCAL_CLIENT_ID];
      const aud = payload.aud === undefined ? [] : [payload.aud].flat();
      const machine = payload['client_id'] === payload.sub && typeof payload['scope'] === 'string';
      if (
        aud.length > 0
          ? !aud.some((a) => audiences.includes(a))
          : !audiences.includes(String(payload['client_id'])) && !machine
      )
        throw new Error('Token issued for another audience');
      return payload;
    },
  };
}
