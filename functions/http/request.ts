/**
 * Turning an API Gateway event into a plain value the domain can trust, with a clear 4xx for
 * every way a request can be wrong: wrong content type (415), too large (413), not JSON (400),
 * not an object (400), prototype-polluting keys (400), then the zod schema (400 with fields).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MAX_BODY_BYTES } from '#shared/domain/enums.ts';
import { HttpError } from './errors.ts';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 20;

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type ?? '')) return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return !charset || charset === 'charset=utf-8' || charset === 'charset="utf-8"';
}

/** Reads and parses a JSON object body; throws HttpError for anything that is not one. */
export function readJsonObject(
  event: APIGatewayProxyEventV2,
  maxBytes = MAX_BODY_BYTES,
): Record<string, unknown> {
  if (!isJsonContentType(header(event, 'content-type'))) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the request as JSON, with the header Content-Type: application/json.',
    );
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new HttpError(
      413,
      'PAYLOAD_TOO_LARGE',
      `This request is too large (${Math.ceil(bytes.byteLength / 1024)} KB). The limit is ${maxBytes / 1024} KB: shorten the description or send fewer items.`,
    );
  }
  if (bytes.byteLength === 0)
    throw new HttpError(400, 'INVALID_JSON', 'The request body is empty. Send a JSON object.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid UTF-8 text.');
  }
  let parsed: unknown;
  const badKeys: string[] = [];
  try {
    parsed = JSON.parse(text, function (this: unknown, key: string, value: unknown) {
      if (FORBIDDEN_KEYS.has(key)) badKeys.push(key);
      return value;
    });
  } catch (e) {
    const detail = e instanceof SyntaxError ? ` (${e.message.replace(/\s+/g, ' ').slice(0, 120)})` : '';
    throw new HttpError(400, 'INVALID_JSON', `The request body is not valid JSON${detail}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(
      400,
      'INVALID_JSON',
      'The request body must be a JSON object, like {"incident": {...}}.',
    );
  }
  if (badKeys.length > 0) {
    throw new HttpError(400, 'FORBIDDEN_KEY', `The field name "${badKeys[0]}" is not allowed.`, {
      fields: [{ path: forbiddenPath(parsed) ?? badKeys[0]!, message: 'This field name is not allowed.' }],
    });
  }
  if (depth(parsed) > MAX_DEPTH) {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is nested too deeply.');
  }
  return parsed as Record<string, unknown>;
}

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH || v === null || typeof v !== 'object') return d;
  let max = d;
  for (const child of Object.values(v)) max = Math.max(max, depth(child, d + 1));
  return max;
}

function forbiddenPath(v: unknown, path: string[] = []): string | undefined {
  if (v === null || typeof v !== 'object' || path.length > MAX_DEPTH) return undefined;
  for (const key of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key].join('.');
    const found = forbiddenPath((v as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}
