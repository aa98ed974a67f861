/**
 * Builds the two data tables the identifier normalisers need — the public suffix list and
 * libphonenumber's `min` metadata — as brotli-compressed, base64 strings, and writes them to
 * shared/domain/indicators/*-data.ts (`npm run generate:data`).
 *
 * Why: shipped as the libraries ship them, these tables are large array and object literals
 * that every function parsing a phone number or website pays for at cold start (about 200 KB of
 * bundle and 10 ms of import between them). A compressed string literal costs almost nothing to
 * parse, and unpacking it takes about a millisecond.
 *
 * The sources are the installed `tldts` and `libphonenumber-js`, so the unit tests can compare the
 * packed tables with them (and fail when an upgrade makes the files stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { encodeText } from '#shared/domain/indicators/packed.ts';

const require = createRequire(import.meta.url);
const REPO_ROOT = join(import.meta.dirname, '..');
const INDICATORS = join(REPO_ROOT, 'shared', 'domain', 'indicators');

export const RULE_ICANN = 1;
export const RULE_PRIVATE = 2;

/**
 * Every public suffix rule in tldts's flat trie, as `[flag, rule]` where `flag` is 1 (ICANN) or
 * 2 (private) and `rule` is written as in the list (`co.uk`, `*.kawasaki.jp`, `!city.kawasaki.jp`).
 * Only ASCII rules are kept: hostnames reach the lookup in punycode, and the list carries each
 * internationalised rule in punycode as well.
 */
export function publicSuffixRules(): [number, string][] {
  const source = readFileSync(
    join(REPO_ROOT, 'node_modules', 'tldts', 'dist', 'es6', 'src', 'data', 'trie.js'),
    'utf8',
  );
  const typed = (name: string): number[] => {
    const m = new RegExp(`export const ${name} = [^\\[]*(\\[[^\\]]*\\])`).exec(source);
    if (!m) throw new Error(`tldts trie: ${name} not found (has the data format changed?)`);
    return JSON.parse(m[1]!) as number[];
  };
  const scalar = (name: string): string | number => {
    const m = new RegExp(`export const ${name} = ([^;]*);`).exec(source);
    if (!m) throw new Error(`tldts trie: ${name} not found (has the data format changed?)`);
    return JSON.parse(m[1]!) as string | number;
  };
  const nodeFlags = typed('nodeFlags');
  const edgeStart = typed('edgeStart');
  const edgeLength = typed('edgeLength');
  const edgeChild = typed('edgeChild');
  const labelText = scalar('labelText') as string;
  const rulesRoot = scalar('rulesRoot') as number;
  const exceptionsRoot = scalar('exceptionsRoot') as number;

  // Labels are stored edge after edge in node order (see tldts's suffix-trie.ts).
  const edgeOffset: number[] = [];
  for (let node = 0, offset = 0; node < nodeFlags.length; node++) {
    for (let edge = edgeStart[node]!; edge < edgeStart[node + 1]!; edge++) {
      edgeOffset[edge] = offset;
      offset += edgeLength[edge]!;
    }
  }
  const rules: [number, string][] = [];
  const visit = (node: number, suffix: string, exception: boolean) => {
    for (let edge = edgeStart[node]!; edge < edgeStart[node + 1]!; edge++) {
      const label = labelText.slice(edgeOffset[edge]!, edgeOffset[edge]! + edgeLength[edge]!);
      const name = suffix === '' ? label : `${label}.${suffix}`;
      const child = edgeChild[edge]!;
      const flag = nodeFlags[child]!;
      if (flag !== 0) rules.push([flag, exception ? `!${name}` : name]);
      visit(child, name, exception);
    }
  };
  visit(rulesRoot, '', false);
  visit(exceptionsRoot, '', true);
  const ascii = rules.filter(([, rule]) => /^[!*a-z0-9._-]+$/.test(rule));
  for (const [flag] of ascii) {
    if (flag !== RULE_ICANN && flag !== RULE_PRIVATE) throw new Error(`tldts trie: unknown flag ${flag}`);
  }
  return ascii.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/**
 * The text that is packed: the ICANN section, a blank line, the private section. Each section is
 * the rules' labels as a tree, right to left, one top-level domain a line:
 * `jp(ac,…,kawasaki(*,!city),…)`. A label is a rule itself unless marked `~` (only on the way to
 * deeper rules) or `!` (an exception rule). Nesting compresses about a quarter better than one
 * rule per line. The loader
 * (shared/domain/indicators/public-suffixes.ts) reads exactly this.
 */
export function publicSuffixText(): string {
  interface Node {
    children: Map<string, Node>;
    rule: boolean;
    exception: boolean;
  }
  const rules = publicSuffixRules();
  const section = (flag: number) => {
    const root: Node = { children: new Map(), rule: false, exception: false };
    for (const [f, rule] of rules) {
      if (f !== flag) continue;
      const exception = rule.startsWith('!');
      let node = root;
      for (const label of (exception ? rule.slice(1) : rule).split('.').reverse()) {
        let child = node.children.get(label);
        if (!child) {
          child = { children: new Map(), rule: false, exception: false };
          node.children.set(label, child);
        }
        node = child;
      }
      if (exception) node.exception = true;
      else node.rule = true;
      if (node.rule && node.exception) throw new Error(`${rule} is both a rule and an exception`);
    }
    const write = (node: Node, separator = ','): string =>
      [...node.children]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(
          ([label, child]) =>
            (child.exception ? '!' : child.rule ? '' : '~') +
            label +
            (child.children.size > 0 ? `(${write(child)})` : ''),
        )
        .join(separator);
    // One top-level domain a line, so the loader can read just the one a hostname ends in.
    return write(root, '\n');
  };
  return `${section(RULE_ICANN)}\n\n${section(RULE_PRIVATE)}`;
}

/** libphonenumber-js's `min` metadata as the JSON text the library ships. */
export function phoneMetadataText(): string {
  const path = require.resolve('libphonenumber-js/metadata.min.json');
  return JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
}

export const pack = (text: string): string =>
  encodeText(
    brotliCompressSync(Buffer.from(text, 'utf8'), {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    }),
  );

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

function render(exportName: string, source: string, text: string): string {
  return [
    `// Generated by \`npm run generate:data\` (scripts/packed-data.ts) from ${source}. Do not edit.`,
    '// Brotli-compressed UTF-8 written as text: see packed.ts for why and how.',
    `export const ${exportName} =`,
    `  '${pack(text)}';`,
    '',
  ].join('\n');
}

export const DATA_FILES = {
  publicSuffixes: join(INDICATORS, 'public-suffix-data.ts'),
  phoneMetadata: join(INDICATORS, 'phone-metadata-data.ts'),
} as const;

if (import.meta.main) {
  writeFileSync(
    DATA_FILES.publicSuffixes,
    render('PACKED_PUBLIC_SUFFIXES', `tldts ${version('tldts')}`, publicSuffixText()),
  );
  writeFileSync(
    DATA_FILES.phoneMetadata,
    render(
      'PACKED_PHONE_METADATA',
      `libphonenumber-js ${version('libphonenumber-js')} (min)`,
      phoneMetadataText(),
    ),
  );
  console.log('wrote', Object.values(DATA_FILES).join(', '));
}
