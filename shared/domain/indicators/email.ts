import { checkHostname, toAsciiHostname } from './hostname.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

/** RFC 5322 "atext" plus Unicode letters and digits (internationalised addresses, RFC 6531). */
const LOCAL_PART = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** `PayPal Support <help@paypa1.com>`, as copied from a mail program. */
const NAME_ADDR = /^[^<>]*<([^<>]*)>$/;

const EXAMPLE = 'for example name@example.com';
const DOMAIN_PROBLEMS = {
  malformed: `The part after the @ is not a valid domain, ${EXAMPLE}.`,
  'unknown-suffix':
    'The part after the @ does not end in a known ending such as .com. Check the spelling after the last dot.',
  'suffix-only': `The part after the @ is missing the name before the ending, ${EXAMPLE}.`,
} as const;

/**
 * An email address, trimmed and lower-cased as a whole, with its domain in punycode.
 * Dots and +tags are kept: whether `j.doe+x@` and `jdoe@` reach the same mailbox depends on the
 * provider's rules, which we cannot know, and a false link is worse than a missed one.
 */
export const normaliseEmail = (raw: string): NormaliseResult => {
  const cleaned = cleanInput(raw, 512);
  if (cleaned === undefined) return fail('This is too long to be an email address.');
  let text = cleaned;
  const named = NAME_ADDR.exec(text);
  if (named) text = (named[1] ?? '').trim();
  // `?` is legal in an address, so only a mailto: link's query (?subject=…) is cut off.
  if (/^mailto:/i.test(text)) text = text.slice(7).replace(/\?.*$/, '');
  if (text === '') return fail(`Enter an email address, ${EXAMPLE}.`);
  if (/\s/.test(text)) return fail('An email address has no spaces. Check around the @ sign and the dots.');

  const parts = text.split('@');
  if (parts.length < 2) return fail(`An email address needs an @ sign, ${EXAMPLE}.`);
  if (parts.length > 2) return fail('An email address has only one @ sign. Check for extra text around it.');
  const [local = '', host = ''] = parts;
  if (local === '' || host === '') return fail(`Part of this email address is missing, ${EXAMPLE}.`);
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    return fail('The part before the @ has characters or dots an email address cannot have. Check it again.');
  }
  const asciiHost = toAsciiHostname(host);
  const checked = asciiHost === undefined ? undefined : checkHostname(asciiHost);
  if (!checked?.ok) return fail(checked ? DOMAIN_PROBLEMS[checked.problem] : DOMAIN_PROBLEMS.malformed);
  const value = `${local.toLowerCase()}@${checked.hostname}`;
  if (value.length > 254) return fail('This is too long to be an email address.');
  return ok('email', value);
};
