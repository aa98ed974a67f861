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

/**
 * The Cognito hosted sign-in domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`):
 * globally unique, so it names the agency and the environment; `cognitoDomainPrefix` overrides.
 */
export function hostedSignInPrefix(
  config: Pick<DeploymentConfig, 'agencyName' | 'envName' | 'cognitoDomainPrefix'>,
): string {
  if (config.cognitoDomainPrefix) return config.cognitoDomainPrefix;
  const agency = config.agencyName
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `restore-${config.envName}-${agency}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * The origins the console calls to sign in: Cognito's issuer (discovery, keys) and its hosted
 * sign-in domain (token endpoint), or the OIDC issuer.
 */
export function signInOrigins(
  config: Pick<
    DeploymentConfig,
    'identityProvider' | 'region' | 'agencyName' | 'envName' | 'cognitoDomainPrefix'
  >,
): string[] {
  return config.identityProvider.kind === 'cognito'
    ? [
        `https://cognito-idp.${config.region}.amazonaws.com`,
        `https://${hostedSignInPrefix(config)}.auth.${config.region}.amazoncognito.com`,
      ]
    : [new URL(config.identityProvider.issuer).origin];
}

/** The first of `signInOrigins`: where the issuer lives. */
export function signInOrigin(
  config: Pick<
    DeploymentConfig,
    'identityProvider' | 'region' | 'agencyName' | 'envName' | 'cognitoDomainPrefix'
  >,
): string {
  return signInOrigins(config)[0]!;
}

/**
 * The Content-Security-Policy header for every response: the website's own policy
 * (web/src/site/csp.ts, also in each page's meta tag, so the two never disagree) plus the
 * sign-in origin staff use from the browser. API and config.json are same-origin behind
 * CloudFront.
 */
export function contentSecurityPolicy(
  config: Pick<
    DeploymentConfig,
    'identityProvider' | 'region' | 'agencyName' | 'envName' | 'cognitoDomainPrefix'
  >,
): string {
  return contentSecurityPolicyHeader({ connectOrigins: signInOrigins(config) });
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
