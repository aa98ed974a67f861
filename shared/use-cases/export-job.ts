/**
 * Use case: export the shared indicators of a date range as ONE STIX 2.1 bundle, written to a file
 * by a background job, for ranges of any size (the staff API cannot answer more than 6 MB).
 *
 * 1. `startExport`: check the range, store the job (QUEUED) and queue its first step; 202.
 * 2. `runExportStep`, one queue message per step (domain/sharing/export-job.ts lists the phases):
 *    count, then write the bundle part by part as an S3 multipart upload, each part built from
 *    whole pages of summaries (500 at a time) until it holds `partBytes`, so memory stays flat
 *    however many indicators the range holds; then assemble, then hash.
 * 3. `getExport`: state and progress; when READY, a short-lived download link, size and SHA-256.
 *
 * Why explicit multipart rather than a streaming upload helper: each written part is recorded on
 * the job (part number, ETag, read position) with one conditional write, so a worker that dies
 * mid-file is replaced by the redelivered message, which carries on from the last recorded part
 * instead of starting again; a streaming helper keeps its upload id and parts in memory only.
 *
 * Each step ends with one conditional write of the job from step k to k+1, then queues step k+1.
 * Run twice (SQS delivers at least once), a step writes the same part again and its second job
 * write fails its condition. A message for a step the job has passed is a duplicate and does
 * nothing, unless it is a redelivery of the step just done (the worker died between the job write
 * and the send), which queues the next step again. S3 checks every recorded ETag when the parts
 * are assembled, so a part overwritten by a stray duplicate fails the job rather than the file.
 */
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import {
  type ExportJob,
  type ExportPartRecord,
  exportFileName,
  exportPercent,
  exportRequestSchema,
  newExportId,
  parseExportId,
} from '../domain/sharing/export-job.ts';
import type { SharingContext } from '../domain/sharing/stix.ts';
import { parseWith } from '../domain/validation.ts';
import { SHARING_EXPORT, type SharingExportV1 } from '../messages/sharing-export.ts';
import {
  BUNDLE_CLOSE,
  bundleOpening,
  type ExportSource,
  indicatorsChunk,
  PAGE,
  parseRange,
  positionAfter,
  rangeStart,
} from './export-bundle.ts';

export interface ExportJobStore {
  create(job: ExportJob): Promise<void>;
  get(exportId: string): Promise<ExportJob | undefined>;
  /** Stores `next` only if the stored job still waits for step `expectedStep`; false otherwise. */
  advance(next: ExportJob, expectedStep: number): Promise<boolean>;
}

/** The export file: an S3 multipart upload under the data key, read back for its digest. */
export interface ExportFileStore {
  begin(key: string): Promise<string>;
  writePart(key: string, uploadId: string, n: number, body: Uint8Array): Promise<string>;
  /** 'lost': the upload is gone or a part does not match its ETag (the job cannot finish). */
  complete(key: string, uploadId: string, parts: readonly ExportPartRecord[]): Promise<'done' | 'lost'>;
  digest(key: string): Promise<{ size: number; sha256: string }>;
  downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
}

export interface ExportQueue {
  send(message: SharingExportV1): Promise<void>;
}

export interface ExportJobDeps {
  jobs: ExportJobStore;
  files: ExportFileStore;
  queue: ExportQueue;
  source: ExportSource;
  ctx: SharingContext;
  /** Bytes a part reaches before it is sent; S3 wants at least 5 MiB for all parts but the last. */
  partBytes?: number;
  /** Summaries read per query page (tests shrink it to make many parts of few indicators). */
  pageSize?: number;
  now?: () => Date;
  newId?: () => string;
}

/** ~7,000 indicators a part: one part is one step, well inside the worker's timeout. */
export const PART_BYTES = 8 * 1024 * 1024;
/** How long a download link works: long enough to start the download, short if it leaks. */
export const LINK_SECONDS = 300;
export const EXPORT_KEY_PREFIX = 'exports/';
export const exportObjectKey = (exportId: string): string => `${EXPORT_KEY_PREFIX}${exportId}/bundle.json`;

export type ExportStepOutcome = 'done' | 'duplicate' | 'resent' | 'finished';

export interface ExportView {
  readonly exportId: string;
  readonly state: ExportJob['state'];
  readonly from: string;
  readonly to: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly progress: { readonly written: number; readonly total: number; readonly percent: number };
  readonly file?: {
    readonly url: string;
    readonly expiresAt: string;
    readonly fileName: string;
    readonly size: number;
    readonly sha256: string;
  };
  readonly error?: string;
}

const message = (exportId: string, step: number): SharingExportV1 => ({
  type: SHARING_EXPORT,
  version: 1,
  exportId,
  step,
});

const clock = (deps: Pick<ExportJobDeps, 'now'>) => (deps.now ?? (() => new Date()))();

export async function startExport(
  body: unknown,
  createdBy: string,
  deps: ExportJobDeps,
): Promise<ExportView> {
  const request = parseWith(exportRequestSchema, body);
  const range = parseRange(request.from, request.to);
  const clockNow = clock(deps);
  const now = clockNow.toISOString();
  // The bundle holds what the range held when the export started: a later change is in the next.
  const to = new Date(Math.min(Date.parse(range.to), clockNow.getTime())).toISOString();
  if (range.from > to) {
    throw new ValidationError([
      { path: 'from', message: 'The range starts in the future: nothing is in it yet.' },
    ]);
  }
  const exportId = (deps.newId ?? newExportId)();
  const job: ExportJob = {
    exportId,
    from: range.from,
    to,
    createdBy,
    createdAt: now,
    updatedAt: now,
    state: 'QUEUED',
    phase: 'COUNT',
    step: 0,
    total: 0,
    written: 0,
    afterKey: rangeStart(range),
    objectKey: exportObjectKey(exportId),
    parts: [],
    bytes: 0,
  };
  await deps.jobs.create(job);
  await deps.queue.send(message(exportId, 0));
  return view(job);
}

export async function getExport(typedId: string, deps: ExportJobDeps): Promise<ExportView> {
  const exportId = parseExportId(typedId);
  const job = exportId === undefined ? undefined : await deps.jobs.get(exportId);
  if (!job) throw new NotFoundError('No export has this id. Start a new export.');
  if (job.state !== 'READY' || job.size === undefined || job.sha256 === undefined) return view(job);
  const fileName = exportFileName(job);
  const expiresAt = new Date(clock(deps).getTime() + LINK_SECONDS * 1000).toISOString();
  const url = await deps.files.downloadLink(job.objectKey, fileName, LINK_SECONDS);
  return view(job, { url, expiresAt, fileName, size: job.size, sha256: job.sha256 });
}

function view(job: ExportJob, file?: ExportView['file']): ExportView {
  return {
    exportId: job.exportId,
    state: job.state,
    from: job.from,
    to: job.to,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    progress: { written: job.written, total: Math.max(job.total, job.written), percent: exportPercent(job) },
    ...(file ? { file } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}

export async function runExportStep(
  msg: SharingExportV1,
  receiveCount: number,
  deps: ExportJobDeps,
): Promise<ExportStepOutcome> {
  const job = await deps.jobs.get(msg.exportId);
  if (!job) return 'duplicate';
  if (job.state === 'READY' || job.state === 'FAILED') return 'finished';
  if (job.step !== msg.step) {
    // The step just done, delivered again: its sender may have died before queueing the next.
    if (job.step === msg.step + 1 && receiveCount > 1) {
      await deps.queue.send(message(job.exportId, job.step));
      return 'resent';
    }
    return 'duplicate';
  }
  const updatedAt = clock(deps).toISOString();
  const next: ExportJob = { ...(await nextState(job, deps)), step: job.step + 1, updatedAt };
  if (!(await deps.jobs.advance(next, job.step))) return 'duplicate';
  if (next.state === 'READY' || next.state === 'FAILED') return 'finished';
  await deps.queue.send(message(job.exportId, next.step));
  return 'done';
}

async function nextState(job: ExportJob, deps: ExportJobDeps): Promise<ExportJob> {
  switch (job.phase) {
    case 'COUNT': {
      const total = await deps.source.count({ from: job.from, to: job.to });
      const uploadId = await deps.files.begin(job.objectKey);
      return { ...job, state: 'RUNNING', phase: 'WRITE', total, uploadId };
    }
    case 'WRITE': {
      const part = await buildPart(job, deps);
      const n = job.parts.length + 1;
      const etag = await deps.files.writePart(job.objectKey, job.uploadId ?? '', n, part.body);
      return {
        ...job,
        phase: part.last ? 'COMPLETE' : 'WRITE',
        parts: [...job.parts, { n, etag }],
        afterKey: part.afterKey,
        written: job.written + part.indicators,
        bytes: job.bytes + part.body.byteLength,
      };
    }
    case 'COMPLETE': {
      const outcome = await deps.files.complete(job.objectKey, job.uploadId ?? '', job.parts);
      if (outcome === 'lost') {
        return {
          ...job,
          state: 'FAILED',
          phase: 'DONE',
          error: 'The file could not be put together. Start the export again.',
        };
      }
      return { ...job, phase: 'HASH' };
    }
    case 'HASH': {
      const { size, sha256 } = await deps.files.digest(job.objectKey);
      return { ...job, state: 'READY', phase: 'DONE', size, sha256, completedAt: clock(deps).toISOString() };
    }
    case 'DONE':
      return job;
  }
}

/**
 * The next part of the file: whole pages of summaries until it holds `partBytes` or the range is
 * read. The first part opens the bundle; the part that reads the range's end closes it.
 */
async function buildPart(job: ExportJob, deps: ExportJobDeps) {
  const target = deps.partBytes ?? PART_BYTES;
  const range = { from: job.from, to: job.to };
  const chunks: string[] = job.parts.length === 0 ? [bundleOpening(range, deps.ctx, job.createdAt)] : [];
  let bytes = chunks[0]?.length ?? 0;
  let afterKey = job.afterKey;
  let indicators = 0;
  let more = true;
  while (more && bytes < target) {
    const page = await deps.source.page({ afterKey, until: job.to, limit: deps.pageSize ?? PAGE });
    const last = page.items.at(-1);
    if (last) {
      const chunk = indicatorsChunk(page.items, deps.ctx);
      chunks.push(chunk);
      bytes += chunk.length;
      afterKey = positionAfter(last);
      indicators += page.items.length;
    }
    more = page.more;
  }
  if (!more) chunks.push(BUNDLE_CLOSE);
  return { body: Buffer.from(chunks.join(''), 'utf8'), afterKey, indicators, last: !more };
}
