/**
 * The one place where errors become HTTP answers. Domain errors carry messages written for the
 * public; anything else is a bug or an outage and becomes a bare 500 with only the request id,
 * so no stack trace, table name or SDK message ever reaches a caller.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyAttemptsError,
  UnprocessableError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { problemResponse } from './response.ts';

/** Request-level problems found before the body reaches the domain (size, type, syntax, auth). */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly fields?: { path: string; message: string }[];
  readonly headers?: Record<string, string>;
  constructor(
    statusCode: number,
    code: string,
    message: string,
    opts: { fields?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    if (opts.fields) this.fields = opts.fields;
    if (opts.headers) this.headers = opts.headers;
  }
}

export const INTERNAL_MESSAGE =
  'Something went wrong on our side and nothing was saved. Please try again in a few minutes.';
export const UNAVAILABLE_MESSAGE =
  'We cannot take this request right now and nothing was saved. Please try again in a few minutes.';

/** `instance` is the request path, so a logged or reported problem says which call it was. */
export function toHttpResponse(
  error: unknown,
  requestId: string,
  instance?: string,
): APIGatewayProxyStructuredResultV2 {
  const at = instance === undefined ? {} : { instance };
  if (error instanceof HttpError) {
    return problemResponse(error.statusCode, requestId, error.code, error.message, {
      ...at,
      ...(error.fields ? { fields: error.fields } : {}),
      ...(error.headers ? { headers: error.headers } : {}),
    });
  }
  if (error instanceof ValidationError) {
    return problemResponse(400, requestId, error.code, error.message, { ...at, fields: error.fields });
  }
  if (error instanceof ForbiddenError) return problemResponse(403, requestId, error.code, error.message, at);
  if (error instanceof UnprocessableError) {
    // Every refused line of an uploaded file, as the pointer /lines/12 (line 12, counting from 1).
    const fields = error.lines.map((l) => ({
      path: `lines.${l.line}`,
      message: l.claimId ? `${l.claimId}: ${l.reason}` : l.reason,
    }));
    return problemResponse(422, requestId, error.code, error.message, { ...at, fields });
  }
  if (error instanceof NotFoundError) return problemResponse(404, requestId, error.code, error.message, at);
  if (error instanceof ConflictError) {
    return problemResponse(409, requestId, error.code, error.message, {
      ...at,
      ...(error.decided ? { decided: error.decided } : {}),
    });
  }
  if (error instanceof PayloadTooLargeError)
    return problemResponse(413, requestId, error.code, error.message, at);
  if (error instanceof IdempotencyKeyReusedError)
    return problemResponse(422, requestId, error.code, error.message, at);
  if (error instanceof TooManyAttemptsError) {
    return problemResponse(429, requestId, error.code, error.message, {
      ...at,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) },
    });
  }
  if (error instanceof ServiceUnavailableError) {
    return problemResponse(503, requestId, error.code, UNAVAILABLE_MESSAGE, {
      ...at,
      headers: { 'retry-after': '30' },
    });
  }
  if (error instanceof DomainError) return problemResponse(400, requestId, error.code, error.message, at);
  if (isDependencyOutage(error)) {
    return problemResponse(503, requestId, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE, {
      ...at,
      headers: { 'retry-after': '30' },
    });
  }
  return problemResponse(500, requestId, 'INTERNAL', INTERNAL_MESSAGE, at);
}

/**
 * A dependency that is down, throttling or too slow (the SDK's own classification of throttling,
 * transient and server errors, plus a deadline that ran out): the caller did nothing wrong and
 * should try again later, which 503 with Retry-After says; a 500 would say we have a bug.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const sdkError = error as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** Whether the answer is our fault (logged as an error) or the caller's (logged as info). */
export const isServerFault = (res: APIGatewayProxyStructuredResultV2): boolean =>
  (res.statusCode ?? 500) >= 500;
