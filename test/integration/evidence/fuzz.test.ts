/**
 * A reduced run of `npm run fuzz` (one file per script: handlers keep the endpoints of the first
 * local runtime they see), with the same goals as the full run: nothing lost, doubled or answered wrongly under faults; no 5xx,
 * nothing accepted that should be refused and nothing malformed stored; every 202 enriched.
 * The full runs and their figures: docs/evidence.md.
 */
import { describe, expect, it } from 'vitest';
import { fuzzTable, runFuzz } from '../../../scripts/fuzz.ts';

describe('evidence, reduced', () => {
  it('fuzz: no 5xx, nothing wrongly accepted, nothing malformed stored', async () => {
    const figures = await runFuzz({ perRoute: 150, seed: Date.now() % 100_000 });
    const table = fuzzTable(figures);
    for (const route of figures.routes) {
      expect(route.requests, table).toBe(150);
      expect(route.serverErrors, `${table}\n${route.examples.join('\n')}`).toBe(0);
      expect(route.wronglyAccepted, `${table}\n${route.examples.join('\n')}`).toBe(0);
    }
    expect(figures.malformedStored, table).toBe(0);
    expect(figures.storedItems, table).toBeGreaterThan(0);
  }, 120_000);
});
