/**
 * What CloudFront does with requests, as plain data (no CDK imports), so tests and docs can read
 * it: which paths go to the API, the headers every response carries, and where the site's files
 * come from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * The Cognito hosted sign-in domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`):
 * globally unique, so it names the agency and the environment; `cognitoDomainPrefix` overrides,
 * then `sharing.domainPrefix` (a pool has one Cognito domain: the console signs in and partners
 * fetch their tokens on the same one).
 */
export function hostedSignInPrefix(
  config: Pick<DeploymentConfig, 'agencyName' | 'envName' | 'cognitoDomainPrefix'> & {
    readonly sharing?: { readonly domainPrefix?: string | undefined };
  },
): string {
  if (config.cognitoDomainPrefix) return config.cognitoDomainPrefix;
  if (config.sharing?.domainPrefix) return config.sharing.domainPrefix;
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
 * sign-in origin staff use from the browser, and the uploads bucket's origin (the status page
 * posts claimants' documents to it, docs/follow-up.md). API and config.json are same-origin
 * behind CloudFront.
 */
export function contentSecurityPolicy(
  config: Pick<
    DeploymentConfig,
    'identityProvider' | 'region' | 'agencyName' | 'envName' | 'cognitoDomainPrefix'
  >,
  uploadOrigins: readonly string[] = [],
): string {
  return contentSecurityPolicyHeader({ connectOrigins: [...signInOrigins(config), ...uploadOrigins] });
}

/**
 * Where browsers post to a bucket with a pre-signed POST: the SDK signs the bucket's regional
 * virtual-hosted address (`<bucket>.s3.<region>.amazonaws.com`).
 */
export const uploadOrigin = (bucketRegionalDomainName: string): string =>
  `https://${bucketRegionalDomainName}`;

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

/** The site's page addresses (`/`, `/report/`, `/es/report/`…): each directory with an index.html. */
export function sitePages(siteDir: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string, url: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${url}${entry.name}/`);
      else if (entry.name === 'index.html') pages.push(url);
    }
  };
  walk(siteDir, '/');
  return pages.sort();
}

/**
 * The routing every site request goes through at the edge, as CloudFront Functions code (plain
 * ES5, no imports): S3 serves objects, not directories, so `/report/` and `/report` mean
 * /report/index.html; an address that is no page of the site (and no file: anything with a dot in
 * its last segment is left to S3) gets the "page not found" page, in Spanish under /es/.
 * `route(uri)` returns the object key to ask S3 for and whether that is the 404 page.
 */
function routeCode(pages: readonly string[]): string {
  return [
    `var PAGES = ${JSON.stringify(Object.fromEntries(pages.map((p) => [p, 1])))};`,
    'function route(uri) {',
    "  var last = uri.split('/').pop();",
    "  if (last.indexOf('.') !== -1 && !/\\.html$/.test(last)) return { uri: uri, notFound: false };",
    "  var dir = /\\/index\\.html$/.test(uri) ? uri.slice(0, -10) : uri.slice(-1) === '/' ? uri : last.indexOf('.') === -1 ? uri + '/' : null;",
    "  if (dir !== null && PAGES[dir] === 1) return { uri: dir + 'index.html', notFound: false };",
    "  return { uri: uri.indexOf('/es/') === 0 ? '/es/404.html' : '/404.html', notFound: true };",
    '}',
  ].join('\n');
}

/** Viewer request: ask S3 for the page's index.html, or for the 404 page. */
export function siteRequestFunctionCode(pages: readonly string[]): string {
  return [
    routeCode(pages),
    'function handler(event) {',
    '  var request = event.request;',
    '  request.uri = route(request.uri).uri;',
    '  return request;',
    '}',
  ].join('\n');
}

/** Viewer response: the 404 page goes out with status 404 (S3 answered 200 for the file). */
export function siteResponseFunctionCode(pages: readonly string[]): string {
  return [
    routeCode(pages),
    'function handler(event) {',
    '  var response = event.response;',
    '  if (route(event.request.uri).notFound) {',
    '    response.statusCode = 404;',
    "    response.statusDescription = 'Not Found';",
    '  }',
    '  return response;',
    '}',
  ].join('\n');
}

/**
 * The agency's name, phone and hours are written into the pages when the site is built
 * (web/vite.config.ts records them in site-settings.json). Says what differs from this
 * deployment's settings (in words, for a synth warning), or undefined when they agree or the
 * directory holds no record (the placeholder site).
 */
export function builtSettingsDiffer(
  siteDir: string,
  config: Pick<DeploymentConfig, 'agencyName' | 'agencyPhone' | 'agencyPhoneHours'>,
): string | undefined {
  const file = join(siteDir, 'site-settings.json');
  if (!existsSync(file)) return undefined;
  const built = (JSON.parse(readFileSync(file, 'utf8')) as { en?: Record<string, unknown> }).en ?? {};
  const differences = [
    built['agencyName'] !== config.agencyName ? `the agency name "${String(built['agencyName'] ?? '')}"` : '',
    (built['phone'] ?? undefined) !== config.agencyPhone ? `the phone "${String(built['phone'] ?? '')}"` : '',
    (built['phoneHours'] ?? undefined) !== config.agencyPhoneHours
      ? `the hours "${String(built['phoneHours'] ?? '')}"`
      : '',
  ].filter(Boolean);
  return differences.length > 0 ? differences.join(', ') : undefined;
}
