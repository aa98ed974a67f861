/**
 * The site's Content-Security-Policy: only our own scripts, styles, fonts and images; API calls
 * only to our own origin (plus the API origin when it is elsewhere); no inline code, no eval, and
 * Trusted Types with no policy at all, so the browser itself refuses any HTML built from strings.
 */
export interface CspOptions {
  /** Extra origins the site may call, e.g. the API when config.json points to another host. */
  readonly connectOrigins?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // data: only for the tiny USWDS icons that the build inlines into the stylesheet.
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/**
 * Where the status page posts claimants' documents in AWS, for pages built before the uploads
 * bucket exists (their meta tag): any bucket of the deployment's region. CloudFront's header
 * names the one bucket, and a browser enforces both policies.
 */
export const uploadOriginPattern = (region: string): string => `https://*.s3.${region}.amazonaws.com`;

/**
 * The same policy for an HTTP response header (CloudFront), with the directives that browsers
 * ignore in a `<meta>` tag.
 */
export function contentSecurityPolicyHeader(options: CspOptions = {}): string {
  return `${contentSecurityPolicy(options)}; frame-ancestors 'none'; upgrade-insecure-requests`;
}
