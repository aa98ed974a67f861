/**
 * Use case: export shared indicators as one STIX 2.1 bundle, for a date range, streamed.
 *
 * 1. Validate the range (two timestamps, from <= to) and count what it holds, for progress.
 * 2. Write the bundle's opening and the reference objects (creators, markings, extensions).
 * 3. Read summaries added or changed in the range page by page (500 at a time) and write each
 *    indicator as it is built: memory stays flat however many the range holds.
 * 4. Report progress after every page; close the bundle.
 * `exportPart` does the same for one bounded part (the staff API's response size is capped),
 * with a cursor to the next part and the progress so far.
 */
import { v5 as uuidv5 } from 'uuid';
import { ValidationError } from '../domain/errors.ts';
import {
  indicatorObject,
  RESTORE_STIX_NAMESPACE,
  referenceObjects,
  type SharingContext,
} from '../domain/sharing/stix.ts';
import type { SharedIndicatorVersion } from './taxii.ts';

export interface ExportSource {
  page(opts: {
    afterKey?: string;
    until?: string;
    limit: number;
  }): Promise<{ items: SharedIndicatorVersion[]; more: boolean }>;
  count(opts: { from: string; to: string }): Promise<number>;
}

export interface ExportRange {
  readonly from: string;
  readonly to: string;
}

export interface ExportProgress {
  readonly exported: number;
  readonly total: number;
}

/** Summaries read per query page. */
export const PAGE = 500;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)?$/;

/** `2026-05-01` or a full UTC timestamp; a bare `to` date covers that whole day. */
export function parseRange(from: string | undefined, to: string | undefined): ExportRange {
  const problems: { path: string; message: string }[] = [];
  const parse = (text: string | undefined, name: 'from' | 'to'): string | undefined => {
    if (text === undefined || !TIMESTAMP.test(text) || Number.isNaN(Date.parse(text))) {
      problems.push({
        path: name,
        message: 'Give a date like 2026-05-01 or a UTC time like 2026-05-01T00:00:00Z.',
      });
      return undefined;
    }
    const full = text.length === 10 ? `${text}T${name === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : text;
    return new Date(Date.parse(full)).toISOString();
  };
  const range = { from: parse(from, 'from'), to: parse(to, 'to') };
  if (range.from && range.to && range.from > range.to) {
    problems.push({ path: 'to', message: 'The end of the range is before its start.' });
  }
  if (problems.length > 0 || !range.from || !range.to) throw new ValidationError(problems);
  return { from: range.from, to: range.to };
}

/** The bundle id: the same range exported at the same moment gives the same id. */
const bundleId = (range: ExportRange, at: string, part = 0) =>
  `bundle--${uuidv5(`bundle:${range.from}:${range.to}:${at}:${part}`, RESTORE_STIX_NAMESPACE)}`;

/** The bundle's opening and its reference objects (creators, markings, extensions). */
export function bundleOpening(range: ExportRange, ctx: SharingContext, at: string, part = 0): string {
  const references = referenceObjects(ctx)
    .map((o) => JSON.stringify(o))
    .join(',');
  return `{"type":"bundle","id":"${bundleId(range, at, part)}","objects":[${references}`;
}

/** A page of indicators as one chunk, each after a comma (the reference objects come first). */
export const indicatorsChunk = (items: readonly SharedIndicatorVersion[], ctx: SharingContext): string =>
  items.map((s) => `,${JSON.stringify(indicatorObject(s, ctx))}`).join('');

/** The read position after a page: the next page starts strictly after its last indicator. */
export const positionAfter = (last: SharedIndicatorVersion): string => `${last.dateAdded}#${last.id}`;

/** Where a range's first page starts: before every indicator added at `from`. */
export const rangeStart = (range: ExportRange): string => `${range.from}#`;

export const BUNDLE_CLOSE = ']}';

/** The whole bundle as JSON text chunks; `onProgress` after each page of indicators. */
export async function* bundleChunks(
  range: ExportRange,
  source: ExportSource,
  ctx: SharingContext,
  opts: { at: string; onProgress?: (progress: ExportProgress) => void },
): AsyncGenerator<string> {
  const total = await source.count(range);
  yield bundleOpening(range, ctx, opts.at);
  let exported = 0;
  let afterKey = rangeStart(range);
  for (;;) {
    const page = await source.page({ afterKey, until: range.to, limit: PAGE });
    const last = page.items.at(-1);
    if (last) {
      // One chunk per page: fewer, larger writes, still bounded by the page size.
      yield indicatorsChunk(page.items, ctx);
      afterKey = positionAfter(last);
      exported += page.items.length;
    }
    opts.onProgress?.({ exported, total: Math.max(total, exported) });
    if (!page.more) break;
  }
  yield BUNDLE_CLOSE;
}

export interface ExportPart {
  /** A complete STIX bundle: the reference objects and up to `maxIndicators` indicators. */
  readonly bundle: string;
  readonly progress: ExportProgress;
  /** Pass back as `cursor` for the next part; absent on the last one. */
  readonly cursor?: string;
}

interface PartCursor {
  readonly k: string;
  readonly d: number;
  readonly t: number;
  readonly at: string;
  readonly p: number;
}

function decodeCursor(cursor: string): PartCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<PartCursor>;
    if (
      typeof c.k === 'string' &&
      typeof c.d === 'number' &&
      typeof c.t === 'number' &&
      typeof c.at === 'string' &&
      typeof c.p === 'number'
    ) {
      return c as PartCursor;
    }
  } catch {
    // falls through to the error below
  }
  throw new ValidationError([
    { path: 'cursor', message: 'This export link is not valid. Start the export again.' },
  ]);
}

/** One part of a large export: the staff API answers in parts, each a bundle of its own. */
export async function exportPart(
  range: ExportRange,
  cursor: string | undefined,
  source: ExportSource,
  ctx: SharingContext,
  opts: { at: string; maxIndicators: number },
): Promise<ExportPart> {
  const state = cursor === undefined ? undefined : decodeCursor(cursor);
  const total = state?.t ?? (await source.count(range));
  const at = state?.at ?? opts.at;
  const part = state?.p ?? 0;
  const chunks: string[] = [bundleOpening(range, ctx, at, part)];
  let afterKey = state?.k ?? rangeStart(range);
  let exported = state?.d ?? 0;
  let more = true;
  let inPart = 0;
  while (more && inPart < opts.maxIndicators) {
    const page = await source.page({
      afterKey,
      until: range.to,
      limit: Math.min(PAGE, opts.maxIndicators - inPart),
    });
    chunks.push(indicatorsChunk(page.items, ctx));
    const last = page.items.at(-1);
    if (last) afterKey = positionAfter(last);
    inPart += page.items.length;
    exported += page.items.length;
    more = page.more;
  }
  chunks.push(BUNDLE_CLOSE);
  const next: PartCursor = { k: afterKey, d: exported, t: total, at, p: part + 1 };
  return {
    bundle: chunks.join(''),
    progress: { exported, total: Math.max(total, exported) },
    ...(more ? { cursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url') } : {}),
  };
}
