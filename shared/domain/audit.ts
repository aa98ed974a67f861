/**
 * The audit trail's record of one staff request (docs/api-contract.md, "Audit"): who (subject,
 * e-mail, roles), what (read or write, the route, the ids of what was touched), when, the request
 * id and the source address. A request that touched several subjects (a search page listing
 * twenty reports) becomes one entry per subject, so "who read report R" is one index lookup.
 */

export type AuditAction = 'read' | 'write';

export interface AuditActor {
  readonly sub: string;
  readonly email?: string;
  readonly roles: readonly string[];
  /** For machine clients (TAXII partners): the OAuth client id. */
  readonly clientId?: string;
}

export interface AuditEvent {
  readonly at: string;
  readonly requestId: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** `METHOD /path/{param}` from the route table. */
  readonly route: string;
  /** The concrete path requested. */
  readonly path: string;
  readonly sourceIp: string;
  readonly userAgent?: string;
  /** Ids of the reports, claims, pools, distributions or indicators touched; may be empty. */
  readonly subjectIds: readonly string[];
  /**
   * `result`: a second entry after a write succeeded, naming the ids in its answer (a new plan's
   * id is known only then). The write's own entry, written before it ran, has no phase.
   */
  readonly phase?: 'result';
  /** What a background job did, in a sentence (the payment file's checksum); never victim data. */
  readonly detail?: string;
}

export interface AuditEntry extends Omit<AuditEvent, 'subjectIds'> {
  /** The one subject this entry is about (absent when the request named none). */
  readonly subjectId?: string;
  /** Every subject of the request, so one entry tells the whole story. */
  readonly subjectIds: readonly string[];
}

/** A search page can list at most this many subjects; more would be a bug, not a page. */
export const MAX_SUBJECTS_PER_REQUEST = 100;

/** Field names whose values identify a subject in a request's path or a response body. */
const SUBJECT_FIELDS = [
  'reportId',
  'claimId',
  'poolId',
  'distributionId',
  'indicatorId',
  'exportId',
] as const;

/**
 * Ids found in a response body: the values of the subject fields at any depth up to 4 (a claim
 * lists its matched reports, a search page its items). Order kept, duplicates dropped.
 */
export function subjectIdsIn(body: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 4 || body === null || typeof body !== 'object') return found;
  // An indicator page names its identifier by type and normalised value (a bank account's value
  // is already its keyed hash, so no account number reaches the trail).
  const top = body as Record<string, unknown>;
  if (
    depth === 0 &&
    typeof top['type'] === 'string' &&
    typeof top['value'] === 'string' &&
    'reports' in top
  ) {
    found.push(`indicator:${top['type']}:${top['value']}`);
  }
  if (Array.isArray(body)) {
    for (const item of body) subjectIdsIn(item, found, depth + 1);
    return found;
  }
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && (SUBJECT_FIELDS as readonly string[]).includes(key)) {
      if (!found.includes(value) && found.length < MAX_SUBJECTS_PER_REQUEST) found.push(value);
    } else if (value !== null && typeof value === 'object') {
      subjectIdsIn(value, found, depth + 1);
    }
  }
  return found;
}

/** One entry per subject (or a single entry without one), all sharing the request's facts. */
export function entriesOf(event: AuditEvent): AuditEntry[] {
  const ids = [...new Set(event.subjectIds)].slice(0, MAX_SUBJECTS_PER_REQUEST);
  if (ids.length === 0) return [{ ...event, subjectIds: [] }];
  return ids.map((subjectId) => ({ ...event, subjectId, subjectIds: ids }));
}
