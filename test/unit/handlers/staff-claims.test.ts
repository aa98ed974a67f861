import { describe, expect, it } from 'vitest';
import { StaffTokenError, staffGroups } from '#functions/http/staff-claims.ts';
import { flattenClaims } from '#local/server.ts';

/** An unsigned compact JWT: the authorizer verified the real one; only the payload matters here. */
const bearer = (payload: Record<string, unknown>) =>
  `Bearer ${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

/** What the handler sees: the flattened claims and the header the authorizer verified. */
const asGateway = (payload: Record<string, unknown>) => ({
  claims: flattenClaims(payload),
  authorization: bearer(payload),
});

describe('staffGroups', () => {
  const cognito = { sub: 'u1', iat: 1_700_000_000, token_use: 'access', client_id: 'c' };

  it('reads Cognito groups exactly from the verified token', () => {
    const { claims, authorization } = asGateway({ ...cognito, 'cognito:groups': ['reviewer', 'admin'] });
    expect(staffGroups(claims, 'cognito:groups', authorization)).toEqual(['reviewer', 'admin']);
  });

  it.each([[['help desk admin']], [['trainee,admin']], [['admin ']], ['help desk admin'], ['trainee,admin']])(
    'never turns OIDC group %j into admin',
    (groups) => {
      const { claims, authorization } = asGateway({ sub: 'u1', iat: 1, groups });
      const found = staffGroups(claims, 'groups', authorization);
      expect(found).not.toContain('admin');
      expect(found).toEqual(Array.isArray(groups) ? groups : [groups]);
    },
  );

  it('takes a single-string OIDC group claim as one group', () => {
    const { claims, authorization } = asGateway({ sub: 'u1', iat: 1, groups: 'admin' });
    expect(staffGroups(claims, 'groups', authorization)).toEqual(['admin']);
  });

  it("splits only API Gateway's [a b] rendering when no token is at hand", () => {
    expect(
      staffGroups({ sub: 'u', 'cognito:groups': '[reviewer admin]' }, 'cognito:groups', undefined),
    ).toEqual(['reviewer', 'admin']);
    expect(staffGroups({ sub: 'u', groups: 'trainee,admin' }, 'groups', undefined)).toEqual([
      'trainee,admin',
    ]);
    expect(staffGroups({ sub: 'u', groups: 'help desk admin' }, 'groups', undefined)).toEqual([
      'help desk admin',
    ]);
    expect(staffGroups({ sub: 'u', groups: ['a b', 'admin'] }, 'groups', undefined)).toEqual([
      'a b',
      'admin',
    ]);
  });

  it('refuses Cognito ID tokens', () => {
    const { claims, authorization } = asGateway({ ...cognito, token_use: 'id', 'cognito:groups': ['admin'] });
    expect(() => staffGroups(claims, 'cognito:groups', authorization)).toThrow(StaffTokenError);
    expect(() => staffGroups(claims, 'cognito:groups', undefined)).toThrow(StaffTokenError);
  });

  it('refuses a header token that is not the one the authorizer verified', () => {
    const { claims } = asGateway({ ...cognito, 'cognito:groups': ['reviewer'] });
    const other = bearer({ ...cognito, sub: 'someone-else', 'cognito:groups': ['admin'] });
    expect(() => staffGroups(claims, 'cognito:groups', other)).toThrow(StaffTokenError);
  });
});
