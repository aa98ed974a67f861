/**
 * The audit trail of staff requests (shared/domain/audit.ts).
 *
 * record: append one entry per subject; any failure throws ServiceUnavailableError, so the staff
 *   request answers 503 and (for reads) nothing read is sent, (for writes) nothing is changed.
 * search: admins list entries by actor, subject id and time range, newest first, with cursors.
 */
import * as z from 'zod/mini';
import { type AuditEntry, type AuditEvent, entriesOf } from '../domain/audit.ts';
import { ServiceUnavailableError, ValidationError } from '../domain/errors.ts';
import type { Page } from '../domain/page.ts';
import { parseWith } from '../domain/validation.ts';

export interface AuditStore {
  append(entries: readonly AuditEntry[]): Promise<void>;
  search(q: {
    actor?: string;
    subjectId?: string;
    from: string;
    to: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<AuditEntry>>;
}

export async function recordAudit(event: AuditEvent, store: Pick<AuditStore, 'append'>): Promise<void> {
  try {
    await store.append(entriesOf(event));
  } catch (error) {
    throw new ServiceUnavailableError('The audit trail could not be written', { cause: error });
  }
}

/** Default window when no `from` is given: the last 90 days. */
const DEFAULT_WINDOW_MS = 90 * 86_400_000;
/** Longest window one listing may span (it reads one partition per month). */
const MAX_WINDOW_MS = 366 * 86_400_000;

const isoInstant = z.string().check(
  z.refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'Use a date like 2026-12-01 or a time like 2026-12-01T09:30:00Z.',
  }),
);

const querySchema = z.object({
  actor: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
  from: z.optional(isoInstant),
  to: z.optional(isoInstant),
  limit: z.optional(
    z.string().check(z.regex(/^([1-9]\d?|100)$/, { message: 'Use a whole number from 1 to 100.' })),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export async function searchAudit(
  raw: Record<string, string | undefined>,
  store: Pick<AuditStore, 'search'>,
  now: Date = new Date(),
): Promise<Page<AuditEntry>> {
  const q = parseWith(querySchema, raw);
  // A bare date means the whole day: from its first instant, to its last.
  const to = q.to ? (q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to) : now.toISOString();
  const from = q.from
    ? q.from.length === 10
      ? `${q.from}T00:00:00.000Z`
      : q.from
    : new Date(Date.parse(to) - DEFAULT_WINDOW_MS).toISOString();
  if (from > to) throw new ValidationError([{ path: 'from', message: 'Choose a start before the end.' }]);
  if (
    q.actor === undefined &&
    q.subjectId === undefined &&
    Date.parse(to) - Date.parse(from) > MAX_WINDOW_MS
  ) {
    throw new ValidationError([
      { path: 'from', message: 'List at most a year at a time, or search by person or record.' },
    ]);
  }
  return store.search({
    ...(q.actor !== undefined ? { actor: q.actor } : {}),
    ...(q.subjectId !== undefined ? { subjectId: q.subjectId } : {}),
    from,
    to,
    limit: q.limit === undefined ? 50 : Number(q.limit),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
  });
}
