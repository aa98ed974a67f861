/**
 * The console's calls to the staff API. Errors are read as RFC 9457 problem details (`title`,
 * `detail`, `errors`) and, failing that, as the older `{ error: { message, fields } }` body, so
 * the console works on either side of that change. A 401 ends the session (the caller offers to
 * sign in again); nothing here ever throws for an HTTP status.
 */
import { currentToken, endSession } from './session.ts';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T; readonly text: string }
  | {
      readonly ok: false;
      readonly status: number;
      readonly title: string;
      readonly detail: string;
      readonly code?: string;
      readonly fields: readonly FieldProblem[];
      /** A decision's 409: the decision another reviewer recorded first (DecisionConflict). */
      readonly decided?: Readonly<Record<string, unknown>>;
    };

const STATUS_TITLES: Readonly<Record<number, string>> = {
  0: 'The console cannot reach the server',
  400: 'Check the answers',
  401: 'Your session has ended',
  403: 'You do not have permission for this',
  404: 'Not found',
  409: 'Someone changed this first',
  503: 'The service is busy',
};

function fieldsOf(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f: unknown) => {
    const o = f as { path?: unknown; pointer?: unknown; message?: unknown; detail?: unknown } | null;
    const path = o?.path ?? o?.pointer;
    const message = o?.message ?? o?.detail;
    return typeof path === 'string' && typeof message === 'string'
      ? [{ path: path.replace(/^#?\//, '').replace(/\//g, '.'), message }]
      : [];
  });
}

/** The readable parts of an error body, whichever shape it has. */
export function readProblem(
  status: number,
  body: unknown,
): Omit<Extract<ApiResult<never>, { ok: false }>, 'ok'> {
  const o = (body ?? {}) as Record<string, unknown>;
  const legacy = (o['error'] ?? {}) as Record<string, unknown>;
  const detail =
    (typeof o['detail'] === 'string' && o['detail']) ||
    (typeof legacy['message'] === 'string' && legacy['message']) ||
    (status === 0 ? 'Check your connection and try again.' : `The server answered ${status}.`);
  const title =
    (typeof o['title'] === 'string' && o['title']) || STATUS_TITLES[status] || 'Something went wrong';
  const code =
    (typeof o['code'] === 'string' && o['code']) ||
    (typeof legacy['code'] === 'string' ? legacy['code'] : undefined);
  return {
    status,
    title,
    detail,
    ...(code ? { code } : {}),
    fields: fieldsOf(o['errors'] ?? legacy['fields']),
    ...(o['decided'] && typeof o['decided'] === 'object'
      ? { decided: o['decided'] as Record<string, unknown> }
      : {}),
  };
}

let onSessionEnded: () => void = () => {};
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

/** The API refused the token: forget it and offer to sign in again. */
export function sessionExpired(): void {
  endSession();
  onSessionEnded();
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const token = currentToken();
  if (!token) {
    onSessionEnded();
    return { ok: false, ...readProblem(401, {}) };
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return { ok: false, ...readProblem(0, {}) };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, data: parsed as T, text };
  if (response.status === 401) sessionExpired();
  return { ok: false, ...readProblem(response.status, parsed) };
}
