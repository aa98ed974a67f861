/**
 * Sharing with partner agencies in the synthesised app: a Cognito resource server granting
 * `taxii/read`, one client-credentials client per configured partner, the token domain, a
 * partner authorizer that trusts those clients, and the sharing settings handed to functions.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAXII_READ_SCOPE } from '#functions/routes.ts';
import { TLP_LEVELS } from '#infra/config/deployment.ts';
import { hostedSignInPrefix } from '#infra/config/edge.ts';
import { tlpLevels } from '#shared/domain/sharing/stix.ts';
import type { Synthesised } from './support.ts';
import { example, json, mentions, resourcesOfType, synthesise } from './support.ts';

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  [dev, prod] = synthesise([example('dev'), example('prod')]) as [Synthesised, Synthesised];
});

const partnerAuthorizer = (s: Synthesised) =>
  resourcesOfType(s.api, 'AWS::ApiGatewayV2::Authorizer').find(
    ([, r]) => r.Properties!['Name'] === 'PartnerJwtAuthorizer',
  )![1];

describe('partner access (OAuth 2.0 client credentials)', () => {
  it('declares a resource server whose scope is the one the TAXII routes require', () => {
    const [identifier, scope] = TAXII_READ_SCOPE.split('/');
    for (const s of [dev, prod]) {
      s.auth!.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        Identifier: identifier,
        Scopes: [Match.objectLike({ ScopeName: scope })],
      });
    }
  });

  it('gives each configured partner a confidential client limited to client credentials and taxii/read', () => {
    const clients = resourcesOfType(prod.auth!, 'AWS::Cognito::UserPoolClient')
      .map(([, r]) => r.Properties!)
      .filter((p) => String(p['ClientName']).startsWith('partner-'));
    expect(clients.map((c) => c['ClientName']).sort()).toEqual(['partner-fbi-ic3', 'partner-state-police']);
    for (const c of clients) {
      expect(c['GenerateSecret']).toBe(true);
      expect(c['AllowedOAuthFlows']).toEqual(['client_credentials']);
      expect(c['AllowedOAuthFlowsUserPoolClient']).toBe(true);
      expect(JSON.stringify(c['AllowedOAuthScopes'])).toContain('/read');
      expect(c['AllowedOAuthScopes']).toHaveLength(1);
    }
    prod.auth!.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-ag-restore-prod' });
    // One Cognito domain per pool: with partners it is theirs (the console signs in on it too).
    expect(resourcesOfType(prod.auth!, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    // No partners, no partner clients: dev's one domain is the console's own.
    expect(
      resourcesOfType(dev.auth!, 'AWS::Cognito::UserPoolClient').filter(([id]) => id.includes('Partner')),
    ).toHaveLength(0);
    dev.auth!.resourcePropertiesCountIs(
      'AWS::Cognito::UserPoolDomain',
      { Domain: hostedSignInPrefix(example('dev')) },
      1,
    );
  });

  it('trusts the partner clients in the partner authorizer, and only the console client in the staff one', () => {
    const audience = partnerAuthorizer(prod).Properties!['JwtConfiguration'] as { Audience: unknown[] };
    expect(audience.Audience).toHaveLength(3);
    expect(mentions(audience.Audience, 'Partnerfbiic3')).toBe(true);
    expect(mentions(audience.Audience, 'Partnerstatepolice')).toBe(true);
    const staff = resourcesOfType(prod.api, 'AWS::ApiGatewayV2::Authorizer').find(
      ([, r]) => r.Properties!['Name'] === 'StaffJwtAuthorizer',
    )![1];
    expect(
      mentions((staff.Properties!['JwtConfiguration'] as { Audience: unknown }).Audience, 'Partner'),
    ).toBe(false);
  });

  it('hands every function the agency name and TLP level (TLP:AMBER unless configured)', () => {
    const fns = resourcesOfType(dev.api, 'AWS::Lambda::Function').map(([, r]) => r.Properties!);
    const taxii = fns.find((f) => String(f['Description']).includes('TAXII'));
    expect(taxii?.['Environment']).toMatchObject({
      Variables: { AGENCY_NAME: 'Example State Attorney General', SHARING_TLP: 'amber' },
    });
    expect(JSON.stringify(json(dev.api))).toContain('restore-export-next');
    const prodTaxii = resourcesOfType(prod.api, 'AWS::Lambda::Function')
      .map(([, r]) => r.Properties!)
      .find((f) => String(f['Description']).includes('TAXII'));
    expect(prodTaxii?.['Environment']).toMatchObject({
      Variables: { PUBLIC_BASE_URL: 'https://reports.example.gov' },
    });
  });

  it('accepts exactly the TLP levels the STIX builder knows', () => {
    expect([...TLP_LEVELS]).toEqual([...tlpLevels]);
  });
});
