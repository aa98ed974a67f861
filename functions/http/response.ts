import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { EarlierDecision } from '#shared/domain/errors.ts';

/**
 * Headers on every API answer: nothing is cached (answers carry victims' data), browsers must
 * not sniff types, and an API response can never be framed or run as a page.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** RFC 9457. JSON media types take no charset parameter: JSON is always UTF-8. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...securityHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

/** How long shared caches (CloudFront) and browsers may keep a public, non-personal answer. */
export const PUBLIC_MAX_AGE_SECONDS = 60;

/**
 * A public answer that holds no personal data (the contract, the programme list): cacheable for
 * a minute, with a strong ETag so a client or CloudFront revalidates with If-None-Match and gets
 * a bodiless 304 when nothing changed.
 */
export function cacheableJson(
  body: unknown,
  ifNoneMatch: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const headers = {
    ...securityHeaders,
    'cache-control': `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`,
    etag,
  };
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag)) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: text };
}

/** RFC 9110 §13.1.2: weak comparison, a list of tags or `*`. */
function matchesEtag(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** One field problem: a JSON Pointer (RFC 6901) into the request body, or into the query parameters. */
export interface FieldProblemBody {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details body with Restore's extension members. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Stable, machine-readable; the same code always has the same status. */
  code: string;
  errors?: FieldProblemBody[];
  /** On a claim decision's 409: the decision that got there first. */
  decided?: EarlierDecision;
  requestId: string;
}

/** Problem types are URNs named after the stable code, listed in docs/api.md. */
export const problemType = (code: string): string =>
  `urn:restore:problem:${code.toLowerCase().replaceAll('_', '-')}`;

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** `payments.0.amountCents` -> `/payments/0/amountCents`; the whole body is the empty pointer. */
export function toJsonPointer(dotted: string): string {
  if (dotted === '') return '';
  return `/${dotted
    .split('.')
    .map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')}`;
}

export interface ProblemOptions {
  /** Dotted paths as the domain writes them; sent as JSON Pointers. */
  fields?: readonly { path: string; message: string }[];
  headers?: Record<string, string>;
  /** The request path: which request this problem is about. */
  instance?: string;
  decided?: EarlierDecision;
}

export function problemResponse(
  statusCode: number,
  requestId: string,
  code: string,
  detail: string,
  opts: ProblemOptions = {},
): APIGatewayProxyStructuredResultV2 {
  const body: ProblemBody = {
    type: problemType(code),
    title: TITLES[statusCode] ?? (statusCode >= 500 ? 'Server Error' : 'Client Error'),
    status: statusCode,
    detail,
    ...(opts.instance ? { instance: opts.instance } : {}),
    code,
    ...(opts.fields && opts.fields.length > 0
      ? { errors: opts.fields.map((f) => ({ pointer: toJsonPointer(f.path), detail: f.message })) }
      : {}),
    ...(opts.decided ? { decided: opts.decided } : {}),
    requestId,
  };
  return {
    statusCode,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...securityHeaders, ...opts.headers },
    body: JSON.stringify(body),
  };
}
