/**
 * An export job: one STIX bundle of the shared indicators added or changed in a date range,
 * written to a file by a background worker (shared/use-cases/export-job.ts) in checkpointed parts.
 *
 * Phases, one queue message each (a WRITE per part of the file):
 *   COUNT     count the range (the denominator of `percent`) and open the multipart upload.
 *   WRITE     write the next part of the file from where the last one stopped (`afterKey`).
 *   COMPLETE  assemble the parts into the file.
 *   HASH      read the file back for its size and SHA-256; the job is READY.
 */
import * as z from 'zod/mini';
import { newReference, parseReference } from '../ids.ts';

export const EXPORT_PREFIX = 'EXP';
export const newExportId = (): string => newReference(EXPORT_PREFIX);
export const parseExportId = (typed: string): string | undefined => parseReference(EXPORT_PREFIX, typed);

export const exportStates = ['QUEUED', 'RUNNING', 'READY', 'FAILED'] as const;
export type ExportState = (typeof exportStates)[number];
export const exportPhases = ['COUNT', 'WRITE', 'COMPLETE', 'HASH', 'DONE'] as const;
export type ExportPhase = (typeof exportPhases)[number];

export interface ExportPartRecord {
  /** S3 part number, from 1. */
  readonly n: number;
  readonly etag: string;
}

export interface ExportJob {
  readonly exportId: string;
  /** The range, as full UTC instants; `to` is never later than `createdAt`. */
  readonly from: string;
  readonly to: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly state: ExportState;
  readonly phase: ExportPhase;
  /** The step the next message must carry: each finished step moves it on by one. */
  readonly step: number;
  /** Indicators in the range when the export was counted, and written so far. */
  readonly total: number;
  readonly written: number;
  /** Where the next part starts reading (`<dateAdded>#<id>` of the last indicator written). */
  readonly afterKey: string;
  readonly objectKey: string;
  readonly uploadId?: string;
  readonly parts: readonly ExportPartRecord[];
  /** Bytes written in the parts so far. */
  readonly bytes: number;
  readonly size?: number;
  readonly sha256?: string;
  readonly completedAt?: string;
  readonly error?: string;
}

/** What an admin sends to start an export (checked again, as dates, by parseRange). */
export const exportRequestSchema = z.object({
  from: z.string({ error: 'Enter the first day of the range, like 2026-05-01.' }).check(z.maxLength(30)),
  to: z.string({ error: 'Enter the last day of the range, like 2026-05-31.' }).check(z.maxLength(30)),
});

/** Whole percent written, never 100 before the file is ready (assembling and hashing remain). */
export function exportPercent(job: Pick<ExportJob, 'state' | 'written' | 'total'>): number {
  if (job.state === 'READY') return 100;
  if (job.total === 0) return 0;
  return Math.min(99, Math.floor((job.written / job.total) * 100));
}

export const exportFileName = (job: Pick<ExportJob, 'from' | 'to'>): string =>
  `restore-indicators-${job.from.slice(0, 10)}-to-${job.to.slice(0, 10)}.json`;
