/**
 * What CloudFront adds to every API request, and what the API makes of it:
 * - ORIGIN_HEADER carries a secret only CloudFront and the functions know. A request without it
 *   came straight to the API's own execute-api address, past the WAF: it is refused before any
 *   route runs. (Locally there is no CloudFront and ORIGIN_VERIFY is unset: no check.)
 * - VIEWER_ADDRESS_HEADER is the viewer's IP, set by a CloudFront function on every API request
 *   (overwriting whatever the client sent). Behind CloudFront `sourceIp` is an edge server shared
 *   by many victims, so per-client limits key on this instead.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header } from './request.ts';

export const ORIGIN_HEADER = 'x-restore-origin-verify';
export const VIEWER_ADDRESS_HEADER = 'x-restore-viewer-address';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when the request carries the origin secret (compared in constant time). */
export function cameThroughCloudFront(event: APIGatewayProxyEventV2, secret: string): boolean {
  const offered = header(event, ORIGIN_HEADER);
  // Digests have one length, so the comparison time says nothing about the secret's length.
  return offered !== undefined && timingSafeEqual(digest(offered), digest(secret));
}

/** The address per-client limits key on: the viewer's, once the request is known to be CloudFront's. */
export function viewerAddress(event: APIGatewayProxyEventV2, behindCloudFront: boolean): string {
  const forwarded = behindCloudFront ? header(event, VIEWER_ADDRESS_HEADER)?.trim() : undefined;
  return forwarded || event.requestContext?.http?.sourceIp || 'unknown';
}
