import { parse } from 'tldts';

// Shared by the email and domain normalisers. Not re-exported from index.ts.

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

export type HostnameCheck =
  | { ok: true; hostname: string; registrable: string }
  | { ok: false; problem: 'malformed' | 'unknown-suffix' | 'suffix-only' };

/**
 * Checks an ASCII, lower-case hostname (as produced by the WHATWG URL parser, so IDNs are already
 * punycode) and finds its registrable domain (eTLD+1). Not for IP literals.
 */
export const checkHostname = (hostname: string): HostnameCheck => {
  const labels = hostname.split('.');
  if (hostname.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return { ok: false, problem: 'malformed' };
  }
  // Private suffixes count: `scam.github.io` and `x.blogspot.com` are separate sites, not `github.io`.
  // The host is already a bare hostname and never an IP literal here, so tldts skips both steps.
  const { isIcann, isPrivate, domain } = parse(hostname, {
    allowPrivateDomains: true,
    extractHostname: false,
    detectIp: false,
  });
  if (!isIcann && !isPrivate) {
    return { ok: false, problem: 'unknown-suffix' };
  }
  const registrable = domain ?? undefined;
  if (!registrable) {
    // The host is itself a public suffix (co.uk, github.io): no one site is named.
    return { ok: false, problem: 'suffix-only' };
  }
  return { ok: true, hostname, registrable };
};

/** Lower-case punycode form of a hostname that may contain Unicode, or undefined if it is not one. */
export const toAsciiHostname = (host: string): string | undefined => {
  // Anything the URL parser would treat as a path, port, user or query must not reach it.
  if (!/^[\p{L}\p{N}\p{M}._-]+$/u.test(host)) return undefined;
  try {
    return new URL(`http://${host}`).hostname.replace(/\.+$/, '');
  } catch {
    return undefined;
  }
};
