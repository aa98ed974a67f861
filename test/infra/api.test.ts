import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import type { DeploymentConfig } from '#infra/config/deployment.ts';
import type { Synthesised } from './support.ts';
import {
  deployedFunctions,
  example,
  json,
  mentions,
  onlyResourceOfType,
  resourcesOfType,
  synthesise,
} from './support.ts';

const oidcConfig: DeploymentConfig = {
  ...example('dev'),
  envName: 'agencysso',
  identityProvider: {
    kind: 'oidc',
    issuer: 'https://login.example.gov/realms/staff',
    audience: ['restore-console', 'restore-cli'],
    groupsClaim: 'roles',
  },
};

let dev: Synthesised;
let prod: Synthesised;
let oidc: Synthesised;

beforeAll(() => {
  [dev, prod, oidc] = synthesise([example('dev'), example('prod'), oidcConfig]) as [
    Synthesised,
    Synthesised,
    Synthesised,
  ];
});

const authorizerId = (s: Synthesised, name = 'StaffJwtAuthorizer') =>
  resourcesOfType(s.api, 'AWS::ApiGatewayV2::Authorizer').find(([, r]) => r.Properties!['Name'] === name)![0];
const routeByKey = (s: Synthesised) =>
  new Map(
    resourcesOfType(s.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => [
      r.Properties!['RouteKey'] as string,
      r,
    ]),
  );

describe('HTTP API routes', () => {
  it('has exactly the routes in functions/routes.ts, and HEAD wherever GET is', () => {
    const expected = routes.flatMap((r) =>
      r.method === 'GET' ? [`GET ${r.path}`, `HEAD ${r.path}`] : [`${r.method} ${r.path}`],
    );
    for (const s of [dev, oidc]) {
      expect([...routeByKey(s).keys()].sort()).toEqual(expected.sort());
    }
  });

  it('puts the staff JWT authorizer on role routes, the partner one with its scopes on scope routes', () => {
    for (const s of [dev, prod, oidc]) {
      const byKey = routeByKey(s);
      for (const route of routes.flatMap((r) => (r.method === 'GET' ? [r, { ...r, method: 'HEAD' }] : [r]))) {
        const props = byKey.get(`${route.method} ${route.path}`)!.Properties!;
        if (route.auth === 'public') {
          expect(props['AuthorizationType'], route.path).toBe('NONE');
          expect(props['AuthorizerId'], route.path).toBeUndefined();
        } else if ('scopes' in route.auth) {
          expect(props['AuthorizationType'], route.path).toBe('JWT');
          expect(props['AuthorizerId'], route.path).toEqual({ Ref: authorizerId(s, 'PartnerJwtAuthorizer') });
          expect(props['AuthorizationScopes'], route.path).toEqual([...route.auth.scopes]);
        } else {
          expect(props['AuthorizationType'], route.path).toBe('JWT');
          expect(props['AuthorizerId'], route.path).toEqual({ Ref: authorizerId(s) });
          expect(props['AuthorizationScopes'], route.path).toBeUndefined();
        }
      }
    }
  });

  it('sends each route to the function the route table names, one function per handler', () => {
    const fns = deployedFunctions(dev).filter((f) => f.stack === dev.deployment.api);
    expect(fns.map((f) => f.name).sort()).toEqual([...new Set(routes.map((r) => r.fn))].sort());
    const integrations = json(dev.api).Resources;
    const byKey = routeByKey(dev);
    for (const route of routes) {
      const target = JSON.stringify(byKey.get(`${route.method} ${route.path}`)!.Properties!['Target']);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)![1]!;
      const uri = integrations[integrationId]!.Properties!['IntegrationUri'];
      const fn = fns.find((f) => f.name === route.fn)!;
      expect(uri, route.path).toEqual({ 'Fn::GetAtt': [fn.functionId, 'Arn'] });
    }
  });
});

describe('JWT authorizer', () => {
  it('trusts the deployment’s Cognito pool and app client', () => {
    const props = json(dev.api).Resources[authorizerId(dev)]!.Properties!;
    const { Issuer, Audience } = props['JwtConfiguration'] as { Issuer: unknown; Audience: unknown[] };
    expect(mentions(Issuer, 'https://cognito-idp.us-east-1.amazonaws.com/')).toBe(true);
    expect(mentions(Issuer, 'StaffUserPool')).toBe(true);
    expect(Audience).toHaveLength(1);
    expect(mentions(Audience[0], 'ConsoleClient')).toBe(true);
    expect(props['IdentitySource']).toEqual(['$request.header.Authorization']);
  });

  it('uses the configured OIDC issuer and audience, with no user pool', () => {
    oidc.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: 'https://login.example.gov/realms/staff',
        Audience: ['restore-console', 'restore-cli'],
      },
    });
    expect(oidc.deployment.auth).toBeUndefined();
    for (const t of oidc.all) t.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('tells handlers which claim carries the groups', () => {
    for (const [s, claim] of [
      [dev, 'cognito:groups'],
      [oidc, 'roles'],
    ] as const) {
      for (const f of deployedFunctions(s).filter((fn) => fn.stack === s.deployment.api)) {
        const env = (json(s.api).Resources[f.functionId]!.Properties!['Environment'] as { Variables: object })
          .Variables;
        expect(env, f.name).toMatchObject({ AUTH_GROUPS_CLAIM: claim });
      }
    }
  });
});

describe('stage, logging and CORS', () => {
  it('auto-deploys a throttled $default stage that logs to an encrypted log group', () => {
    dev.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] } },
    });
    dev.api.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: Match.anyValue(),
      RetentionInDays: example('dev').logRetentionDays,
      LogGroupName: Match.absent(),
    });
  });

  it('logs route templates, not paths that carry identifiers', () => {
    const stage = onlyResourceOfType(dev.api, 'AWS::ApiGatewayV2::Stage');
    const format = (stage.Properties!['AccessLogSettings'] as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({ routeKey: '$context.routeKey' });
    expect(format).not.toContain('$context.path');
  });

  it('allows exactly the configured origins', () => {
    for (const s of [dev, prod]) {
      s.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({
          AllowOrigins: s.deployment.config.corsAllowedOrigins,
          AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key']),
          AllowMethods: Match.arrayWith(['GET', 'POST', 'HEAD', 'OPTIONS']),
          // A page on a partner's origin can read when to retry, the next part and the validator.
          ExposeHeaders: Match.arrayWith(['retry-after', 'link', 'etag']),
        }),
      });
    }
  });

  it('outputs the API URL', () => {
    expect(json(dev.api).Outputs?.['ApiUrl']).toBeDefined();
  });
});

describe('staff user pool', () => {
  it('has reviewer and admin groups and no self sign-up', () => {
    const auth = dev.auth!;
    for (const group of ['reviewer', 'admin']) {
      auth.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    const pool = onlyResourceOfType(auth, 'AWS::Cognito::UserPool');
    const minLength = (pool.Properties!['Policies'] as { PasswordPolicy: { MinimumLength: number } })
      .PasswordPolicy.MinimumLength;
    expect(minLength).toBeGreaterThanOrEqual(12);
  });

  it('has a public app client (no secret) for the console', () => {
    dev.auth!.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('is deletion-protected and retained in prod only', () => {
    const prodPool = onlyResourceOfType(prod.auth!, 'AWS::Cognito::UserPool');
    const devPool = onlyResourceOfType(dev.auth!, 'AWS::Cognito::UserPool');
    expect(prodPool.Properties!['DeletionProtection']).toBe('ACTIVE');
    expect(prodPool.DeletionPolicy).toBe('Retain');
    expect(devPool.Properties!['DeletionProtection']).not.toBe('ACTIVE');
    expect(devPool.DeletionPolicy).toBe('Delete');
  });

  it('outputs the pool id, client id and issuer', () => {
    expect(Object.keys(json(dev.auth!).Outputs ?? {})).toEqual(
      expect.arrayContaining(['UserPoolId', 'UserPoolClientId', 'Issuer']),
    );
  });
});
