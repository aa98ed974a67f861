/**
 * `npm run bench`: prints the figures the issues ask for. Benchmarks measure; they never fail a
 * build on timing (timing goals are compared and printed, not asserted).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchOperations } from './operations.ts';

/**
 * Before the libraries came back (main at d96dc6e): size and import() p50 from issue 2's closing
 * note, and the ratio to its floor that this bench measured on that tree (one run, 2026-12-06).
 */
const BEFORE: Record<string, { size: string; importP50: string; ratio: string }> = {
  intake: { size: '497.9 KB', importP50: '61.2 ms', ratio: '1.29x' },
  enrich: { size: '280.8 KB', importP50: '41.0 ms', ratio: '0.99x' },
  adminReports: { size: '400.3 KB', importP50: '48.0 ms', ratio: '1.10x' },
  adminIndicators: { size: '412.4 KB', importP50: '48.4 ms', ratio: '1.03x' },
  pools: { size: '257.3 KB', importP50: '38.9 ms', ratio: '1.32x' },
  claims: { size: '442.6 KB', importP50: '53.8 ms', ratio: '0.90x' },
  adminPools: { size: '434.4 KB', importP50: '54.5 ms', ratio: '1.18x' },
  adminClaims: { size: '291.3 KB', importP50: '45.2 ms', ratio: '1.00x' },
  adminDistributions: { size: '282.8 KB', importP50: '40.0 ms', ratio: '1.82x' },
  meta: { size: '120.7 KB', importP50: '28.5 ms', ratio: '2.38x' },
};

const SECTIONS = ['bundles', 'operations', 'web', 'site', 'status', 'distribution', 'matching'] as const;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    console.error(`Unknown section(s): ${unknown.join(', ')}. Choose from: ${SECTIONS.join(', ')}.`);
    process.exit(2);
  }
  if (only.length !== 1) {
    // Each section in a process of its own: sections start their own local AWS servers, and the
    // handlers' SDK clients (module singletons, as in Lambda) keep the endpoint they first saw.
    for (const section of only.length === 0 ? SECTIONS : only) {
      const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), section], {
        stdio: 'inherit',
      });
      if (res.status !== 0) process.exit(res.status ?? 1);
    }
    return;
  }
  const want = (name: string) => only.includes(name);

  if (want('bundles')) {
    const { benchColdStart, RATIO_GOAL, RUNS, SIZE_GOAL_BYTES } = await import('./bundles.ts');
    console.log(
      `\n## Lambda bundles: cold first response (fresh Node process: import the bundle as deployed, handle one request against local DynamoDB and SQS; p50 of ${RUNS})\n`,
    );
    console.log(
      'Floor: a bundle of only the libraries that function requires, set up the same way, replaying the AWS calls the function made (bench/fixtures/floor-*.ts), measured in the same run.\n',
    );
    console.log(
      `| function | request | status | size | gzip | first response p50 | p90 | floor | floor size | floor p50 | ratio | <= ${RATIO_GOAL}x floor | <= ${kb(SIZE_GOAL_BYTES)} | before: size, import p50, ratio |`,
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    for (const f of await benchColdStart()) {
      const ratio = f.p50 / f.floor.p50;
      const before = BEFORE[f.name];
      console.log(
        `| ${f.name} | ${f.request} | ${f.status} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} | ${ms(f.p50)} | ${ms(f.p90)} | ${f.floor.name} | ${kb(f.floor.bytes)} | ${ms(f.floor.p50)} | ${ratio.toFixed(2)}x | ${met(ratio <= RATIO_GOAL)} | ${met(f.bytes <= SIZE_GOAL_BYTES)} | ${before ? `${before.size}, ${before.importP50}, ${before.ratio}` : ''} |`,
      );
      console.log(`|   | AWS calls: ${f.calls.join(', ') || 'none'} |||||||||||||`);
    }
    console.log(
      '\nBefore (main at d96dc6e): packed public suffix list and phone metadata (unpacked on first use for another 7.2 ms and 5.5 ms, p50) and a hand-signed Secrets Manager client. Ratios move by about 0.3 between runs on a loaded machine; compare them within a run.',
    );
  }

  if (want('operations')) {
    console.log('\n## AWS requests and DynamoDB capacity per report (counted against local servers)\n');
    for (const f of await benchOperations()) {
      console.log(`${f.label} (${f.reports} synthetic FTC-distributed reports):`);
      for (const [op, n] of Object.entries(f.requestsPerReport)) console.log(`  ${op}: ${n}`);
      console.log(`  DynamoDB write units per report: ${f.writeUnitsPerReport}`);
      console.log(`  DynamoDB read units per report: ${f.readUnitsPerReport}`);
    }
  }

  if (want('web')) {
    const { benchWebSize } = await import('../web/bench-size.ts');
    console.log('\n## Website: compressed JS + CSS per public page (goal < 200 KB)\n');
    console.log('| page | JS gzip | CSS gzip | JS+CSS | fonts (loaded after text) |');
    console.log('|---|---|---|---|---|');
    for (const p of await benchWebSize()) {
      console.log(
        `| ${p.page} | ${kb(p.jsGzipBytes)} | ${kb(p.cssGzipBytes)} | ${kb(p.jsGzipBytes + p.cssGzipBytes)} | ${kb(p.fontBytes)} |`,
      );
    }
  }

  if (want('site')) {
    const { benchFirstQuestion, FIRST_QUESTION_GOAL_MS } = await import('./first-question.ts');
    console.log(
      '\n## Website on a slow phone: first question on screen (Slow 4G: 150 ms RTT, 1.6 Mbit/s; CPU 4x slower; empty cache; 5 runs)\n',
    );
    console.log(`| page | p50 | slowest | goal < ${FIRST_QUESTION_GOAL_MS} ms |`);
    console.log('|---|---|---|---|');
    for (const f of await benchFirstQuestion())
      console.log(
        `| ${f.page} | ${ms(f.p50)} | ${ms(f.max)} | ${f.max < FIRST_QUESTION_GOAL_MS ? 'met' : 'NOT met'} |`,
      );
  }

  if (want('status')) {
    const { benchStatusTiming } = await import('./status-timing.ts');
    console.log('\n## Claim status: unknown id vs wrong access code (local DynamoDB)\n');
    for (const f of await benchStatusTiming()) console.log(`${f.name}: ${f.value} ${f.unit}`);
  }

  if (want('distribution')) {
    const mod = (await import('./distribution.ts').catch(() => undefined)) as
      | { benchDistribution?: () => Promise<{ name: string; value: number; unit: string }[]> }
      | undefined;
    if (mod?.benchDistribution) {
      console.log('\n## Pro-rata distribution\n');
      for (const f of await mod.benchDistribution()) console.log(`${f.name}: ${f.value} ${f.unit}`);
    }
  }

  if (want('matching')) {
    const { benchMatching } = await import('./matching.ts');
    console.log('\n## Matching a pool through the identifier index (local DynamoDB, in memory)\n');
    for (const f of await benchMatching()) console.log(`${f.name}: ${f.value} ${f.unit}`);
  }
}

await main();
