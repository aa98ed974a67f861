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
import { REPO_ROOT } from '#infra/constructs/bundling.ts';

const require = createRequire(import.meta.url);
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
 * The text that is packed: ICANN rules, a blank line, private rules, one per line. The loader
 * (shared/domain/indicators/public-suffixes.ts) reads exactly this.
 */
export function publicSuffixText(): string {
  const rules = publicSuffixRules();
  const section = (flag: number) =>
    rules
      .filter(([f]) => f === flag)
      .map(([, r]) => r)
      .join('\n');
  return `${section(RULE_ICANN)}\n\n${section(RULE_PRIVATE)}`;
}

/** libphonenumber-js's `min` metadata as the JSON text the library ships. */
export function phoneMetadataText(): string {
  const path = require.resolve('libphonenumber-js/metadata.min.json');
  return JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
}

export const pack = (text: string): string =>
  brotliCompressSync(Buffer.from(text, 'utf8'), {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  }).toString('base64');

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

function render(exportName: string, source: string, text: string): string {
  return [
    `// Generated by \`npm run generate:data\` (scripts/packed-data.ts) from ${source}. Do not edit.`,
    '// Brotli-compressed UTF-8, base64-encoded: see packed.ts for why.',
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
