/**
 * Calls to the public API (docs/api-contract.md). Every outcome a page must handle is a case of
 * `ApiResult`, so "the network is down", "try again" and "fix these answers" are never confused.
 */
import type { Lang } from '../i18n/types.ts';
import { loadConfig } from './config.ts';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export type ApiResult<T> =
  | { readonly kind: 'ok'; readonly status: number; readonly data: T }
  /** 400 with field problems: show them next to the answers. */
  | { readonly kind: 'invalid'; readonly message: string; readonly fields: readonly FieldProblem[] }
  | { readonly kind: 'not-found'; readonly code: string }
  /** 429: too many failed tries (guessing codes); the person must wait. */
  | { readonly kind: 'too-many' }
  /** 409 "still working on the same request": wait and retry. */
  | { readonly kind: 'busy'; readonly retryAfterSeconds: number }
  /** Another 4xx (the message is the API's, in English). */
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** The endpoint does not exist here yet (405/501). */
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'server'; readonly status: number }
  | { readonly kind: 'network' };

const TIMEOUT_MS = 30_000;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
}

function problemsOf(fields: unknown): FieldProblem[] {
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f: unknown) => {
    const o = f as { path?: unknown; message?: unknown } | null;
    return typeof o?.path === 'string' && typeof o.message === 'string'
      ? [{ path: o.path, message: o.message }]
      : [];
  });
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly lang: Lang;
}

export async function apiRequest<T>(
  method: 'GET' | 'POST',
  path: string,
  options: RequestOptions,
): Promise<ApiResult<T>> {
  const { apiBaseUrl } = await loadConfig(options.lang);
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        'accept-language': options.lang,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { kind: 'network' };
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    payload = undefined;
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'ok', status, data: payload as T };
  const error = (payload as ErrorBody | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : '';
  const message = typeof error?.message === 'string' ? error.message : '';
  if (status === 400 && code === 'VALIDATION_FAILED')
    return { kind: 'invalid', message, fields: problemsOf(error?.fields) };
  if (status === 404) return { kind: 'not-found', code };
  if (status === 405 || status === 501) return { kind: 'unavailable' };
  if (status === 409) {
    const retry = Number(response.headers.get('retry-after'));
    return { kind: 'busy', retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? Math.min(retry, 10) : 2 };
  }
  if (status === 429) return { kind: 'too-many' };
  if (status >= 400 && status < 500) return { kind: 'refused', status, code, message };
  return { kind: 'server', status };
}

/** A fresh key for the Idempotency-Key header (one per draft, so a retry never files twice). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
