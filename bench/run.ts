/**
 * `npm run bench`: prints the figures the issues ask for. Benchmarks measure; they never fail a
 * build on timing (timing goals are compared and printed, not asserted).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchBundles, benchFirstUse } from './bundles.ts';
import { benchOperations } from './operations.ts';

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
    console.log('\n## Lambda bundles (as deployed; fresh-process import(), 20 runs each)\n');
    const { hello, bundles, floors } = await benchBundles();
    console.log(
      '| bundle | size | gzip | import p50 | import p90 | p50 / hello-world | process p50 | size <= 500 KB | import <= 10x |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    const row = (b: (typeof bundles)[number]) => {
      const ratio = b.importMs.p50 / hello.importMs.p50;
      const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
      console.log(
        `| ${b.name} | ${kb(b.bytes)} | ${kb(b.gzipBytes)} | ${ms(b.importMs.p50)} | ${ms(b.importMs.p90)} | ${ratio.toFixed(1)}x | ${ms(b.processMs.p50)} | ${met(b.bytes <= 500 * 1024)} | ${met(ratio <= 10)} |`,
      );
    };
    for (const b of [hello, ...bundles]) row(b);
    console.log(
      '\nMeasured in the same runs: bundles of the named libraries alone (bench/fixtures/floor-*.ts),',
    );
    console.log('set up as Restore sets them up. No function can import faster than its floor.\n');
    console.log(
      '| reference | size | gzip | import p50 | import p90 | p50 / hello-world | process p50 | size <= 500 KB | import <= 10x |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const b of floors) row(b);
    const first = await benchFirstUse();
    console.log(
      `\nPaid on first use, not at import (p50 of 20 fresh processes): public suffix list ${ms(first.publicSuffixes)} (first website or email), phone metadata ${ms(first.phoneMetadata)} (first phone number).`,
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
