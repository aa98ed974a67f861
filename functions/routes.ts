/**
 * The one route table. The CDK app (infra/stacks/api-stack.ts) turns it into HTTP API routes,
 * Lambda functions and IAM grants; the local runtime (local/server.ts) serves the same routes by
 * importing the same handlers. Adding an endpoint means adding a line here and a handler.
 */

export type Role = 'reviewer' | 'admin';

/** `public` needs no sign-in; otherwise a bearer token whose groups include one of `roles`. */
export type RouteAuth = 'public' | { readonly roles: readonly Role[] };

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a function may touch. Drives both its IAM grants and the environment it is given. */
export interface FunctionAccess {
  readonly mainTable?: 'read' | 'readwrite';
  readonly idempotencyTable?: boolean;
  readonly enrichmentQueue?: 'send' | 'consume';
  /** The HMAC key that turns bank/card numbers into matchable, non-reversible tokens. */
  readonly indicatorKey?: boolean;
  /**
   * Searching the audit trail. Appending to it is not listed here: every function that serves a
   * staff route gets PutItem on the audit table and nothing more (infra/constructs/function-access.ts).
   */
  readonly auditTable?: 'read';
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
    access: { mainTable: 'readwrite', idempotencyTable: true, enrichmentQueue: 'send', indicatorKey: true },
  },
  enrich: {
    entry: 'functions/enrich/handler.ts',
    description:
      'Stores queued reports and indexes their identifiers so reports that paid one scammer link up',
    memoryMb: 1024,
    timeoutSeconds: 30,
    access: { mainTable: 'readwrite', enrichmentQueue: 'consume' },
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
      'Victims file restitution claims, check their status with an access code, ask for reconsideration and verify invitations',
    memoryMb: 1024,
    timeoutSeconds: 15,
    access: { mainTable: 'readwrite', indicatorKey: true },
  },
  adminPools: {
    entry: 'functions/admin-pools/handler.ts',
    description:
      'Agency admins create and edit pools; every write matches the pool against stored reports and claims',
    memoryMb: 1024,
    // Matching a pool with many matched reports runs inside the request; HTTP APIs allow 30 s.
    timeoutSeconds: 29,
    access: { mainTable: 'readwrite', indicatorKey: true },
  },
  adminClaims: {
    entry: 'functions/admin-claims/handler.ts',
    description: 'Reviewers work the claim queue and record decisions',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { mainTable: 'readwrite' },
  },
  adminDistributions: {
    entry: 'functions/admin-distributions/handler.ts',
    description: 'Agency admins compute and approve pro-rata distribution plans and download payment files',
    memoryMb: 2048,
    timeoutSeconds: 29,
    access: { mainTable: 'readwrite' },
  },
  adminDashboard: {
    entry: 'functions/admin-dashboard/handler.ts',
    description:
      'Supervisors read the dashboard: weekly report counts and losses, claims by status, top identifiers',
    memoryMb: 512,
    timeoutSeconds: 10,
    access: { mainTable: 'read' },
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
}

const staff = { roles: ['reviewer', 'admin'] } as const satisfies RouteAuth;
const admin = { roles: ['admin'] } as const satisfies RouteAuth;

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', fn: 'meta', auth: 'public' },
  { method: 'GET', path: '/openapi.json', fn: 'meta', auth: 'public' },
  { method: 'POST', path: '/v1/reports', fn: 'intake', auth: 'public' },
  { method: 'GET', path: '/v1/admin/reports', fn: 'adminReports', auth: staff },
  { method: 'GET', path: '/v1/admin/reports/{reportId}', fn: 'adminReports', auth: staff },
  { method: 'GET', path: '/v1/admin/indicators/{type}/{value}', fn: 'adminIndicators', auth: staff },
  { method: 'GET', path: '/v1/admin/dashboard', fn: 'adminDashboard', auth: staff },
  // Restoration: pools, claims, matching, distributions.
  { method: 'GET', path: '/v1/pools', fn: 'pools', auth: 'public' },
  { method: 'POST', path: '/v1/claims', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/claims/status', fn: 'claims', auth: 'public' },
  { method: 'POST', path: '/v1/claims/reconsideration', fn: 'claims', auth: 'public' },
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
    method: 'GET',
    path: '/v1/admin/pools/{poolId}/distributions/{distributionId}/payments.csv',
    fn: 'adminDistributions',
    auth: admin,
  },
  { method: 'GET', path: '/v1/admin/audit', fn: 'adminAudit', auth: admin },
];

/** Functions that serve at least one signed-in route: each records its requests in the audit trail. */
export function servesStaffRoutes(fn: FunctionName): boolean {
  return routes.some((route) => route.fn === fn && route.auth !== 'public');
}

/** SQS consumers: the CDK app wires an event source mapping, the local runtime a poller. */
export interface ConsumerDefinition {
  readonly fn: FunctionName;
  readonly queue: 'enrichmentQueue';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

export const consumers: readonly ConsumerDefinition[] = [
  { fn: 'enrich', queue: 'enrichmentQueue', batchSize: 10, maxBatchingWindowSeconds: 1 },
];

/** Queue visibility must outlast every retry of a batch: at least 6x the consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
