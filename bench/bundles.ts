/**
 * Lambda bundles as deployed: built with the exact esbuild settings CDK uses
 * (infra/constructs/bundling.ts), then measured for size and for how long a fresh Node process
 * takes to `import()` them, next to a hello-world bundle measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functions } from '#functions/routes.ts';
import { esbuildOptionsFor } from '#infra/constructs/bundling.ts';

export interface BundleFigures {
  name: string;
  bytes: number;
  gzipBytes: number;
  importMs: { p50: number; p90: number };
  processMs: { p50: number };
}

const RUNS = 20;

// What a function reads at module load; values only need to be present.
const IMPORT_ENV = {
  TABLE_NAME: 'bench',
  IDEMPOTENCY_TABLE_NAME: 'bench-idem',
  ENRICHMENT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
  INDICATOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** One fresh process: returns the import() time measured inside it, and the whole process time. */
function importOnce(file: string): { importMs: number; processMs: number } {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...IMPORT_ENV, PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`importing ${file} failed: ${res.stderr}`);
  return { importMs: Number(res.stdout), processMs };
}

/**
 * Reference bundles holding only libraries the issues name, set up as Restore sets them up: what
 * any API function, and intake, must import before a line of Restore's own code runs.
 */
export const FLOORS: readonly [string, string][] = [
  ['floor: API libraries', 'bench/fixtures/floor-api.ts'],
  ['floor: intake libraries', 'bench/fixtures/floor-intake.ts'],
];

/** First use of the packed tables in a fresh process (bench/fixtures/first-use.ts), p50 of RUNS. */
export async function benchFirstUse(): Promise<{ publicSuffixes: number; phoneMetadata: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'restore-bench-'));
  const outfile = join(dir, 'first-use', 'index.mjs');
  await build(esbuildOptionsFor('bench/fixtures/first-use.ts', outfile));
  const runs = { publicSuffixes: [] as number[], phoneMetadata: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const res = spawnSync(process.execPath, [outfile], {
      env: { ...IMPORT_ENV, PATH: process.env['PATH'] ?? '' },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`first-use fixture failed: ${res.stderr}`);
    const r = JSON.parse(res.stdout) as { publicSuffixes: number; phoneMetadata: number };
    runs.publicSuffixes.push(r.publicSuffixes);
    runs.phoneMetadata.push(r.phoneMetadata);
  }
  return {
    publicSuffixes: percentile(runs.publicSuffixes, 50),
    phoneMetadata: percentile(runs.phoneMetadata, 50),
  };
}

export async function benchBundles(): Promise<{
  hello: BundleFigures;
  bundles: BundleFigures[];
  floors: BundleFigures[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'restore-bench-'));
  const entries: [string, string][] = [
    ['hello-world', 'bench/fixtures/hello.ts'],
    ...Object.entries(functions).map(([name, spec]) => [name, spec.entry] as [string, string]),
    ...FLOORS,
  ];
  const files = new Map<string, string>();
  for (const [name, entry] of entries) {
    const outfile = join(dir, name.replace(/\W+/g, '-'), 'index.mjs');
    await build(esbuildOptionsFor(entry, outfile));
    files.set(name, outfile);
  }
  const samples = new Map<string, { importMs: number[]; processMs: number[] }>();
  for (const name of files.keys()) samples.set(name, { importMs: [], processMs: [] });
  // Interleave runs so machine noise hits every bundle alike.
  for (let run = 0; run < RUNS; run++) {
    for (const [name, file] of files) {
      const r = importOnce(file);
      samples.get(name)!.importMs.push(r.importMs);
      samples.get(name)!.processMs.push(r.processMs);
    }
  }
  const figures = [...files].map(([name, file]) => {
    const s = samples.get(name)!;
    return {
      name,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file)).byteLength,
      importMs: { p50: percentile(s.importMs, 50), p90: percentile(s.importMs, 90) },
      processMs: { p50: percentile(s.processMs, 50) },
    };
  });
  const floorNames = new Set(FLOORS.map(([name]) => name));
  return {
    hello: figures[0]!,
    bundles: figures.slice(1).filter((f) => !floorNames.has(f.name)),
    floors: figures.filter((f) => floorNames.has(f.name)),
  };
}
