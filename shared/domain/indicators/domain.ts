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

/**
 * The registrable domain (eTLD+1, public-suffix aware with private suffixes such as github.io)
 * of a website, from a bare host or a full link: `https://www.login.evil.co.uk/path?x` gives
 * `evil.co.uk`, `scam.github.io` stays `scam.github.io`. Lower-case, IDNs as punycode (which
 * also shows look-alike letters for what they are). Raw IP hosts are kept as they are, since
 * scam sites do use them; IPv6 in brackets.
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
  if (hostname.startsWith('[') || IPV4.test(hostname)) return ok('domain', hostname);
  const checked = checkHostname(hostname);
  return checked.ok ? ok('domain', checked.registrable) : fail(PROBLEMS[checked.problem]);
};
