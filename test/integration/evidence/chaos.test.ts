/**
 * A reduced run of `npm run chaos` (one file per script: handlers keep the endpoints of the first
 * local runtime they see), with the same goals as the full run: nothing lost, doubled or answered wrongly under faults; no 5xx,
 * nothing accepted that should be refused and nothing malformed stored; every 202 enriched.
 * The full runs and their figures: docs/evidence.md.
 */
import { describe, expect, it } from 'vitest';
import { chaosTable, runChaos } from '../../../scripts/chaos.ts';

describe('evidence, reduced', () => {
  it('chaos: nothing lost, doubled or answered wrongly', async () => {
    const figures = await runChaos({ reports: 24, kills: 1, concurrency: 6 });
    const table = chaosTable(figures);
    expect(figures.faultsInjected + figures.kills, table).toBeGreaterThan(0);
    expect(figures.lost, table).toBe(0);
    expect(figures.doubled, table).toBe(0);
    expect(figures.wrongAnswers, table).toBe(0);
    expect(figures.idsPerKeyAbove1, table).toBe(0);
    expect(figures.accepted, table).toBe(figures.submitted);
  }, 180_000);
});
