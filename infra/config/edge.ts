/**
 * What CloudFront does with requests, as plain data (no CDK imports), so tests and docs can read
 * it: which paths go to the API, the headers every response carries, and where the site's files
 * come from.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RouteDefinition } from '#functions/routes.ts';
import { contentSecurityPolicyHeader } from '../../web/src/site/csp.ts';
import type { DeploymentConfig } from './deployment.ts';

/**
 * CloudFront path patterns for the API, derived from functions/routes.ts: a one-segment route
 * (`/health`) is its own pattern, anything deeper goes under its first segment (`/v1/*`).
 * Everything else is the website.
 */
export function apiPathPatterns(routes: readonly RouteDefinition[]): string[] {
  const patterns = new Set<string>();
  for (const { path } of routes) {
    const [first, ...rest] = path.split('/').filter(Boolean);
    if (!first || first.includes('{')) {
      throw new Error(
        `functions/routes.ts: "${path}" needs a fixed first segment so CloudFront can route it`,
      );
    }
    patterns.add(rest.length === 0 ? `/${first}` : `/${first}/*`);
  }
  return [...patterns].sort();
}

/** Paths of GET routes marked `cache: 'public'`, as exact CloudFront path patterns. */
export function publicApiPaths(routes: readonly RouteDefinition[]): string[] {
  return routes
    .filter((r) => r.method === 'GET' && r.cache === 'public')
    .map((r) => {
      if (r.path.includes('{'))
        throw new Error(`${r.path}: a publicly cached route cannot take path parameters`);
      return r.path;
    });
}

/** Does a CloudFront path pattern (only `*` wildcards) match a path? */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** HSTS max-age: two years, the value browsers' preload lists ask for (at least one year). */
export const HSTS_MAX_AGE_DAYS = 730;

/** Browser features the portal never uses, switched off for every page. */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** The origin the browser signs in with: the deployment's Cognito endpoint or the OIDC issuer. */
export function signInOrigin(config: Pick<DeploymentConfig, 'identityProvider' | 'region'>): string {
  return config.identityProvider.kind === 'cognito'
    ? `https://cognito-idp.${config.region}.amazonaws.com`
    : new URL(config.identityProvider.issuer).origin;
}

/**
 * The Content-Security-Policy header for every response: the website's own policy
 * (web/src/site/csp.ts, also in each page's meta tag, so the two never disagree) plus the
 * sign-in origin staff use from the browser. API and config.json are same-origin behind
 * CloudFront.
 */
export function contentSecurityPolicy(config: Pick<DeploymentConfig, 'identityProvider' | 'region'>): string {
  return contentSecurityPolicyHeader({ connectOrigins: [signInOrigin(config)] });
}

/** Context key that points the site deployment at another directory (tests use the placeholder). */
export const SITE_DIR_CONTEXT_KEY = 'restore:siteDir';

/**
 * Where the website's files come from: the built site (`npm run build:web` writes web/dist) when
 * it has been built, else a one-page placeholder kept in infra/, so `cdk synth` (and the infra
 * tests) never fail just because the site has not been built on this machine. A deploy from a
 * machine without web/dist therefore ships the placeholder: build the site first (docs/deploy.md).
 */
export function siteSourceDir(repoRoot: string, override?: unknown): string {
  if (typeof override === 'string' && override !== '') {
    return isAbsolute(override) ? override : join(repoRoot, override);
  }
  const built = join(repoRoot, 'web', 'dist');
  return existsSync(join(built, 'index.html')) ? built : join(repoRoot, 'infra', 'site-placeholder');
}
