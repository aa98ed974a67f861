/**
 * The served contract (GET /openapi.json), built by zod-openapi from the zod schemas that validate
 * requests (shared/domain) and describe answers (./schemas.ts), and from the route table, so the
 * document cannot drift from what the API accepts. Every route in functions/routes.ts must be
 * declared in `operations` (building the document throws otherwise); the answers every route can
 * give whatever it does (gateway 401/429/500, 413/415 for bodies, 503) are added by `standard`.
 *
 * Adding a route: declare it in `operations` (tag, summary, description, path/query/header
 * parameters as zod objects, the body schema, every status it answers with its schema, media type
 * and headers); name a new answer shape in schemas.ts; then `npm run docs:api`. Every integration
 * and e2e answer is checked against this document (test/support/contract.ts).
 */
import * as z from 'zod/mini';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { claimStatuses } from '#shared/domain/claim-schema.ts';
import { categories } from '#shared/domain/enums.ts';
import { indicatorTypes } from '#shared/domain/indicators/types.ts';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from '#shared/use-cases/taxii.ts';
import { type RouteDefinition, routes, TAXII_READ_SCOPE } from '../routes.ts';
import * as s from './schemas.ts';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

type Tag =
  | 'Reports'
  | 'Indicators'
  | 'Pools'
  | 'Claims'
  | 'Review'
  | 'Distributions'
  | 'Sharing'
  | 'Helpline'
  | 'Dashboard'
  | 'Audit'
  | 'TAXII'
  | 'Service';
type HeaderName = keyof typeof headers;

interface ResponseSpec {
  readonly description: string;
  /** An answer body; a `problem` is sent as application/problem+json. */
  readonly schema?: z.ZodMiniType;
  readonly mediaType?: string;
  readonly headers?: readonly HeaderName[];
  /** API Gateway may answer this status itself, with `{"message": ...}` as application/json. */
  readonly gateway?: boolean;
}

interface OperationSpec {
  readonly tag: Tag;
  readonly summary: string;
  readonly description: string;
  readonly path?: z.ZodMiniObject;
  readonly query?: z.ZodMiniObject;
  readonly headers?: z.ZodMiniObject;
  readonly body?: z.ZodMiniType;
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  /** A TAXII 2.1 endpoint: its own media type and error message resource instead of problems. */
  readonly taxii?: true;
}

const describe = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  z.globalRegistry.add(schema, { description });
  return schema;
};

const problem = (description: string, headerNames?: readonly HeaderName[]): ResponseSpec => ({
  description,
  schema: s.problem,
  ...(headerNames ? { headers: headerNames } : {}),
});

/** A TAXII error message resource (TAXII 2.1 section 3.6.1), sent as application/taxii+json. */
const taxiiError = (description: string): ResponseSpec => ({
  description,
  schema: s.taxiiError,
  mediaType: TAXII_MEDIA_TYPE,
});

const taxii = (description: string, schema: z.ZodMiniType, dated = false): ResponseSpec => ({
  description,
  schema,
  mediaType: TAXII_MEDIA_TYPE,
  ...(dated ? { headers: ['X-TAXII-Date-Added-First', 'X-TAXII-Date-Added-Last'] as const } : {}),
});

// --- Parameters -------------------------------------------------------------------------------

const id = (what: string, example: string) =>
  describe(z.string().check(z.minLength(1), z.maxLength(60)), `${what}, like ${example}`);
const cursor = (what = 'The `cursor` of the previous page; leave out for the first page') =>
  describe(z.optional(z.string().check(z.minLength(1), z.maxLength(2000))), what);
const limit = (max: number, byDefault: number) =>
  describe(
    z.optional(z.int().check(z.gte(1), z.lte(max))),
    `How many items per page, 1 to ${max} (default ${byDefault})`,
  );
const poolIdParam = z.object({ poolId: id('Pool id', 'POOL-7K3M-9QXD-2HFA-8WN4') });
const planParams = z.object({
  poolId: id('Pool id', 'POOL-7K3M-9QXD-2HFA-8WN4'),
  distributionId: id('Plan id', 'DIST-7K3M-9QXD-2HFA-8WN4'),
});
const ifNoneMatch = z.object({
  'If-None-Match': describe(
    z.optional(z.string().check(z.maxLength(1000))),
    'An ETag from an earlier answer: 304 with no body when nothing changed',
  ),
});

const taxiiCollectionParam = z.object({
  collectionId: describe(
    z.string().check(z.minLength(1), z.maxLength(100)),
    'The collection id (a UUID) or its alias, `indicators`',
  ),
});
const taxiiObjectParams = z.object({
  ...taxiiCollectionParam.shape,
  objectId: describe(z.string().check(z.minLength(1), z.maxLength(300)), 'A STIX id, type--UUID'),
});
const taxiiTimestamp = (what: string) =>
  describe(
    z.optional(z.string().check(z.maxLength(40))),
    `${what}: a timestamp like 2026-05-01T10:00:00.000Z`,
  );
const taxiiObjectQuery = z.object({
  added_after: taxiiTimestamp('Only objects added after this'),
  limit: describe(
    z.optional(z.int().check(z.gte(1), z.lte(1000))),
    'Objects per page, 1 to 1000 (default 100)',
  ),
  next: describe(z.optional(z.string().check(z.maxLength(2000))), 'The `next` of the previous page'),
  'match[version]': describe(
    z.optional(z.string().check(z.maxLength(2000))),
    '`last` (default), `first`, `all`, or comma-separated version timestamps',
  ),
  'match[spec_version]': describe(
    z.optional(z.string().check(z.maxLength(100))),
    'Comma-separated STIX versions, like 2.1',
  ),
});
const taxiiListQuery = z.object({
  ...taxiiObjectQuery.shape,
  'match[type]': describe(
    z.optional(z.string().check(z.maxLength(2000))),
    'Comma-separated STIX types, like indicator',
  ),
  'match[id]': describe(
    z.optional(z.string().check(z.maxLength(10000))),
    'Comma-separated STIX ids (at most 100)',
  ),
});

// --- Response headers (components.headers) ---------------------------------------------------

const headers = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
  },
  ETag: {
    description: 'Validator of this answer: send it back in If-None-Match',
    schema: { type: 'string', pattern: '^"[^"]+"$' },
  },
  'Cache-Control': {
    description: 'Public answers may be cached for a minute; everything else is no-store',
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description: 'RFC 6750: `Bearer` or `Bearer error="invalid_token"`',
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description: 'attachment; filename="payments-<plan id>.csv"',
    schema: { type: 'string' },
  },
  Location: {
    description: 'The address of what was created',
    schema: { type: 'string', format: 'uri-reference' },
  },
  'X-Checksum-SHA256': {
    description: "Hex SHA-256 of the file's bytes, as recorded on the plan and in the audit trail",
    schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
  'X-TAXII-Date-Added-First': {
    description: 'TAXII 2.1: the date_added of the first object in this page',
    schema: { type: 'string', format: 'date-time' },
  },
  'X-TAXII-Date-Added-Last': {
    description: 'TAXII 2.1: the date_added of the last object in this page (send it as added_after)',
    schema: { type: 'string', format: 'date-time' },
  },
  'Restore-Export-Total': {
    description: 'How many indicators the whole range holds',
    schema: { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  },
  'Restore-Export-Exported': {
    description: 'How many indicators this part and the parts before it hold',
    schema: { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  },
  'Restore-Export-Next': {
    description: 'The cursor of the next part; absent on the last part',
    schema: { type: 'string' },
  },
} as const;
const headerComponentName = (name: string) => name.replaceAll('-', '');

// --- Operations -------------------------------------------------------------------------------

const idempotencyKey = z.object({
  'Idempotency-Key': describe(
    z.optional(z.string().check(z.maxLength(255), z.regex(/^[\x21-\x7e]{8,255}$/))),
    'Any 8 to 255 visible characters, such as a UUID: a retry with the same key and body answers the same and stores nothing twice',
  ),
});

export const operations: Readonly<Record<string, OperationSpec>> = {
  'GET /health': {
    tag: 'Service',
    summary: 'Liveness',
    description: 'Answers 200 when the API can take reports.',
    responses: { '200': { description: 'The API is up', schema: s.health } },
  },
  'GET /openapi.json': {
    tag: 'Service',
    summary: 'This contract',
    description:
      'The OpenAPI 3.1 document, generated from the schemas that validate requests. Cached for a minute; revalidate with If-None-Match.',
    headers: ifNoneMatch,
    responses: {
      '200': {
        description: 'The OpenAPI document',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
        headers: ['ETag', 'Cache-Control'],
      },
      '304': { description: 'Unchanged since the ETag sent', headers: ['ETag', 'Cache-Control'] },
    },
  },
  'POST /v1/reports': {
    tag: 'Reports',
    summary: 'File a fraud report',
    description:
      'Validates and queues a report and answers with its reference number. Anonymous reports are allowed. Send an Idempotency-Key so a retry after a timeout never files twice.',
    headers: idempotencyKey,
    body: s.namedSchemas.ReportInput,
    responses: {
      '202': { description: 'Report received and queued', schema: s.acceptedReport },
      '400': problem(
        'The report has problems (`errors` points at each), the body is not JSON, or the Idempotency-Key is malformed',
      ),
      '409': problem('A request with this Idempotency-Key is still in progress', ['Retry-After']),
      '422': problem('This Idempotency-Key was used for a different report'),
    },
  },
  'POST /v1/admin/assisted/reports': {
    tag: 'Helpline',
    summary: 'File a report for a caller',
    description:
      'Staff at the helpline file a report for a caller: the same checks and answer as POST /v1/reports, and the report is marked staff-assisted with who filed it. Send an Idempotency-Key so a retry never files twice.',
    headers: idempotencyKey,
    body: s.namedSchemas.ReportInput,
    responses: {
      '202': { description: 'Report received and queued', schema: s.acceptedReport },
      '400': problem(
        'The report has problems (`errors` points at each), the body is not JSON, or the Idempotency-Key is malformed',
      ),
      '409': problem('A request with this Idempotency-Key is still in progress', ['Retry-After']),
      '422': problem('This Idempotency-Key was used for a different report'),
    },
  },
  'GET /v1/admin/reports': {
    tag: 'Reports',
    summary: 'Search reports',
    description:
      'Reports by identifier, category and received date, newest first, a page at a time. Without `from`, the year before `to`.',
    query: z.object({
      indicator: describe(
        z.optional(z.string().check(z.maxLength(2100), z.regex(/^[a-z-]+:.+$/))),
        'TYPE:VALUE, for example phone:+12025550143',
      ),
      category: z.optional(z.enum(categories)),
      from: describe(
        z.optional(z.string().check(z.maxLength(30))),
        'A date (2026-10-01) or instant (2026-10-01T00:00:00Z)',
      ),
      to: describe(z.optional(z.string().check(z.maxLength(30))), 'A date or instant (default: now)'),
      limit: limit(100, 25),
      cursor: cursor(),
    }),
    responses: { '200': { description: 'A page of reports', schema: s.reportPage } },
  },
  'GET /v1/admin/reports/{reportId}': {
    tag: 'Reports',
    summary: 'One report',
    description: 'A stored report with its normalised indicators and enrichment status.',
    path: z.object({ reportId: id('Reference number', 'RPT-7K3M-9QXD-2HFA-8WN4') }),
    responses: { '200': { description: 'The report', schema: s.reportView } },
  },
  'GET /v1/admin/indicators/{type}/{value}': {
    tag: 'Indicators',
    summary: 'One scammer identifier',
    description:
      'Every report, claim and pool linked to one identifier, reports and claims a page at a time. The summary counts every linked report, not only this page.',
    path: z.object({
      type: z.enum(indicatorTypes),
      value: describe(
        z.string().check(z.minLength(1), z.maxLength(400)),
        'Any spelling; normalised like a report',
      ),
    }),
    query: z.object({
      limit: limit(500, 100),
      cursor: cursor(),
      claimsCursor: cursor('The `claimsCursor` of the previous page: the next page of linked claims'),
    }),
    responses: { '200': { description: 'The identifier and what is linked to it', schema: s.indicatorView } },
  },
  'GET /v1/pools': {
    tag: 'Pools',
    summary: 'Programmes open for claims',
    description:
      'The restoration programmes taking claims, soonest deadline first. Public and cached for a minute; revalidate with If-None-Match.',
    headers: ifNoneMatch,
    responses: {
      '200': { description: 'Open pools', schema: s.publicPoolList, headers: ['ETag', 'Cache-Control'] },
      '304': { description: 'Unchanged since the ETag sent', headers: ['ETag', 'Cache-Control'] },
    },
  },
  'POST /v1/claims': {
    tag: 'Claims',
    summary: 'File a restitution claim',
    description:
      'A sworn claim against a programme (or none yet). The access code is shown once and stored only as a hash: keep it with the claim id.',
    body: s.namedSchemas.ClaimInput,
    responses: {
      '201': { description: 'Claim filed', schema: s.filedClaim },
      '400': problem('The claim has problems; `errors` points at each'),
      '409': problem('The programme no longer takes claims (POOL_CLOSED)'),
      '429': problem('Too many wrong invitation codes from this client', ['Retry-After']),
    },
  },
  'POST /v1/admin/assisted/claims': {
    tag: 'Helpline',
    summary: 'File a claim for a caller',
    description:
      'Staff at the helpline file a claim for a caller: the same checks and answer as POST /v1/claims, and the claim is marked staff-assisted with who filed it. The access code is for reading out to the caller; it is shown once.',
    body: s.namedSchemas.ClaimInput,
    responses: {
      '201': { description: 'Claim filed', schema: s.filedClaim },
      '400': problem('The claim has problems; `errors` points at each'),
      '409': problem('The programme no longer takes claims (POOL_CLOSED)'),
      '429': problem('Too many wrong invitation codes from this client', ['Retry-After']),
    },
  },
  'POST /v1/claims/status': {
    tag: 'Claims',
    summary: "A claim's status",
    description:
      'Status, dated timeline, recognised loss and payout, with the claim id and access code. An unknown id and a wrong code get the same 404; repeated failures are refused for a while.',
    body: s.namedSchemas.ClaimAccess,
    responses: {
      '200': { description: 'The claim as its claimant sees it', schema: s.claimStatusView },
      '400': problem('Missing or malformed fields'),
      '404': problem('No claim with this id and code'),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'POST /v1/claims/reconsideration': {
    tag: 'Claims',
    summary: 'Ask for reconsideration',
    description: 'Within 30 days of a denial, ask for the claim to be looked at again.',
    body: s.namedSchemas.ReconsiderationRequest,
    responses: {
      '200': { description: 'Recorded; the claim is RECONSIDERATION_REQUESTED', schema: s.claimStatusView },
      '400': problem('Missing or malformed fields'),
      '404': problem('No claim with this id and code'),
      '409': problem('The claim is not denied, or the window has closed'),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'POST /v1/claims/payment-details': {
    tag: 'Claims',
    summary: 'New payment details',
    description:
      'How to pay a returned payment now (a check to a new mailing address, or a direct deposit: ABA routing number and a 4-17 digit account number, kept only as a keyed token and its last 4 digits), with the claim id and access code; it is reissued in the next payment file.',
    body: s.namedSchemas.PaymentDetailsRequest,
    responses: {
      '200': { description: 'Recorded', schema: s.claimStatusView },
      '400': problem('Missing or malformed fields'),
      '404': problem('No claim with this id and code'),
      '409': problem('The claim has no returned payment (NO_RETURNED_PAYMENT)'),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'POST /v1/invitations/verify': {
    tag: 'Claims',
    summary: 'Check an invitation to claim',
    description:
      'Whether a letter inviting someone to claim is genuine, with its programme, deadline and a masked pre-fill. Filing a claim never costs a fee.',
    body: s.namedSchemas.InvitationCode,
    responses: {
      '200': { description: 'The invitation is genuine', schema: s.verifiedInvitation },
      '400': problem('No code was sent'),
      '404': problem('No invitation has this code: it may be a recovery scam'),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'GET /v1/admin/pools': {
    tag: 'Pools',
    summary: 'Every pool',
    description: 'Open and closed pools with their seized identifiers.',
    responses: { '200': { description: 'Pools', schema: s.poolList } },
  },
  'POST /v1/admin/pools': {
    tag: 'Pools',
    summary: 'Create a pool',
    description:
      'Creates a pool and at once matches it against stored reports and claims. Seized identifiers are normalised like reports.',
    body: s.namedSchemas.PoolInput,
    responses: {
      '201': {
        description: 'The pool, with what matching found',
        schema: s.poolView,
        headers: ['Location'],
      },
      '400': problem('Bad fields; `errors` points at each'),
    },
  },
  'GET /v1/admin/pools/{poolId}': {
    tag: 'Pools',
    summary: 'One pool',
    description: 'A pool with its seized identifiers and status.',
    path: poolIdParam,
    responses: { '200': { description: 'The pool', schema: s.poolView } },
  },
  'PATCH /v1/admin/pools/{poolId}': {
    tag: 'Pools',
    summary: 'Edit a pool',
    description:
      'Edits a pool and re-matches it, removing matches of identifiers taken off the list. Send the `version` you read.',
    path: poolIdParam,
    body: s.namedSchemas.PoolPatch,
    responses: {
      '200': { description: 'The edited pool and what matching did', schema: s.poolView },
      '400': problem('Bad fields'),
      '409': problem('Changed meanwhile (POOL_CHANGED), or money locked by an approved plan (POOL_LOCKED)'),
    },
  },
  'GET /v1/admin/pools/{poolId}/matches': {
    tag: 'Pools',
    summary: "A pool's matches",
    description:
      "Claims and consenting reports whose payments went to the pool's seized identifiers, a page at a time.",
    path: poolIdParam,
    query: z.object({
      kind: describe(
        z.optional(z.enum(['claims', 'reports'])),
        'Which list the cursor pages (required with it)',
      ),
      limit: limit(1000, 500),
      cursor: cursor(),
    }),
    responses: {
      '200': { description: 'Matches', schema: s.poolMatches },
      '400': problem('Bad query'),
    },
  },
  'POST /v1/admin/pools/{poolId}/matches/refresh': {
    tag: 'Pools',
    summary: 'Re-run matching',
    description: 'Matches the pool again against every stored report and claim. Safe to repeat.',
    path: poolIdParam,
    responses: { '200': { description: 'What matching did', schema: s.matchingResult } },
  },
  'GET /v1/admin/claims': {
    tag: 'Review',
    summary: 'The review queue',
    description: 'Claims by pool (`none` for no pool) and status, oldest first, a page at a time.',
    query: z.object({
      poolId: describe(z.optional(z.string().check(z.maxLength(60))), 'A pool id, or `none`'),
      status: z.optional(z.enum(claimStatuses)),
      limit: limit(100, 50),
      cursor: cursor(),
    }),
    responses: { '200': { description: 'A page of claims', schema: s.staffClaimPage } },
  },
  'GET /v1/admin/claims/{claimId}': {
    tag: 'Review',
    summary: 'One claim',
    description: 'A claim with its pre-filled recognised loss, decisions and matched pools.',
    path: z.object({ claimId: id('Claim id', 'CLM-7K3M-9QXD-2HFA-8WN4') }),
    responses: { '200': { description: 'The claim', schema: s.staffClaim } },
  },
  'POST /v1/admin/claims/{claimId}/decision': {
    tag: 'Review',
    summary: 'Decide a claim',
    description:
      'Begin review, approve with a recognised loss, deny with a reason, or ask the claimant for information.',
    path: z.object({ claimId: id('Claim id', 'CLM-7K3M-9QXD-2HFA-8WN4') }),
    body: s.namedSchemas.ClaimDecision,
    responses: {
      '200': { description: 'The claim after the decision', schema: s.staffClaim },
      '400': problem('Bad decision, or a recognised loss above what was paid minus recoveries'),
      '409': {
        description:
          'Wrong state (WRONG_CLAIM_STATE), changed meanwhile (CLAIM_CHANGED) or in an approved plan (CLAIM_LOCKED). When another reviewer decided first, `decided` says what they decided, by whom and when; nothing was overwritten',
        schema: s.decisionConflict,
        mediaType: PROBLEM_MEDIA_TYPE,
      },
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions': {
    tag: 'Distributions',
    summary: 'Start a distribution plan',
    description:
      "Starts computing a pro-rata plan over the pool's approved claims still short of their loss, as a background job. Follow it with GET.",
    path: poolIdParam,
    responses: {
      '202': { description: 'The plan (COMPUTING) and its job', schema: s.distributionPlan },
      '409': problem("The pool's last approved plan is not released yet (POOL_ALREADY_DISTRIBUTED)"),
    },
  },
  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}': {
    tag: 'Distributions',
    summary: 'One plan',
    description: 'A plan: its job while COMPUTING, then its payouts and exclusions, each a page at a time.',
    path: planParams,
    query: z.object({
      cursor: cursor('The `payoutsCursor` of the previous page'),
      excludedCursor: cursor('The `excludedCursor` of the previous page'),
      limit: limit(1000, 1000),
    }),
    responses: { '200': { description: 'The plan', schema: s.distributionPlan } },
  },
  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/approve': {
    tag: 'Distributions',
    summary: 'Approve a plan',
    description:
      'Signs off the plan. The sign-off that completes the approvals (admins other than its creator) locks the pool, approves the plan and queues the job that moves its claims to PAYMENT_SCHEDULED (202); follow `scheduling` with GET. Sent again while that job runs, it queues the step the job waits for.',
    path: planParams,
    responses: {
      '200': { description: 'Signed; still PLANNED, with approvalsMissing', schema: s.signOffResult },
      '202': { description: 'Approved; the scheduling job is queued', schema: s.signOffResult },
      '403': problem(
        "The plan's creator or the pool amount's last changer: a second admin must approve (SECOND_ADMIN_REQUIRED)",
      ),
      '409': problem(
        'Still computing (PLAN_NOT_READY), failed, already approved (ALREADY_APPROVED), signed already (ALREADY_SIGNED), stale (STALE_PLAN) or another plan holds the pool',
      ),
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/release': {
    tag: 'Distributions',
    summary: 'Release the payment file',
    description:
      'Signs off the release of the payment file; needs admins other than the creator, like approval. The sign-off that completes it queues the job that writes the file to S3 once (202); follow `paymentFile` with GET.',
    path: planParams,
    responses: {
      '200': {
        description: 'Signed; still APPROVED, with releaseApprovalsMissing',
        schema: s.signOffResult,
      },
      '202': { description: 'Released; the payment file job is queued', schema: s.signOffResult },
      '403': problem("The plan's creator: a second admin must release (SECOND_ADMIN_REQUIRED)"),
      '409': problem(
        'Not approved yet, or its payments still being scheduled (PLAN_NOT_APPROVED), or already released (ALREADY_RELEASED)',
      ),
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results/uploads': {
    tag: 'Distributions',
    summary: 'Upload a results file of any size',
    description:
      'A pre-signed POST for one results file (text/csv, up to `maxBytes`) straight to S3. Post the form `fields`, then the file as `file`, to `url`; then send `{"uploadId"}` to payment-results.',
    path: planParams,
    responses: {
      '201': { description: 'An upload slot', schema: s.resultsUploadSlot },
      '409': problem('Not released (PLAN_NOT_RELEASED), or another file is being applied (RESULTS_BUSY)'),
    },
  },
  'POST /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results': {
    tag: 'Distributions',
    summary: "Record the bank's payment results",
    description:
      'The bank\'s results (claim_id, amount, status PAID/RETURNED/VOID, date, payment_reference); all or nothing. Either the file itself as text/csv (up to 5.5 MB: checked at once, 202 or 422), or `{"uploadId"}` as application/json for a file uploaded first (any size: 202 CHECKING; the plan\'s GET shows `resultsUpload` ACCEPTED, or REFUSED with `refusedLines`).',
    path: planParams,
    responses: {
      '202': {
        description: 'Accepted (claims move in the background), or an upload queued for its check',
        schema: s.paymentResultsAccepted,
      },
      '400': problem('A JSON body without a valid uploadId'),
      '409': problem(
        'Not released (PLAN_NOT_RELEASED), another file being applied or checked (RESULTS_BUSY), or no file uploaded (UPLOAD_NOT_FOUND, UPLOAD_USED)',
      ),
      '413': { description: 'Over 5.5 MB: upload it first', schema: s.problem, gateway: true },
      '415': problem('Neither text/csv nor application/json'),
      '422': problem('Lines that do not reconcile, each at /lines/N with the reason; nothing was applied'),
    },
  },
  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file': {
    tag: 'Distributions',
    summary: 'Where to download the payment file',
    description:
      'The payment file written to S3 once, when the plan was released: a link good for five minutes, its SHA-256, size and rows. Ask again for a fresh link; the file never changes.',
    path: planParams,
    responses: {
      '200': { description: 'A short-lived link and the checksum', schema: s.paymentFileLink },
      '409': problem('Not released (PLAN_NOT_RELEASED), or still being written (PAYMENT_FILE_NOT_READY)'),
    },
  },
  'GET /v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv': {
    tag: 'Distributions',
    summary: 'The payment file',
    description:
      'The payment file stored at release, byte for byte: in the answer (up to 4 MB), or a redirect (303) to it in S3 through a link good for five minutes (curl -L). One row per payment; cells are quoted and formula-safe.',
    path: planParams,
    responses: {
      '200': {
        description: 'CSV with a header row',
        mediaType: 'text/csv',
        schema: z.string(),
        headers: ['Content-Disposition', 'X-Checksum-SHA256'],
      },
      '303': {
        description: 'See the file at Location',
        headers: ['Location', 'X-Checksum-SHA256'],
      },
      '409': problem('Not released (PLAN_NOT_RELEASED), or still being written (PAYMENT_FILE_NOT_READY)'),
    },
  },
  'POST /v1/claims/follow-up/documents': {
    tag: 'Claims',
    summary: 'Send a document',
    description:
      'While a reviewer is waiting for information, ask for a place to upload one document (PDF, JPEG or PNG), with the claim id and access code. Post the form `fields` and then the file to `url`; it is checked for malware before a reviewer sees it.',
    body: s.namedSchemas.DocumentUploadRequest,
    responses: {
      '201': { description: 'An upload slot for one document', schema: s.documentUpload },
      '400': problem('Missing or malformed fields, or a file type other than PDF, JPEG or PNG'),
      '404': problem('No claim with this id and code'),
      '409': problem(
        'No information is asked for on this claim, or it already has the most documents allowed',
      ),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'POST /v1/claims/follow-up': {
    tag: 'Claims',
    summary: 'Answer a request for information',
    description:
      "Answer the reviewer's question, with the documents sent for it, and the claim goes back to review.",
    body: s.namedSchemas.InfoAnswer,
    responses: {
      '200': { description: 'Recorded; the claim is UNDER_REVIEW again', schema: s.claimStatusView },
      '400': problem(
        'Missing or malformed fields, or a document that is not the claim\u2019s or was refused',
      ),
      '404': problem('No claim with this id and code'),
      '409': problem('No information is asked for on this claim (NOT_WAITING_FOR_INFO)'),
      '429': problem('Too many failed attempts from this client', ['Retry-After']),
    },
  },
  'GET /v1/admin/dashboard': {
    tag: 'Dashboard',
    summary: 'The dashboard',
    description:
      'Weekly report counts by category, payment method and age range, losses by payment method, claims by status per programme, and the most-reported identifiers. Weeks are Mondays (UTC); series run oldest first.',
    query: z.object({
      weeks: describe(
        z.optional(z.string().check(z.maxLength(2))),
        'How many weeks, ending with this one (1-52, default 12)',
      ),
      top: describe(z.optional(z.string().check(z.maxLength(2))), 'How many identifiers (1-50, default 10)'),
    }),
    responses: {
      '200': { description: 'The dashboard', schema: s.dashboard },
      '400': problem('weeks or top out of range'),
    },
  },
  'GET /v1/admin/audit': {
    tag: 'Audit',
    summary: 'Search the audit trail',
    description:
      'Staff reads and writes by person (`actor`, the token subject), by record (`subjectId`) and time, newest first, a page at a time. Without `from`, the 90 days before `to`; without a person or record, at most a year.',
    query: z.object({
      actor: describe(z.optional(z.string().check(z.maxLength(200))), "The staff member's token subject"),
      subjectId: describe(
        z.optional(z.string().check(z.maxLength(300))),
        'A report, claim, pool or distribution id, or indicator:TYPE:VALUE',
      ),
      from: describe(
        z.optional(z.string().check(z.maxLength(30))),
        'A date (2026-10-01) or instant (2026-10-01T00:00:00Z)',
      ),
      to: describe(z.optional(z.string().check(z.maxLength(30))), 'A date or instant (default: now)'),
      limit: limit(100, 50),
      cursor: cursor(),
    }),
    responses: {
      '200': { description: 'A page of audit entries', schema: s.auditPage },
      '400': problem('Bad query, a start after the end, or over a year without a person or record'),
    },
  },
  'POST /v1/admin/sharing/exports': {
    tag: 'Sharing',
    summary: 'Start an export of shared indicators',
    description:
      'Starts writing ONE STIX 2.1 bundle of the indicators shared with law enforcement that were added or changed in a date range, as a background job. Follow it with GET until `state` is READY, then download `file.url`.',
    body: s.namedSchemas.SharingExportRequest,
    responses: {
      '202': { description: 'The export (QUEUED)', schema: s.sharingExport, headers: ['Location'] },
      '400': problem('A missing or malformed date, or `to` before `from`'),
    },
  },
  'GET /v1/admin/sharing/exports/{exportId}': {
    tag: 'Sharing',
    summary: 'One export',
    description:
      'State and progress (indicators written, percent) of an export; when READY, a download link valid for 5 minutes (ask again for a fresh one), the size in bytes and the SHA-256 of the file.',
    path: z.object({ exportId: id('Export id', 'EXP-7K3M-9QXD-2HFA-8WN4') }),
    responses: {
      '200': { description: 'The export', schema: s.sharingExport },
      '404': problem('No export has this id (exports are kept 7 days)'),
    },
  },
  'GET /v1/admin/sharing/bundle': {
    tag: 'Sharing',
    summary: 'Export shared indicators as STIX, in parts',
    description:
      'The indicators shared with law enforcement that were added or changed in a date range, as STIX 2.1 bundles answered at once. A large range comes in parts of 2,000 indicators, each a complete bundle: follow Restore-Export-Next with `cursor`. For one bundle of the whole range, start an export job instead (POST /v1/admin/sharing/exports).',
    query: z.object({
      from: describe(
        z.string().check(z.maxLength(30)),
        'A date (2026-10-01) or instant (2026-10-01T00:00:00Z)',
      ),
      to: describe(z.string().check(z.maxLength(30)), 'A date or instant, after `from`'),
      cursor: cursor('The Restore-Export-Next header of the previous part'),
    }),
    responses: {
      '200': {
        description: 'A STIX 2.1 bundle',
        schema: s.stixBundle,
        mediaType: STIX_MEDIA_TYPE,
        headers: [
          'Content-Disposition',
          'Restore-Export-Total',
          'Restore-Export-Exported',
          'Restore-Export-Next',
        ],
      },
      '400': problem('A missing or malformed date, `to` before `from`, or a cursor this server did not give'),
    },
  },
  'GET /taxii2': {
    tag: 'TAXII',
    taxii: true,
    summary: 'TAXII discovery',
    description:
      'TAXII 2.1 server discovery: the API Root partner agencies poll. Send Accept: application/taxii+json;version=2.1.',
    responses: { '200': taxii('The discovery resource', s.taxiiDiscovery) },
  },
  'GET /taxii2/restore': {
    tag: 'TAXII',
    taxii: true,
    summary: 'TAXII API Root',
    description: 'The API Root: its title, the TAXII versions spoken and the largest answer it sends.',
    responses: { '200': taxii('The API Root resource', s.taxiiApiRoot) },
  },
  'GET /taxii2/restore/collections': {
    tag: 'TAXII',
    taxii: true,
    summary: 'TAXII collections',
    description: 'The collections of this API Root: one, `indicators`, read-only.',
    responses: { '200': taxii('The collections resource', s.taxiiCollections) },
  },
  'GET /taxii2/restore/collections/{collectionId}': {
    tag: 'TAXII',
    taxii: true,
    summary: 'One TAXII collection',
    description: 'A collection by id or alias (`indicators`).',
    path: taxiiCollectionParam,
    responses: { '200': taxii('The collection resource', s.taxiiCollection) },
  },
  'GET /taxii2/restore/collections/{collectionId}/objects': {
    tag: 'TAXII',
    taxii: true,
    summary: 'TAXII objects',
    description:
      'STIX objects of the collection, oldest added first, a page at a time: follow `next`, or poll with added_after set to the last X-TAXII-Date-Added-Last.',
    path: taxiiCollectionParam,
    query: taxiiListQuery,
    responses: { '200': taxii('A TAXII envelope of STIX objects', s.taxiiEnvelope, true) },
  },
  'GET /taxii2/restore/collections/{collectionId}/objects/{objectId}': {
    tag: 'TAXII',
    taxii: true,
    summary: 'One TAXII object',
    description: 'One STIX object of the collection by id, in an envelope.',
    path: taxiiObjectParams,
    query: taxiiObjectQuery,
    responses: { '200': taxii('A TAXII envelope holding the object', s.taxiiEnvelope, true) },
  },
  'GET /taxii2/restore/collections/{collectionId}/objects/{objectId}/versions': {
    tag: 'TAXII',
    taxii: true,
    summary: "A TAXII object's versions",
    description: 'The versions (modified timestamps) of one STIX object of the collection.',
    path: taxiiObjectParams,
    query: taxiiObjectQuery,
    responses: { '200': taxii('The versions resource', s.taxiiVersions, true) },
  },
  'GET /taxii2/restore/collections/{collectionId}/manifest': {
    tag: 'TAXII',
    taxii: true,
    summary: 'TAXII manifest',
    description:
      'What the objects endpoint would answer, without the objects: id, date added, version, media type.',
    path: taxiiCollectionParam,
    query: taxiiListQuery,
    responses: { '200': taxii('The manifest resource', s.taxiiManifest, true) },
  },
};

/** Answers any route can give, whatever its handler does; merged under the route's own. */
function standard(route: RouteDefinition, op: OperationSpec): Record<string, ResponseSpec> {
  if (op.taxii) return taxiiStandard(route, op);
  const out: Record<string, ResponseSpec> = {
    '429': {
      description: 'Throttled: the API or this client sent too many requests',
      gateway: true,
      headers: [],
    },
    '500': {
      description: 'Something failed on our side; nothing was kept',
      schema: s.problem,
      gateway: true,
    },
    '503': {
      description: 'Temporarily unavailable; nothing was kept. Try again after Retry-After',
      schema: s.problem,
      gateway: true,
      headers: ['Retry-After'],
    },
  };
  if (route.auth !== 'public') {
    out['401'] = {
      description: 'No valid bearer token (the gateway answers `{"message": "Unauthorized"}`)',
      schema: s.problem,
      gateway: true,
      headers: ['WWW-Authenticate'],
    };
    out['403'] =
      'roles' in route.auth
        ? problem(`Signed in without the ${route.auth.roles.join(' or ')} role this needs`)
        : scopeRefused(route.auth.scopes);
  }
  if (op.body) {
    out['400'] = problem('The body is not a JSON object, or has problems; `errors` points at each');
    out['413'] = { description: 'The body is too large', schema: s.problem, gateway: true };
    out['415'] = problem('The body is not sent as application/json');
  }
  if (op.query) out['400'] = problem('A query parameter is not valid; `errors` points at it');
  if (op.path) out['404'] = problem('Nothing has this id');
  return out;
}

/** A client-credentials token without the scope: API Gateway's JWT authorizer refuses it. */
const scopeRefused = (scopes: readonly string[]): ResponseSpec => ({
  description: `The token was not granted the ${scopes.join(' or ')} scope this needs (the gateway answers \`{"message": "Forbidden"}\`)`,
  gateway: true,
  headers: [],
});

/** The TAXII endpoints' own answers: errors are TAXII error message resources. */
function taxiiStandard(route: RouteDefinition, op: OperationSpec): Record<string, ResponseSpec> {
  const out: Record<string, ResponseSpec> = {
    '406': taxiiError(`The Accept header does not name ${TAXII_MEDIA_TYPE}`),
    '429': { description: 'Throttled: too many requests', gateway: true, headers: [] },
    '500': { ...taxiiError('Something failed on our side'), gateway: true },
    '503': {
      description: 'Temporarily unavailable; try again later',
      gateway: true,
      headers: ['Retry-After'],
    },
  };
  if (route.auth !== 'public') {
    out['401'] = {
      description: 'No valid access token (the gateway answers `{"message": "Unauthorized"}`)',
      gateway: true,
      headers: ['WWW-Authenticate'],
    };
    out['403'] = 'scopes' in route.auth ? scopeRefused(route.auth.scopes) : taxiiError('Not allowed');
  }
  if (op.query) out['400'] = taxiiError('A query parameter is not valid; the description says which');
  if (op.path) out['404'] = taxiiError('No collection or object has this id');
  return out;
}

function response(spec: ResponseSpec, standardSpec?: ResponseSpec): ZodOpenApiResponseObject {
  const names = [...new Set([...(spec.headers ?? []), ...(standardSpec?.headers ?? [])])];
  const gateway = spec.gateway || standardSpec?.gateway;
  const schema = spec.schema ?? standardSpec?.schema;
  const mediaType = spec.mediaType ?? (schema === s.problem ? PROBLEM_MEDIA_TYPE : 'application/json');
  const content: Record<string, { schema: z.ZodMiniType }> = {};
  if (schema) content[mediaType] = { schema };
  if (gateway) content['application/json'] = { schema: s.gatewayMessage };
  return {
    description: spec.description,
    ...(names.length > 0
      ? {
          headers: Object.fromEntries(
            names.map((n) => [n, { $ref: `#/components/headers/${headerComponentName(n)}` }]),
          ),
        }
      : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

const operationId = (method: string, path: string) =>
  `${method.toLowerCase()}${path
    .replace(/\.csv$/, 'Csv')
    .split(/[/{}.-]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')}`;

function operation(route: RouteDefinition, op: OperationSpec): ZodOpenApiOperationObject {
  const defaults = standard(route, op);
  const statuses = [...new Set([...Object.keys(op.responses), ...Object.keys(defaults)])].sort();
  const requestParams = {
    ...(op.path ? { path: op.path } : {}),
    ...(op.query ? { query: op.query } : {}),
    ...(op.headers ? { header: op.headers } : {}),
  };
  return {
    operationId: operationId(route.method, route.path),
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    ...(route.auth === 'public'
      ? { security: [] }
      : 'roles' in route.auth
        ? { security: [{ bearer: [] }], 'x-roles': route.auth.roles }
        : { security: [{ partner: [...route.auth.scopes] }] }),
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } }
      : {}),
    responses: Object.fromEntries(
      statuses.map((status) => {
        const own = op.responses[status];
        const fallback = defaults[status];
        return [status, own ? response(own, fallback) : response(fallback!)];
      }),
    ),
  };
}

const TAGS: readonly { name: Tag; description: string }[] = [
  { name: 'Reports', description: 'Fraud reports: filing (public) and reading them (staff)' },
  { name: 'Indicators', description: 'Scammer identifiers and everything linked to them (staff)' },
  { name: 'Pools', description: 'Restoration programmes: the public list and their management (staff)' },
  { name: 'Claims', description: "Victims' restitution claims (public, with the claim's access code)" },
  { name: 'Review', description: 'The claim review queue and decisions (staff)' },
  { name: 'Distributions', description: 'Pro-rata distribution plans and payment files (admins)' },
  { name: 'Sharing', description: 'Shared indicators exported for law enforcement (admins)' },
  { name: 'Helpline', description: 'Reports and claims staff file for a caller, marked staff-assisted' },
  { name: 'Dashboard', description: 'Counts of reports, losses and claims for supervisors (staff)' },
  { name: 'Audit', description: 'The audit trail of staff reads and writes (admins)' },
  {
    name: 'TAXII',
    description: `TAXII 2.1 (read-only) for partner agencies' machine clients with the ${TAXII_READ_SCOPE} scope`,
  },
  { name: 'Service', description: 'Liveness and this contract' },
];

/** The document for these routes (default: the route table); throws on an undeclared route. */
export function openApiDocument(routeTable: readonly RouteDefinition[] = routes): Record<string, unknown> {
  // Named by id (not listed in components), so a shape only ever answered is rendered once, as an
  // answer, and a request shape once, as a request.
  for (const [name, schema] of Object.entries(s.namedSchemas)) {
    z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id: name });
  }
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const route of routeTable) {
    const key = `${route.method} ${route.path}`;
    const op = operations[key];
    if (!op)
      throw new Error(`${key} is in functions/routes.ts but not declared in functions/meta/openapi.ts`);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, op);
  }
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Restore API',
        version: '1.0.0',
        description:
          'Report fraud, link reports that paid the same scammer, and return forfeited funds to victims. Errors are RFC 9457 problem details (application/problem+json). HEAD is answered wherever GET is, with the same headers and no body. See docs/api.md.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        contact: { name: 'The agency running this deployment' },
      },
      servers: [
        {
          url: 'https://{domain}',
          description:
            "Production (or staging): the deployment's site domain, which serves the website and this API",
          'x-internal': false,
          variables: { domain: { default: 'reports.example.gov', description: "The deployment's domain" } },
        },
        { url: 'http://localhost:3000', description: 'Local development: npm start', 'x-internal': true },
      ],
      tags: [...TAGS],
      components: {
        headers: Object.fromEntries(Object.entries(headers).map(([n, h]) => [headerComponentName(n), h])),
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "An access token (JWT) from the deployment's identity provider, verified by API Gateway's JWT authorizer following RFC8725 (signature, issuer, audience, expiry). Locally: npm run token.",
          },
          partner: {
            type: 'oauth2',
            description:
              "Partner agencies' machine clients: an access token from the deployment's Cognito token endpoint by the client-credentials grant, verified by API Gateway's JWT authorizer following RFC8725 (signature, issuer, expiry) and checked for the scope. Tokens are short-lived; ask for a new one when it expires.",
            flows: {
              clientCredentials: {
                tokenUrl: 'https://auth.reports.example.gov/oauth2/token',
                scopes: { [TAXII_READ_SCOPE]: 'Read the shared indicators over TAXII 2.1' },
              },
            },
          },
        },
      },
      paths,
    },
    {
      // JSON integers here stay within the safe range (money in cents passes 2^31): int64.
      override: ({ jsonSchema }) => {
        if (jsonSchema.type === 'integer' && jsonSchema.format === undefined) jsonSchema.format = 'int64';
      },
    },
  );
  return document as unknown as Record<string, unknown>;
}
