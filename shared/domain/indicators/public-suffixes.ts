import { unpack } from './packed.ts';
import { PACKED_PUBLIC_SUFFIXES } from './public-suffix-data.ts';

// The Public Suffix List (https://publicsuffix.org), ICANN and private sections, as packed by
// scripts/packed-data.ts from the tldts release in package.json, and matched with the list's own
// algorithm: an exception rule wins, otherwise the rule with the most labels, `*` standing for any
// one label. public-suffixes.test.ts checks the result against tldts itself on every rule.

const ICANN = 1;
const PRIVATE = 2;

interface Tables {
  rules: Map<string, number>;
  exceptions: Map<string, number>;
}

function load(): Tables {
  // Plain maps of whole rules: about 11,000 entries.
  const rules = new Map<string, number>();
  const exceptions = new Map<string, number>();
  const [icann = '', privateRules = ''] = unpack(PACKED_PUBLIC_SUFFIXES).split('\n');
  readTree(icann, ICANN, rules, exceptions);
  readTree(privateRules, PRIVATE, rules, exceptions);
  return { rules, exceptions };
}

/**
 * Reads one section written by scripts/packed-data.ts: labels right to left as a tree,
 * `jp(ac,kawasaki(*,!city))`, where `~label` is only on the way to deeper rules and `!label` is an
 * exception.
 */
function readTree(text: string, flag: number, rules: Map<string, number>, exceptions: Map<string, number>) {
  const parents: string[] = [];
  let i = 0;
  while (i < text.length) {
    const mark = text[i];
    if (mark === '!' || mark === '~') i++;
    let end = i;
    while (end < text.length && text[end] !== '(' && text[end] !== ')' && text[end] !== ',') end++;
    const label = text.slice(i, end);
    const parent = parents[parents.length - 1];
    const name = parent === undefined ? label : `${label}.${parent}`;
    if (mark === '!') exceptions.set(name, flag);
    else if (mark !== '~') rules.set(name, (rules.get(name) ?? 0) | flag);
    i = end;
    if (text[i] === '(') {
      parents.push(name);
      i++;
      continue;
    }
    while (text[i] === ')') {
      parents.pop();
      i++;
    }
    if (text[i] === ',') i++;
  }
}

// Built on first use (about 5 ms), so a cold start that never sees a website or email skips it.
let tables: Tables | undefined;

export interface PublicSuffix {
  /** The public suffix of the hostname (`co.uk`, `github.io`, or the last label if none is listed). */
  suffix: string;
  isIcann: boolean;
  isPrivate: boolean;
}

/** The public suffix of a lower-case ASCII hostname (non-empty labels), private suffixes included. */
export function publicSuffixOf(hostname: string): PublicSuffix {
  tables ??= load();
  const { rules, exceptions } = tables;
  // Candidates from the longest (the whole hostname) to the last label alone.
  let start = 0;
  while (true) {
    const candidate = hostname.slice(start);
    const next = hostname.indexOf('.', start) + 1;
    const exception = exceptions.get(candidate);
    if (exception !== undefined) {
      // `!city.kawasaki.jp`: the exception's own left-most label is not part of the suffix.
      return found(hostname.slice(next), exception);
    }
    const rule = rules.get(candidate) ?? (next === 0 ? undefined : rules.get(`*.${hostname.slice(next)}`));
    if (rule !== undefined) return found(candidate, rule);
    if (next === 0) break;
    start = next;
  }
  // No rule: the list's implicit `*` makes the last label the suffix, but it is not a known one.
  return { suffix: hostname.slice(hostname.lastIndexOf('.') + 1), isIcann: false, isPrivate: false };
}

const found = (suffix: string, flag: number): PublicSuffix => ({
  suffix,
  isIcann: (flag & ICANN) !== 0,
  isPrivate: (flag & PRIVATE) !== 0,
});

/** The registrable domain (the suffix plus one label), or undefined if the host is a suffix itself. */
export function registrableDomainOf(hostname: string, suffix: string): string | undefined {
  if (suffix.length >= hostname.length) return undefined;
  const dot = hostname.lastIndexOf('.', hostname.length - suffix.length - 2);
  return hostname.slice(dot + 1);
}
