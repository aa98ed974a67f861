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

const PAGE = 500;
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

/** The whole bundle as JSON text chunks; `onProgress` after each page of indicators. */
export async function* bundleChunks(
  range: ExportRange,
  source: ExportSource,
  ctx: SharingContext,
  opts: { at: string; onProgress?: (progress: ExportProgress) => void },
): AsyncGenerator<string> {
  const total = await source.count(range);
  yield `{"type":"bundle","id":"${bundleId(range, opts.at)}","objects":[`;
  let first = true;
  for (const object of referenceObjects(ctx)) {
    yield `${first ? '' : ','}${JSON.stringify(object)}`;
    first = false;
  }
  let exported = 0;
  let afterKey = `${range.from}#`;
  for (;;) {
    const page = await source.page({ afterKey, until: range.to, limit: PAGE });
    if (page.items.length > 0) {
      // One chunk per page: fewer, larger writes, still bounded by the page size.
      yield page.items.map((s) => `,${JSON.stringify(indicatorObject(s, ctx))}`).join('');
      const last = page.items[page.items.length - 1] as SharedIndicatorVersion;
      afterKey = `${last.dateAdded}#${last.id}`;
      exported += page.items.length;
    }
    opts.onProgress?.({ exported, total: Math.max(total, exported) });
    if (!page.more) break;
  }
  yield ']}';
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
  const chunks: string[] = [`{"type":"bundle","id":"${bundleId(range, at, part)}","objects":[`];
  chunks.push(
    referenceObjects(ctx)
      .map((o) => JSON.stringify(o))
      .join(','),
  );
  let afterKey = state?.k ?? `${range.from}#`;
  let exported = state?.d ?? 0;
  let more = true;
  let inPart = 0;
  while (more && inPart < opts.maxIndicators) {
    const page = await source.page({
      afterKey,
      until: range.to,
      limit: Math.min(PAGE, opts.maxIndicators - inPart),
    });
    for (const s of page.items) chunks.push(`,${JSON.stringify(indicatorObject(s, ctx))}`);
    const last = page.items[page.items.length - 1];
    if (last) afterKey = `${last.dateAdded}#${last.id}`;
    inPart += page.items.length;
    exported += page.items.length;
    more = page.more;
  }
  chunks.push(']}');
  const next: PartCursor = { k: afterKey, d: exported, t: total, at, p: part + 1 };
  return {
    bundle: chunks.join(''),
    progress: { exported, total: Math.max(total, exported) },
    ...(more ? { cursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url') } : {}),
  };
}
