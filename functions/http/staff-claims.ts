/**
 * Who a staff caller is, from what API Gateway's JWT authorizer verified. Two rules:
 * - Group names match exactly. API Gateway flattens an array claim to "[a b]", which cannot
 *   tell the group `help desk admin` from three groups; so the groups are read from the token
 *   the authorizer verified (the Authorization header) whenever it is there, and the flattened
 *   form is split only as API Gateway renders a list (brackets, single spaces).
 * - Only access tokens: Cognito ID tokens carry the client id as `aud` and so pass the
 *   authorizer's audience check, but they are meant for the browser, not for APIs.
 */

export class StaffTokenError extends Error {
  override readonly name = 'StaffTokenError';
}

/** The payload of a compact JWT, without verifying it (the authorizer already did). */
function jwtPayload(authorization: string | undefined): Record<string, unknown> | undefined {
  const token = /^Bearer\s+([\w-]+\.([\w-]+)\.[\w-]+)$/i.exec(authorization?.trim() ?? '')?.[2];
  if (!token) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A group claim as the issuer wrote it: a list of names, or one name. */
function exactGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** API Gateway's rendering of a list claim, "[a b]"; any other string is one group name. */
function flattenedGroups(value: unknown): string[] {
  if (typeof value !== 'string') return exactGroups(value);
  if (value.startsWith('[') && value.endsWith(']')) return value.slice(1, -1).split(' ').filter(Boolean);
  return exactGroups(value);
}

/**
 * The caller's groups. `claims` is the authorizer's (flattened) claim map, `authorization` the
 * request's Authorization header. Throws StaffTokenError for a token that is not an access token
 * or does not match the claims the authorizer verified.
 */
export function staffGroups(
  claims: Readonly<Record<string, unknown>>,
  groupsClaim: string,
  authorization: string | undefined,
): string[] {
  const tokenUse = claims['token_use'];
  // Set by Cognito (access | id); other issuers usually leave it out, and their audience check
  // is the authorizer's.
  if (tokenUse !== undefined && tokenUse !== 'access') {
    throw new StaffTokenError('Staff routes accept access tokens only');
  }
  const payload = jwtPayload(authorization);
  if (payload === undefined) return flattenedGroups(claims[groupsClaim]);
  // The header is the token the authorizer checked; make sure before trusting its groups.
  if (
    payload['sub'] !== claims['sub'] ||
    String(payload['iat']) !== String(claims['iat'] ?? payload['iat'])
  ) {
    throw new StaffTokenError('The bearer token does not match the verified claims');
  }
  if (payload['token_use'] !== undefined && payload['token_use'] !== 'access') {
    throw new StaffTokenError('Staff routes accept access tokens only');
  }
  return exactGroups(payload[groupsClaim]);
}
