/**
 * The one place where errors become HTTP answers. Domain errors carry messages written for the
 * public; anything else is a bug or an outage and becomes a bare 500 with only the request id,
 * so no stack trace, table name or SDK message ever reaches a caller.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyAttemptsError,
  UnprocessableError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { errorResponse } from './response.ts';

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

export function toHttpResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpError) {
    return errorResponse(error.statusCode, requestId, error.code, error.message, error.fields, error.headers);
  }
  if (error instanceof ValidationError) {
    return errorResponse(400, requestId, error.code, error.message, [...error.fields]);
  }
  if (error instanceof ForbiddenError) return errorResponse(403, requestId, error.code, error.message);
  if (error instanceof UnprocessableError) {
    // Every refused line, as a field a person can find in the file: "line 12".
    const fields = error.lines.map((l) => ({
      path: `line ${l.line}`,
      message: l.claimId ? `${l.claimId}: ${l.reason}` : l.reason,
    }));
    return errorResponse(422, requestId, error.code, error.message, fields);
  }
  if (error instanceof NotFoundError) return errorResponse(404, requestId, error.code, error.message);
  if (error instanceof ConflictError) return errorResponse(409, requestId, error.code, error.message);
  if (error instanceof PayloadTooLargeError) return errorResponse(413, requestId, error.code, error.message);
  if (error instanceof TooManyAttemptsError) {
    return errorResponse(429, requestId, error.code, error.message, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))),
    });
  }
  if (error instanceof ServiceUnavailableError) {
    return errorResponse(503, requestId, error.code, UNAVAILABLE_MESSAGE, undefined, { 'retry-after': '30' });
  }
  if (error instanceof DomainError) return errorResponse(400, requestId, error.code, error.message);
  return errorResponse(500, requestId, 'INTERNAL', INTERNAL_MESSAGE);
}

/** Whether the answer is our fault (logged as an error) or the caller's (logged as info). */
export const isServerFault = (res: APIGatewayProxyStructuredResultV2): boolean =>
  (res.statusCode ?? 500) >= 500;
