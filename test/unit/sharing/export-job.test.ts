/**
 * The sharing export job with in-memory stores: one bundle for a whole range written in parts,
 * valid against the STIX 2.1 schemas and pattern grammar, resumed after a crash mid-file from the
 * last recorded part, duplicates and redeliveries recognised, a lost part failing the job.
 */

import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import { indicatorId } from '#shared/domain/sharing/stix.ts';
import type { SharingExportV1 } from '#shared/messages/sharing-export.ts';
import { type ExportJobDeps, getExport, runExportStep, startExport } from '#shared/use-cases/export-job.ts';
import { Fakes } from '#test/support/fakes.ts';
import { bundleProblems, newTally } from '#test/support/stix/validate.ts';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (n: number) => new Date(T0 + n * 60_000).toISOString();
const NOW = new Date('2026-06-01T12:00:00.000Z');

let world: Fakes;
let deps: ExportJobDeps;

function seed(count: number): void {
  for (let n = 0; n < count; n++) {
    const value = `+1202555${String(n).padStart(4, '0')}`;
    const id = indicatorId('phone', value);
    world.sharedIndicators.items.set(id, {
      id,
      type: 'phone',
      value,
      firstSeen: at(n),
      lastSeen: at(n),
      reportCount: 1 + (n % 5),
      lossByCurrency: { USD: 50_000 + n * 100 },
      categories: ['imposter-government'],
      created: at(n),
      modified: at(n),
      dateAdded: at(n),
    });
  }
}

/** Delivers queued messages until none is left, like the SQS consumer; returns the outcomes. */
async function drain(): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < 1_000; i++) {
    const message = world.exportQueue.sent.shift();
    if (!message) return outcomes;
    outcomes.push(await runExportStep(message, 1, deps));
  }
  throw new Error('the job never finished');
}

const fileOf = (exportId: string) => world.exportFiles.files.get(`exports/${exportId}/bundle.json`);

beforeEach(() => {
  world = new Fakes();
  deps = {
    jobs: world.exportJobs,
    files: world.exportFiles,
    queue: world.exportQueue,
    source: world.sharedIndicators,
    ctx: { agencyName: 'Example Attorney General', tlp: 'amber' },
    // Small parts: a few pages each, so the range spans many parts.
    partBytes: 200_000,
    now: () => NOW,
  };
});

describe('an export job', () => {
  it('writes ONE valid bundle of exactly the range, in several parts, with progress, size and SHA-256', async () => {
    seed(2_400);
    // The first and last 200 fall outside the range.
    const started = await startExport({ from: at(200), to: at(2_199) }, 'admin-1', deps);
    expect(started).toMatchObject({ state: 'QUEUED', progress: { written: 0, percent: 0 } });
    expect(world.exportQueue.sent).toEqual([
      { type: 'restore.sharing.export', version: 1, exportId: started.exportId, step: 0 },
    ]);

    const percents: number[] = [];
    for (let i = 0; i < 100 && world.exportQueue.sent.length > 0; i++) {
      await runExportStep(world.exportQueue.sent.shift()!, 1, deps);
      percents.push((await getExport(started.exportId, deps)).progress.percent);
    }
    const done = await getExport(started.exportId, deps);
    expect(done.state).toBe('READY');
    expect(done.progress).toEqual({ written: 2_000, total: 2_000, percent: 100 });
    // Progress moved through the file, never backwards, and reached 100 only when ready.
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThan(2);

    const job = world.exportJobs.items.get(started.exportId)!;
    expect(job.parts.length).toBeGreaterThan(3);
    expect(job.parts.map((p) => p.n)).toEqual(job.parts.map((_, i) => i + 1));

    const file = fileOf(started.exportId)!;
    expect(done.file).toMatchObject({
      size: file.byteLength,
      sha256: createHash('sha256').update(file).digest('hex'),
      fileName: 'restore-indicators-2026-03-01-to-2026-03-02.json',
      expiresAt: new Date(NOW.getTime() + 300_000).toISOString(),
    });
    const bundle = JSON.parse(file.toString('utf8'));
    const tally = newTally();
    expect(bundleProblems(bundle, tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(2_000);
    const ids = bundle.objects
      .filter((o: { type: string }) => o.type === 'indicator')
      .map((o: { id: string }) => o.id);
    expect(new Set(ids).size).toBe(2_000);
    expect(ids).toContain(indicatorId('phone', '+12025550200'));
    expect(ids).not.toContain(indicatorId('phone', '+12025550199'));
    expect(ids).not.toContain(indicatorId('phone', '+12025552200'));
  });

  it('an empty range gives a valid bundle of the reference objects only', async () => {
    seed(10);
    const started = await startExport({ from: '2025-01-01', to: '2025-01-31' }, 'admin-1', deps);
    await drain();
    const bundle = JSON.parse(fileOf(started.exportId)!.toString('utf8'));
    const tally = newTally();
    expect(bundleProblems(bundle, tally)).toEqual([]);
    expect(tally.byType['indicator']).toBeUndefined();
    expect((await getExport(started.exportId, deps)).progress).toEqual({
      written: 0,
      total: 0,
      percent: 100,
    });
  });

  it('resumes after a crash mid-file from the last recorded part: no indicator lost or written twice', async () => {
    seed(1_500);
    const started = await startExport({ from: at(0), to: at(1_499) }, 'admin-1', deps);
    // Count, part 1, part 2 run; then the worker dies while sending part 3.
    for (let i = 0; i < 3; i++) await runExportStep(world.exportQueue.sent.shift()!, 1, deps);
    const crashed = world.exportQueue.sent.shift()!;
    world.exportFiles.failOn('writePart', new Error('socket hang up'));
    await expect(runExportStep(crashed, 1, deps)).rejects.toThrow('socket hang up');
    expect(world.exportJobs.items.get(started.exportId)).toMatchObject({ step: 3, state: 'RUNNING' });
    world.exportFiles.reset();
    // SQS delivers the same message again.
    expect(await runExportStep(crashed, 2, deps)).toBe('done');
    await drain();
    const bundle = JSON.parse(fileOf(started.exportId)!.toString('utf8'));
    const tally = newTally();
    expect(bundleProblems(bundle, tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(1_500);
  });

  it('a step already done is not done again; its redelivery re-queues the next step once', async () => {
    seed(900);
    const started = await startExport({ from: at(0), to: at(899) }, 'admin-1', deps);
    const count: SharingExportV1 = world.exportQueue.sent.shift()!;
    // The worker records step 0 and dies before queueing step 1.
    world.exportQueue.failOn('send');
    await expect(runExportStep(count, 1, deps)).rejects.toThrow();
    world.exportQueue.reset();
    expect(world.exportQueue.sent).toEqual([]);
    expect(await runExportStep(count, 2, deps)).toBe('resent');
    expect(world.exportQueue.sent).toEqual([{ ...count, step: 1 }]);
    // A plain duplicate (first delivery of an old step) does nothing.
    expect(await runExportStep(count, 1, deps)).toBe('duplicate');
    expect(world.exportQueue.sent).toHaveLength(1);
    await drain();
    expect(await runExportStep({ ...count, step: 1 }, 1, deps)).toBe('finished');
    expect((await getExport(started.exportId, deps)).state).toBe('READY');
  });

  it('fails, saying what to do, when S3 cannot assemble the recorded parts', async () => {
    seed(900);
    const started = await startExport({ from: at(0), to: at(899) }, 'admin-1', deps);
    for (let i = 0; i < 10; i++) {
      const message = world.exportQueue.sent.shift()!;
      const job = world.exportJobs.items.get(started.exportId)!;
      if (job.phase === 'COMPLETE') {
        // A stray duplicate overwrote part 1 with other bytes after it was recorded.
        const upload = world.exportFiles.uploads.get(job.uploadId!)!;
        upload.parts.set(1, Buffer.from('{"type":"bundle"'));
      }
      if ((await runExportStep(message, 1, deps)) === 'finished') break;
    }
    const failed = await getExport(started.exportId, deps);
    expect(failed).toMatchObject({
      state: 'FAILED',
      error: expect.stringContaining('Start the export again'),
    });
    expect(failed.file).toBeUndefined();
  });

  it('refuses a malformed or backwards range, and an unknown id, with messages a person can act on', async () => {
    await expect(startExport({ from: '2026-13-01', to: '2026-01-01' }, 'a', deps)).rejects.toThrow(
      ValidationError,
    );
    await expect(startExport({ from: '2026-02-01', to: '2026-01-01' }, 'a', deps)).rejects.toThrow(
      'The end of the range is before its start.',
    );
    await expect(startExport({ from: '2026-02-01' }, 'a', deps)).rejects.toThrow(ValidationError);
    await expect(startExport({ from: '2027-01-01', to: '2027-02-01' }, 'a', deps)).rejects.toThrow(
      'The range starts in the future',
    );
    await expect(getExport('EXP-0000-0000-0000-0000', deps)).rejects.toThrow(NotFoundError);
    await expect(getExport('not an id', deps)).rejects.toThrow(NotFoundError);
    expect(world.exportQueue.sent).toEqual([]);
  });

  it('a range reaching into the future ends when the export starts: later changes go in the next one', async () => {
    const started = await startExport({ from: '2026-05-01', to: '2026-12-31' }, 'a', deps);
    expect(started.to).toBe(NOW.toISOString());
  });
});
