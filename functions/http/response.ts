import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

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

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...securityHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
  requestId: string;
}

export function errorResponse(
  statusCode: number,
  requestId: string,
  code: string,
  message: string,
  fields?: { path: string; message: string }[],
  headers?: Record<string, string>,
): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = {
    error: { code, message, ...(fields && fields.length > 0 ? { fields } : {}) },
    requestId,
  };
  return json(statusCode, body, headers);
}
