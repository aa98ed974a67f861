/**
 * The one route table. The CDK app (infra/stacks/api-stack.ts) turns it into HTTP API routes,
 * Lambda functions and IAM grants; the local runtime (local/server.ts) serves the same routes by
 * importing the same handlers. Adding an endpoint means adding a line here and a handler.
 */

export type Role = 'reviewer' | 'admin';

/** OAuth scopes of machine clients (partner agencies), granted by the resource server in CDK. */
export type Scope = 'taxii/read';
export const TAXII_READ_SCOPE: Scope = 'taxii/read';

/**
 * `public` needs no sign-in; `roles`: a staff bearer token whose groups include one of them
 * (checked by the handler); `scopes`: a client-credentials token granted one of them (checked by
 * the authorizer, which answers 403 without it).
 */
export type RouteAuth =
  | 'public'
  | { readonly roles: readonly Role[] }
  | { readonly scopes: readonly Scope[] };

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a function may touch. Drives both its IAM grants and the environment it is given. */
export interface FunctionAccess {
  readonly mainTable?: 'read' | 'readwrite';
  readonly idempotencyTable?: boolean;
  readonly enrichmentQueue?: 'send' | 'consume';
  /** Distribution jobs: the admin API starts them, the worker runs and continues them. */
  readonly distributionQueue?: 'send' | 'consume' | 'consume-and-send';
  /**
   * E-mail (docs/email.md): `send` records mail intents before the claim changes and invitations
   * they announce; the mailer consumes them.
   */
  readonly mailQueue?: 'send' | 'consume';
  /** ses:SendEmail, only from the deployment's identity with its configuration set. */
  readonly mailSender?: boolean;
  /** Plan lines and payment results files (S3, encrypted with the data key). */
  readonly artefactBucket?: 'read' | 'readwrite';
  /** Sharing export jobs: the admin API starts them, the worker runs and continues them. */
  readonly sharingExportQueue?: 'send' | 'consume-and-send';
  /**
   * Sharing export files (exports/ in the artefact bucket): `write` writes them part by part and
   * reads them back for their digest; `sign` signs admins' short-lived download links.
   */
  readonly exportFiles?: 'write' | 'sign';
  /**
   * Claimants' uploads (docs/follow-up.md): `presign` signs POSTs into quarantine/, `scan` moves
   * scanned files out of quarantine, `read` signs reviewers' links to clean documents.
   */
  readonly uploadBucket?: 'presign' | 'scan' | 'read';
  /** Deployment settings for moving money: approvers per plan, days a returned payment waits. */
  readonly moneySettings?: boolean;
  /** The HMAC key that turns bank/card numbers into matchable, non-reversible tokens. */
  readonly indicatorKey?: boolean;
  /**
   * The payout key (shared/use-cases/payout-vault.ts): `seal` may only encrypt claimants' account
   * numbers, `open` may only decrypt them, and only what was sealed for the payment file.
   */
  readonly payoutVault?: 'seal' | 'open';
  /**
   * Searching the audit trail (`read`), or appending to it from a function that serves no staff
   * route (`append`: a job that records what it did). Every function that serves a staff route
   * gets PutItem on the audit table and nothing more (infra/constructs/function-access.ts).
   */
  readonly auditTable?: 'read' | 'append';
}

export interface FunctionSpec {
  /** Path of the module exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly access: FunctionAccess;
}

export const functions = {
  intake: {
    entry: 'functions/intake/handler.ts',
    description: 'Validates a fraud report, queues it for enrichment and answers with a reference number',
    memoryMb: 1024,
    timeoutSeconds: 10,
    access: { mainTable: 'readwrite', enrichmentQueue: 'send', indicatorKey: true },
  },
  enrich: {
    entry: 'functions/enrich/handler.ts',
    description:
      'Stores queued reports and indexes their identifiers so reports that paid one scammer link up',
    memoryMb: 1024,
    timeoutSeconds: 30,
    access: { mainTable: 'readwrite', enrichmentQueue: 'consume', mailQueue: 'send' },
  },
  adminReports: {
    entry: 'functions/admin-reports/handler.ts',
    description: 'Agency staff read and search stored reports',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { mainTable: 'read', indicatorKey: true },
  },
  adminIndicators: {
    entry: 'functions/admin-indicators/handler.ts',
    description: 'Agency staff look up one scammer identifier and every report linked to it',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { mainTable: 'read', indicatorKey: true },
  },
  pools: {
    entry: 'functions/pools/handler.ts',
    description: 'Lists the restoration programmes open for claims',
    memoryMb: 256,
    timeoutSeconds: 5,
    access: { mainTable: 'read' },
  },
  claims: {
    entry: 'functions/claims/handler.ts',
    description:
      'Victims file restitution claims, check their status with an access code, answer requests for information, ask for reconsideration and verify invitations',
    memoryMb: 1024,
    timeoutSeconds: 15,
    access: {
      mainTable: 'readwrite',
      indicatorKey: true,
      uploadBucket: 'presign',
      mailQueue: 'send',
      payoutVault: 'seal',
    },
  },
  adminPools: {
    entry: 'functions/admin-pools/handler.ts',
    description:
      'Agency admins create and edit pools; every write matches the pool against stored reports and claims',
    memoryMb: 1024,
    // Matching a pool with many matched reports runs inside the request; HTTP APIs allow 30 s.
    timeoutSeconds: 29,
    access: { mainTable: 'readwrite', indicatorKey: true, mailQueue: 'send' },
  },
  adminClaims: {
    entry: 'functions/admin-claims/handler.ts',
    description: 'Reviewers work the claim queue and record decisions',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { mainTable: 'readwrite', uploadBucket: 'read', mailQueue: 'send' },
  },
  uploadScan: {
    entry: 'functions/upload-scan/handler.ts',
    description:
      'Takes the malware scan result of a claimant upload: checks its content, moves clean files out of quarantine',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { mainTable: 'readwrite', uploadBucket: 'scan' },
  },
  adminDistributions: {
    entry: 'functions/admin-distributions/handler.ts',
    description:
      'Agency admins start distribution plans, approve and release them under dual control, and reconcile payment results',
    memoryMb: 2048,
    timeoutSeconds: 29,
    access: {
      mainTable: 'readwrite',
      distributionQueue: 'send',
      artefactBucket: 'readwrite',
      moneySettings: true,
      mailQueue: 'send',
    },
  },
  distributionWorker: {
    entry: 'functions/distribution-worker/handler.ts',
    description:
      'Runs distribution jobs one checkpointed step per message: reads claims, computes the plan, writes its lines, applies payment results',
    // The compute step holds every claim of a programme in memory (1,000,000 rows ~ 400 MB).
    memoryMb: 3008,
    // A step is bounded (5,000 claims, or one compute); a crashed step is retried after 6 x this.
    timeoutSeconds: 180,
    access: {
      mainTable: 'readwrite',
      distributionQueue: 'consume-and-send',
      artefactBucket: 'readwrite',
      moneySettings: true,
      // The payment file's checksum, recorded when the job has written the file.
      auditTable: 'append',
      mailQueue: 'send',
      // It writes the payment file, the one place account numbers are opened.
      payoutVault: 'open',
    },
  },
  mailer: {
    entry: 'functions/mailer/handler.ts',
    description:
      'Sends the e-mail the outbox promised (claim received, decisions, payments, invitations) once each, never to a suppressed address',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: { mainTable: 'readwrite', mailQueue: 'consume', mailSender: true },
  },
  mailEvents: {
    entry: 'functions/mail-events/handler.ts',
    description:
      'Takes SES events: marks mail SES took as sent, and suppresses addresses that bounced for good or complained',
    memoryMb: 256,
    timeoutSeconds: 10,
    access: { mainTable: 'readwrite' },
  },
  taxii: {
    entry: 'functions/taxii/handler.ts',
    description:
      'Partner agencies read shared scammer identifiers as STIX 2.1 over a read-only TAXII 2.1 API',
    memoryMb: 1024,
    timeoutSeconds: 10,
    access: { mainTable: 'read' },
  },
  adminSharing: {
    entry: 'functions/admin-sharing/handler.ts',
    description:
      'Agency admins export shared identifiers for a date range as a STIX 2.1 bundle: start an export job, follow it, download the file',
    memoryMb: 1024,
    timeoutSeconds: 29,
    access: { mainTable: 'readwrite', sharingExportQueue: 'send', exportFiles: 'sign' },
  },
  sharingExportWorker: {
    entry: 'functions/sharing-export-worker/handler.ts',
    description:
      'Runs sharing export jobs one checkpointed step per message: counts the range, writes the STIX bundle to S3 part by part, assembles and hashes it',
    // A part is 8 MB of JSON built from 500-summary pages; memory does not grow with the range.
    memoryMb: 1024,
    // A step is one part (~7,000 indicators) or one pass over the file for its SHA-256.
    timeoutSeconds: 120,
    access: { mainTable: 'readwrite', sharingExportQueue: 'consume-and-send', exportFiles: 'write' },
  },
  adminDashboard: {
    entry: 'functions/admin-dashboard/handler.ts',
    description:
      'Supervisors read the dashboard: weekly report counts and losses, claims by status, top identifiers',
    memoryMb: 512,
    timeoutSeconds: 10,
    // readwrite: a read first counts claim moves a crash left on the claims (docs/dashboard.md).
    access: { mainTable: 'readwrite' },
  },
  adminAudit: {
    entry: 'functions/admin-audit/handler.ts',
    description: 'Agency admins search the audit trail of staff reads and writes',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { auditTable: 'read' },
  },
  meta: {
    entry: 'functions/meta/handler.ts',
    description: 'Health check and the OpenAPI document',
    memoryMb: 256,
    timeoutSeconds: 5,
    access: {},
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is one path segment. */
  readonly path: string;
  readonly fn: FunctionName;
  readonly auth: RouteAuth;
  /**
   * `public`: the answer holds no personal data and is the same for everyone, so CloudFront may
   * keep it as briefly as its Cache-Control says (the handler sends an ETag and answers 304).
   * Every other answer is `no-store`.
   */
  readonly cache?: 'public';
}

const staff = { roles: ['reviewer', 'admin'] } as const satisfies RouteAuth;
const admin = { roles: ['admin'] } as const satisfies RouteAuth;
const partner = { scopes: [TAXII_READ_SCOPE] } as const satisfies RouteAuth;
/** TAXII 2.1 URLs end in `/`; HTTP API routes may not, and it routes `/x/` to `/x`. */
const TAXII_ROOT = '/taxii2/restore';
const TAXII_COLLECTION = `${TAXII_ROOT}/collections/{collectionId}`;

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', fn: 'meta', auth: 'public' },
  { method: 'GET', path: '/openapi.json', fn: 'meta', auth: 'public', cache: 'public' },
  { method: 'POST', path: '/v1/reports', fn: 'intake', auth: 'public' },
  // The helpline: staff file a report for a caller, with the same checks; marked staff-assisted.
  { method: 'POST', path: '/v1/admin/assisted/reports', fn: 'intake', auth: staff },
  { method: 'GET', path: '/v1/admin/reports', fn: 'adminReports', auth: staff },
  { method: 'GET', path: '/v1/admin/reports/{reportId}', fn: 'adminReports', auth: staff },
  { method: 'GET', path: '/v1/admin/indicators/{type}/{value}', fn: 'adminIndicators', auth: staff },
  { method: 'GET', path: '/v1/admin/dashboard', fn: 'adminDashboard', auth: staff },
  // Restoration: pools, claims, matching, distributions.
  { method: 'GET', path: '/v1/pools', fn: 'pools', auth: 'public', cache: 'public' },
  { method: 'POST', path: '/v1/claims', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/claims/status', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/claims/reconsideration', fn: 'claims', auth: 'public' },
  // Answering a request for information: a pre-signed POST per document, then the answer.
  { method: 'POST', path: '/v1/claims/follow-up/documents', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/claims/follow-up', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/invitations/verify', fn: 'claims', auth: 'public' },
  // The helpline: staff file a claim for a caller, with the same checks; marked staff-assisted.
  { method: 'POST', path: '/v1/admin/assisted/claims', fn: 'claims', auth: staff },
  { method: 'GET', path: '/v1/admin/pools', fn: 'adminPools', auth: staff },
  { method: 'POST', path: '/v1/admin/pools', fn: 'adminPools', auth: admin },
  { method: 'GET', path: '/v1/admin/pools/{poolId}', fn: 'adminPools', auth: staff },
  { method: 'PATCH', path: '/v1/admin/pools/{poolId}', fn: 'adminPools', auth: admin },
  { method: 'GET', path: '/v1/admin/pools/{poolId}/matches', fn: 'adminPools', auth: staff },
  { method: 'POST', path: '/v1/admin/pools/{poolId}/matches/refresh', fn: 'adminPools', auth: admin },
  { method: 'GET', path: '/v1/admin/claims', fn: 'adminClaims', auth: staff },
  { method: 'GET', path: '/v1/admin/claims/{claimId}', fn: 'adminClaims', auth: staff },
  { method: 'POST', path: '/v1/admin/claims/{claimId}/decision', fn: 'adminClaims', auth: staff },
  { method: 'POST', path: '/v1/admin/pools/{poolId}/distributions', fn: 'adminDistributions', auth: admin },
  {
    method: 'GET',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}',
    fn: 'adminDistributions',
    auth: admin,
  },
  {
    method: 'POST',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/approve',
    fn: 'adminDistributions',
    auth: admin,
  },
  {
    method: 'POST',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/release',
    fn: 'adminDistributions',
    auth: admin,
  },
  {
    method: 'GET',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv',
    fn: 'adminDistributions',
    auth: admin,
  },
  {
    method: 'GET',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/payment-file',
    fn: 'adminDistributions',
    auth: admin,
  },
  {
    method: 'POST',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results/uploads',
    fn: 'adminDistributions',
    auth: admin,
  },
  { method: 'GET', path: '/v1/admin/audit', fn: 'adminAudit', auth: admin },
  {
    method: 'POST',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/payment-results',
    fn: 'adminDistributions',
    auth: admin,
  },
  // A returned payment: the claimant's new mailing address (the claimant-facing form calls this).
  { method: 'POST', path: '/v1/claims/payment-details', fn: 'claims', auth: 'public' },
  // Sharing with partner agencies: TAXII 2.1 (read-only) and the staff bulk export.
  { method: 'GET', path: '/taxii2', fn: 'taxii', auth: partner },
  { method: 'GET', path: TAXII_ROOT, fn: 'taxii', auth: partner },
  { method: 'GET', path: `${TAXII_ROOT}/collections`, fn: 'taxii', auth: partner },
  { method: 'GET', path: TAXII_COLLECTION, fn: 'taxii', auth: partner },
  { method: 'GET', path: `${TAXII_COLLECTION}/objects`, fn: 'taxii', auth: partner },
  { method: 'GET', path: `${TAXII_COLLECTION}/objects/{objectId}`, fn: 'taxii', auth: partner },
  { method: 'GET', path: `${TAXII_COLLECTION}/objects/{objectId}/versions`, fn: 'taxii', auth: partner },
  { method: 'GET', path: `${TAXII_COLLECTION}/manifest`, fn: 'taxii', auth: partner },
  { method: 'GET', path: '/v1/admin/sharing/bundle', fn: 'adminSharing', auth: admin },
  { method: 'POST', path: '/v1/admin/sharing/exports', fn: 'adminSharing', auth: admin },
  { method: 'GET', path: '/v1/admin/sharing/exports/{exportId}', fn: 'adminSharing', auth: admin },
];

/** Functions that serve at least one signed-in route: each records its requests in the audit trail. */
export function servesStaffRoutes(fn: FunctionName): boolean {
  return routes.some((route) => route.fn === fn && route.auth !== 'public');
}

/** SQS consumers: the CDK app wires an event source mapping, the local runtime a poller. */
export interface ConsumerDefinition {
  readonly fn: FunctionName;
  readonly queue: 'enrichmentQueue' | 'distributionQueue' | 'mailQueue' | 'sharingExportQueue';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

export const consumers: readonly ConsumerDefinition[] = [
  { fn: 'enrich', queue: 'enrichmentQueue', batchSize: 10, maxBatchingWindowSeconds: 1 },
  // One job step per invocation: a step is the unit of checkpoint and retry.
  { fn: 'distributionWorker', queue: 'distributionQueue', batchSize: 1, maxBatchingWindowSeconds: 0 },
  { fn: 'mailer', queue: 'mailQueue', batchSize: 10, maxBatchingWindowSeconds: 1 },
  { fn: 'sharingExportWorker', queue: 'sharingExportQueue', batchSize: 1, maxBatchingWindowSeconds: 0 },
];

/** Queue visibility must outlast every retry of a batch: at least 6x the consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
