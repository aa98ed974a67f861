import ipaddr from 'ipaddr.js';
import { checkHostname } from './hostname.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

/** Threat reports "defang" links (hxxp://evil[.]com) so nobody clicks them; undo that. */
const refang = (text: string): string =>
  text
    .replace(/^hxxp/i, 'http')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':');

const MALFORMED = 'This is not a valid web address. Check the spelling, for example example.com.';
const PROBLEMS = {
  malformed: MALFORMED,
  'unknown-suffix':
    'This web address does not end in a known ending such as .com or .org. Check the spelling after the last dot.',
  'suffix-only':
    'This is only the ending that many sites share (like co.uk or github.io). Enter the full site name, for example example.co.uk.',
} as const;

const SCHEME = /^(?:[a-z][a-z0-9+.-]*:\/\/|https?:\/*)/i;
const BARE_IPV6 = /^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** The host as typed: before any port, path, query or fragment (and after any user@). */
const TYPED_HOST = /^(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/;

const NUMBER_ONLY =
  'This is a number, not a web address. Enter the site name, for example example.com, or the full address with its dots (like 8.8.8.8).';
const NOT_PUBLIC =
  'This address belongs to a private or local network (like 192.168.1.1 or localhost), not to a website on the internet. Check it again.';

/** A web address that is an IP literal: only a public, dotted (or bracketed IPv6) one names a site. */
const ipHost = (hostname: string, typedHost: string): NormaliseResult => {
  // `http://5` and `http://250000` parse as 0.0.0.5 and 0.3.208.144: a number typed in the
  // website box is an amount or a phone number in the wrong place, never a site.
  if (!hostname.startsWith('[') && typedHost.split('.').length !== 4) return fail(NUMBER_ONLY);
  const address = ipaddr.parse(hostname.replace(/^\[|\]$/g, ''));
  const plain =
    address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
      ? (address as ipaddr.IPv6).toIPv4Address()
      : address;
  return plain.range() === 'unicast' ? ok('domain', hostname) : fail(NOT_PUBLIC);
};

/**
 * The registrable domain (eTLD+1, public-suffix aware with private suffixes such as github.io)
 * of a website, from a bare host or a full link: `https://www.login.evil.co.uk/path?x` gives
 * `evil.co.uk`, `scam.github.io` stays `scam.github.io`. Lower-case, IDNs as punycode (which
 * also shows look-alike letters for what they are). Raw IP hosts are kept as they are, since
 * scam sites do use them, when they are public addresses typed as such; IPv6 in brackets.
 */
export const normaliseDomain = (raw: string): NormaliseResult => {
  const cleaned = cleanInput(raw, 2048);
  if (cleaned === undefined) return fail('This is too long to be a web address.');
  if (cleaned === '') return fail('Enter a website address, for example example.com.');
  let text = refang(cleaned);
  if (/\s/.test(text)) {
    return fail("A web address has no spaces. Copy it again from the browser's address bar or the message.");
  }
  if (BARE_IPV6.test(text)) text = `[${text}]`;
  text = text.replace(SCHEME, '');

  let hostname: string;
  try {
    // Parsing as an http URL handles ports, paths, user@host tricks, IDNs and odd IPv4 spellings.
    hostname = new URL(`http://${text}`).hostname.replace(/\.+$/, '');
  } catch {
    return fail(MALFORMED);
  }
  if (hostname.startsWith('[') || IPV4.test(hostname))
    return ipHost(hostname, TYPED_HOST.exec(text)?.[1] ?? '');
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return fail(NOT_PUBLIC);
  const checked = checkHostname(hostname);
  return checked.ok ? ok('domain', checked.registrable) : fail(PROBLEMS[checked.problem]);
};
