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

interface Section {
  /** One top-level domain's tree a line, with a new line at each end so every line is `\n…\n`. */
  text: string;
  flag: number;
}

// Unpacked on first use (about 3 ms). Only the lines of the top-level domains that hostnames end
// in are then read into maps, once each: most are a handful of rules, and reading all 11,000
// rules cold took 10 ms.
let sections: Section[] | undefined;
const byTopLevel = new Map<string, Tables>();
const NONE: Tables = { rules: new Map(), exceptions: new Map() };

function tablesFor(topLevel: string): Tables {
  const cached = byTopLevel.get(topLevel);
  if (cached) return cached;
  sections ??= unpack(PACKED_PUBLIC_SUFFIXES)
    .split('\n\n')
    .map((text, i) => ({ text: `\n${text}\n`, flag: i === 0 ? ICANN : PRIVATE }));
  let tables: Tables | undefined;
  for (const { text, flag } of sections) {
    for (const line of [`\n${topLevel}`, `\n~${topLevel}`]) {
      for (const next of ['(', '\n']) {
        const at = text.indexOf(line + next);
        if (at === -1) continue;
        tables ??= { rules: new Map(), exceptions: new Map() };
        readTree(text.slice(at + 1, text.indexOf('\n', at + 1)), flag, tables.rules, tables.exceptions);
      }
    }
  }
  // Unknown endings are not cached: the input decides them, and the cache must stay bounded.
  if (!tables) return NONE;
  byTopLevel.set(topLevel, tables);
  return tables;
}

/**
 * Reads one top-level domain's line written by scripts/packed-data.ts: labels right to left as a
 * tree, `jp(ac,kawasaki(*,!city))`, where `~label` is only on the way to deeper rules and `!label`
 * is an exception.
 */
function readTree(text: string, flag: number, rules: Map<string, number>, exceptions: Map<string, number>) {
  // Runs cold: the native split does the character scanning, the loop sees only tokens.
  const tokens = text.split(/([(),])/);
  const parents: string[] = [];
  let last = '';
  for (const token of tokens) {
    if (token === '(') parents.push(last);
    else if (token === ')') parents.pop();
    else if (token !== ',' && token !== '') {
      const mark = token.charCodeAt(0);
      const label = mark === 33 /* ! */ || mark === 126 /* ~ */ ? token.slice(1) : token;
      const parent = parents[parents.length - 1];
      last = parent === undefined ? label : `${label}.${parent}`;
      if (mark === 33) exceptions.set(last, flag);
      else if (mark !== 126) rules.set(last, (rules.get(last) ?? 0) | flag);
    }
  }
}

export interface PublicSuffix {
  /** The public suffix of the hostname (`co.uk`, `github.io`, or the last label if none is listed). */
  suffix: string;
  isIcann: boolean;
  isPrivate: boolean;
}

/** The public suffix of a lower-case ASCII hostname (non-empty labels), private suffixes included. */
export function publicSuffixOf(hostname: string): PublicSuffix {
  const topLevel = hostname.slice(hostname.lastIndexOf('.') + 1);
  const { rules, exceptions } = tablesFor(topLevel);
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
  return { suffix: topLevel, isIcann: false, isPrivate: false };
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
