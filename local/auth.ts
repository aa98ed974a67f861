/**
 * A development identity provider standing in for Cognito: it signs access tokens shaped like
 * Cognito's and verifies them the way API Gateway's JWT authorizer would (signature, issuer,
 * expiry, client id, token use). Its key lives under `<dataDir>/auth/` so `npm run token` in
 * one process and `npm start` in another agree.
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
export const LOCAL_CLIENT_ID = 'restore-local-client';
export const DEFAULT_TOKEN_TTL_SECONDS = 3_600;
/** Cognito's longest access-token validity. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;

/** Every role some route accepts, read from the route table. */
export const knownRoles: readonly Role[] = [
  ...new Set(routes.flatMap((route) => (route.auth === 'public' ? [] : route.auth.roles))),
];

export function isRole(value: unknown): value is Role {
  return knownRoles.some((role) => role === value);
}

export interface IssueTokenOptions {
  readonly role: Role;
  /** Defaults to `local-<role>`. */
  readonly sub?: string;
  readonly ttlSeconds?: number;
  /** Epoch seconds; lets tests mint tokens that have already expired. */
  readonly issuedAt?: number;
}

export interface LocalIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  issueToken(options: IssueTokenOptions): Promise<string>;
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
    jwks: () => structuredClone(keySet),

    async issueToken({ role, sub, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, issuedAt }) {
      if (!isRole(role))
        throw new Error(`Unknown role "${String(role)}"; expected one of ${knownRoles.join(', ')}`);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new Error(`ttlSeconds must be a whole number from 1 to ${MAX_TOKEN_TTL_SECONDS}`);
      }
      const now = issuedAt ?? Math.floor(Date.now() / 1000);
      const subject = sub ?? `local-${role}`;
      // The claims of a Cognito user-pool access token (which has client_id, not aud).
      return new SignJWT({
        'cognito:groups': [role],
        client_id: LOCAL_CLIENT_ID,
        token_use: 'access',
        auth_time: now,
        username: subject,
        version: 2,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(subject)
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
      if (payload['client_id'] !== LOCAL_CLIENT_ID) throw new Error('Token issued to another client');
      return payload;
    },
  };
}
