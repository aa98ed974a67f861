/**
 * Use case: serve shared indicators to partner agencies as a read-only TAXII 2.1 API Root with
 * one collection, "indicators" (TAXII 2.1, sections 4 and 5).
 *
 * 1. Validate the query (`added_after`, `limit`, `next`, `match[type|id|version|spec_version]`);
 *    anything malformed is a TAXII error with status 400 and a sentence saying what to fix.
 * 2. Read one page of summaries in the order they were added or last changed, after the
 *    position `next` or `added_after` names, merged with the reference objects (creators,
 *    markings, extension definitions) that sort first.
 * 3. Build the STIX objects (or manifest records) and say whether more follow, with the
 *    `date_added` of the first and last for the X-TAXII-Date-Added-First/Last headers.
 * Nothing here depends on HTTP or DynamoDB: the handler maps the result, the source is injected.
 */
import { v5 as uuidv5 } from 'uuid';
import {
  indicatorObject,
  RESTORE_STIX_NAMESPACE,
  referenceObjects,
  type SharingContext,
  type StixObject,
} from '../domain/sharing/stix.ts';
import type { SharedIndicator } from '../domain/sharing/summary.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const API_ROOT_PATH = '/taxii2/restore/';
export const COLLECTION_ALIAS = 'indicators';
export const COLLECTION_ID = uuidv5('taxii-collection:indicators', RESTORE_STIX_NAMESPACE);
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1_000;
/** Largest response body the API Root promises (API Gateway's own limit is 10 MB). */
export const MAX_CONTENT_LENGTH = 6 * 1024 * 1024;

/** A summary as stored, with its STIX id and collection position. The repository satisfies it. */
export interface SharedIndicatorVersion extends SharedIndicator {
  readonly id: string;
  readonly dateAdded: string;
}

export interface SharedIndicatorSource {
  /** Summaries strictly after the position `afterKey` (`<date added>#<id>`), oldest first. */
  page(opts: {
    afterKey?: string;
    until?: string;
    limit: number;
  }): Promise<{ items: SharedIndicatorVersion[]; more: boolean }>;
  getMany(ids: readonly string[]): Promise<SharedIndicatorVersion[]>;
}

/** A TAXII error message resource (TAXII 2.1, 3.6.1); the handler sends it as is. */
export class TaxiiError extends Error {
  readonly httpStatus: number;
  readonly title: string;
  readonly description: string;
  constructor(httpStatus: number, title: string, description: string) {
    super(description);
    this.name = 'TaxiiError';
    this.httpStatus = httpStatus;
    this.title = title;
    this.description = description;
  }
  body(): Record<string, unknown> {
    return { title: this.title, description: this.description, http_status: String(this.httpStatus) };
  }
}

/**
 * TAXII 2.1 clients send `application/taxii+json;version=2.1` (or no version, meaning the
 * newest); anything else, including no Accept at all, is answered 406.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return version === undefined || version === 'version=2.1';
  });
}

const badRequest = (description: string) => new TaxiiError(400, 'Bad request', description);

// ---- Resources that do not depend on data ---------------------------------------------------------

export function discovery(baseUrl: string, ctx: SharingContext) {
  return {
    title: `${ctx.agencyName.trim()}: fraud indicators reported by residents`,
    description:
      'Scammer identifiers from fraud reports whose filers agreed to share them with law enforcement.',
    default: `${baseUrl}${API_ROOT_PATH}`,
    api_roots: [`${baseUrl}${API_ROOT_PATH}`],
  };
}

export function apiRoot(ctx: SharingContext) {
  return {
    title: `${ctx.agencyName.trim()} fraud indicators`,
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: MAX_CONTENT_LENGTH,
  };
}

function collectionResource(ctx: SharingContext) {
  return {
    id: COLLECTION_ID,
    title: 'Indicators',
    description: `One STIX indicator per phone number, e-mail address, website, wallet, bank-account token, payment handle or social account named in fraud reports to ${ctx.agencyName.trim()}, with the reference objects they cite.`,
    alias: COLLECTION_ALIAS,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

export const collections = (ctx: SharingContext) => ({ collections: [collectionResource(ctx)] });

/** The collection named by id or alias; 404 otherwise. */
export function collection(idOrAlias: string, ctx: SharingContext) {
  if (idOrAlias !== COLLECTION_ID && idOrAlias !== COLLECTION_ALIAS) {
    throw new TaxiiError(
      404,
      'Collection not found',
      `There is no collection "${idOrAlias}". GET ${API_ROOT_PATH}collections/ lists them.`,
    );
  }
  return collectionResource(ctx);
}

// ---- Query parameters ----------------------------------------------------------------------------

/** STIX/TAXII timestamp: RFC 3339 in UTC with a `Z`, optional fraction. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const STIX_ID =
  /^[a-z][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const MAX_MATCH_IDS = 100;

export interface ObjectsQuery {
  readonly afterKey?: string;
  readonly addedAfter?: string;
  readonly limit: number;
  readonly types?: ReadonlySet<string>;
  readonly ids?: readonly string[];
  /** 'last', 'first', 'all' or one version timestamp; every object here has a single version. */
  readonly version: string;
  readonly specVersions?: ReadonlySet<string>;
}

/** `2026-05-01T10:00:00Z` -> the millisecond form positions are stored in. */
function normaliseTimestamp(text: string, name: string): string {
  const ms = TIMESTAMP.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `${name} must be a timestamp like 2026-05-01T10:00:00.000Z (UTC, ending in Z); got "${text}".`,
    );
  }
  return new Date(ms).toISOString();
}

function list(text: string | undefined, name: string, pattern: RegExp): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.find((item) => !pattern.test(item));
  if (items.length === 0 || bad !== undefined) {
    throw badRequest(
      `${name} must be a comma-separated list of STIX ${name.includes('id') ? 'ids' : 'types'}; "${bad ?? ''}" is not one.`,
    );
  }
  return items;
}

const encodeNext = (position: string): string => Buffer.from(position, 'utf8').toString('base64url');

function decodeNext(next: string): string {
  const position = Buffer.from(next, 'base64url').toString('utf8');
  const [time, id] = position.split('#');
  if (!time || !id || !TIMESTAMP.test(time) || !STIX_ID.test(id)) {
    throw badRequest('next is not a value this server gave out. Start again without it.');
  }
  return position;
}

export function parseObjectsQuery(params: Readonly<Record<string, string | undefined>>): ObjectsQuery {
  const known = new Set([
    'added_after',
    'limit',
    'next',
    'match[type]',
    'match[id]',
    'match[version]',
    'match[spec_version]',
  ]);
  const unknown = Object.keys(params).find((k) => !known.has(k));
  if (unknown !== undefined) {
    throw badRequest(`Unknown query parameter "${unknown}". This endpoint takes ${[...known].join(', ')}.`);
  }
  let limit = DEFAULT_PAGE;
  if (params['limit'] !== undefined) {
    limit = Number(params['limit']);
    if (!/^\d{1,9}$/.test(params['limit']) || limit < 1) {
      throw badRequest(
        `limit must be a whole number of at least 1 (at most ${MAX_PAGE} are sent); got "${params['limit']}".`,
      );
    }
    limit = Math.min(limit, MAX_PAGE);
  }
  const addedAfter =
    params['added_after'] === undefined
      ? undefined
      : normaliseTimestamp(params['added_after'], 'added_after');
  const afterKey =
    params['next'] !== undefined
      ? decodeNext(params['next'])
      : addedAfter === undefined
        ? undefined
        : `${addedAfter}#~`;
  const version = params['match[version]'] ?? 'last';
  if (
    !['last', 'first', 'all'].includes(version) &&
    !version.split(',').every((v) => TIMESTAMP.test(v.trim()))
  ) {
    throw badRequest(`match[version] must be last, first, all or a timestamp; got "${version}".`);
  }
  const types = list(params['match[type]'], 'match[type]', STIX_TYPE);
  const ids = list(params['match[id]'], 'match[id]', STIX_ID);
  if (ids && ids.length > MAX_MATCH_IDS)
    throw badRequest(`match[id] takes at most ${MAX_MATCH_IDS} ids at once.`);
  const specVersions = list(params['match[spec_version]'], 'match[spec_version]', /^\d\.\d$/);
  return {
    limit,
    version,
    ...(afterKey === undefined ? {} : { afterKey }),
    ...(addedAfter === undefined ? {} : { addedAfter }),
    ...(types === undefined ? {} : { types: new Set(types) }),
    ...(ids === undefined ? {} : { ids }),
    ...(specVersions === undefined ? {} : { specVersions: new Set(specVersions) }),
  };
}

// ---- Listing -------------------------------------------------------------------------------------

interface Entry {
  readonly position: string;
  readonly dateAdded: string;
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly object: () => StixObject;
}

function referenceEntries(ctx: SharingContext): Entry[] {
  return referenceObjects(ctx).map((object) => {
    const version = String(object['modified'] ?? object['created']);
    const dateAdded = String(object['created']);
    return {
      position: `${dateAdded}#${object.id}`,
      dateAdded,
      id: object.id,
      type: object.type,
      version,
      object: () => object,
    };
  });
}

function indicatorEntry(shared: SharedIndicatorVersion, ctx: SharingContext): Entry {
  return {
    position: `${shared.dateAdded}#${shared.id}`,
    dateAdded: shared.dateAdded,
    id: shared.id,
    type: 'indicator',
    version: shared.modified,
    object: () => indicatorObject(shared, ctx),
  };
}

function versionMatches(entry: Entry, version: string): boolean {
  if (version === 'last' || version === 'first' || version === 'all') return true;
  return version.split(',').some((v) => Date.parse(v.trim()) === Date.parse(entry.version));
}

export interface EntryPage {
  readonly entries: readonly Entry[];
  readonly more: boolean;
}

async function entries(
  query: ObjectsQuery,
  source: SharedIndicatorSource,
  ctx: SharingContext,
): Promise<EntryPage> {
  const after = (e: Entry) => query.afterKey === undefined || e.position > query.afterKey;
  const wanted = (e: Entry) =>
    after(e) &&
    (query.types === undefined || query.types.has(e.type)) &&
    (query.specVersions === undefined || query.specVersions.has('2.1')) &&
    versionMatches(e, query.version);
  let candidates: Entry[];
  let more = false;
  if (query.ids !== undefined) {
    const ids = new Set(query.ids);
    const stored = await source.getMany(query.ids.filter((id) => id.startsWith('indicator--')));
    candidates = [
      ...referenceEntries(ctx).filter((e) => ids.has(e.id)),
      ...stored.map((s) => indicatorEntry(s, ctx)),
    ];
  } else {
    candidates = referenceEntries(ctx);
    if (query.types === undefined || query.types.has('indicator')) {
      const page = await source.page({
        ...(query.afterKey === undefined ? {} : { afterKey: query.afterKey }),
        limit: query.limit,
      });
      candidates.push(...page.items.map((s) => indicatorEntry(s, ctx)));
      more = page.more;
    }
  }
  const sorted = candidates
    .filter(wanted)
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return { entries: sorted.slice(0, query.limit), more: more || sorted.length > query.limit };
}

export interface ListResult<T> {
  /** The TAXII envelope (or manifest) body. */
  readonly body: Record<string, unknown> & { objects?: T[] };
  readonly dateAddedFirst?: string;
  readonly dateAddedLast?: string;
}

function envelope<T>(page: EntryPage, items: T[]): ListResult<T> {
  if (page.entries.length === 0) return { body: { more: false } };
  const last = page.entries[page.entries.length - 1] as Entry;
  return {
    body: { more: page.more, ...(page.more ? { next: encodeNext(last.position) } : {}), objects: items },
    dateAddedFirst: (page.entries[0] as Entry).dateAdded,
    dateAddedLast: last.dateAdded,
  };
}

export async function listObjects(
  collectionId: string,
  query: ObjectsQuery,
  source: SharedIndicatorSource,
  ctx: SharingContext,
): Promise<ListResult<StixObject>> {
  collection(collectionId, ctx);
  const page = await entries(query, source, ctx);
  return envelope(
    page,
    page.entries.map((e) => e.object()),
  );
}

export async function listManifest(
  collectionId: string,
  query: ObjectsQuery,
  source: SharedIndicatorSource,
  ctx: SharingContext,
): Promise<ListResult<Record<string, string>>> {
  collection(collectionId, ctx);
  const page = await entries(query, source, ctx);
  return envelope(
    page,
    page.entries.map((e) => ({
      id: e.id,
      date_added: e.dateAdded,
      version: e.version,
      media_type: STIX_MEDIA_TYPE,
    })),
  );
}

function objectQuery(objectId: string, query: ObjectsQuery): ObjectsQuery {
  if (!STIX_ID.test(objectId)) throw badRequest(`"${objectId}" is not a STIX id (type--UUID).`);
  if (query.ids !== undefined || query.types !== undefined) {
    throw badRequest('match[id] and match[type] are not used when the object id is in the path.');
  }
  return { ...query, ids: [objectId] };
}

export async function getObject(
  collectionId: string,
  objectId: string,
  query: ObjectsQuery,
  source: SharedIndicatorSource,
  ctx: SharingContext,
): Promise<ListResult<StixObject>> {
  const result = await listObjects(collectionId, objectQuery(objectId, query), source, ctx);
  if (!result.body.objects?.length && query.afterKey === undefined && query.version === 'last') {
    throw new TaxiiError(404, 'Object not found', `The collection holds no object with id ${objectId}.`);
  }
  return result;
}

export async function listVersions(
  collectionId: string,
  objectId: string,
  query: ObjectsQuery,
  source: SharedIndicatorSource,
  ctx: SharingContext,
): Promise<ListResult<never>> {
  collection(collectionId, ctx);
  const page = await entries(objectQuery(objectId, query), source, ctx);
  if (page.entries.length === 0 && query.afterKey === undefined) {
    throw new TaxiiError(404, 'Object not found', `The collection holds no object with id ${objectId}.`);
  }
  const result = envelope(page, []);
  return { ...result, body: { more: false, versions: page.entries.map((e) => e.version) } };
}
