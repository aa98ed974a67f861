/**
 * A reduced run of `npm run load` (one file per script: handlers keep the endpoints of the first
 * local runtime they see), with the same goals as the full run: nothing lost, doubled or answered wrongly under faults; no 5xx,
 * nothing accepted that should be refused and nothing malformed stored; every 202 enriched.
 * The full runs and their figures: docs/evidence.md.
 */
import { describe, expect, it } from 'vitest';
import { loadTable, runLoad } from '../../../scripts/load.ts';

describe('evidence, reduced', () => {
  it('load: every accepted report is stored and enriched', async () => {
    const [figures] = await runLoad({ levels: [5], seconds: 2, amount: 20, drainTimeoutMs: 60_000 });
    const table = loadTable(figures ? [figures] : []);
    expect(figures!.accepted, table).toBe(20);
    expect(figures!.byClass['5xx'], table).toBe(0);
    expect(figures!.notEnriched, table).toBe(0);
  }, 120_000);
});
