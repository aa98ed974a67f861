/**
 * The API's CORS policy, in one place: the API stack gives it to API Gateway (which answers
 * preflights and adds the headers to every answer) and the local server applies the same rules,
 * so a partner's page behaves the same against `npm start` and a deployment.
 */
import { type HttpMethod, routes } from '../routes.ts';

/** Headers a browser may send cross-origin: bearer token, JSON bodies, safe retries, revalidation. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-none-match'];
/** Headers a page may read: when to retry, the next part of a payment file, the validator. */
export const CORS_EXPOSE_HEADERS = [
  'retry-after',
  'link',
  'etag',
  'x-next-cursor',
  // A STIX export's progress, read by the staff console (functions/admin-sharing).
  'restore-export-total',
  'restore-export-exported',
  'restore-export-next',
];
export const CORS_MAX_AGE_SECONDS = 3600;

/** Every method some route answers (HEAD wherever GET is), and OPTIONS for the preflight. */
export function corsAllowMethods(): (HttpMethod | 'HEAD' | 'OPTIONS')[] {
  const methods = new Set<HttpMethod | 'HEAD' | 'OPTIONS'>(routes.map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}
