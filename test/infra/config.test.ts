import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  CLOUDWATCH_RETENTION_DAYS,
  DeploymentConfigError,
  deploymentFromContext,
  parseDeployment,
  parseDeployments,
} from '#infra/config/deployment.ts';
import { REPO_ROOT } from '#infra/constructs/bundling.ts';
import { nagModeFromContext } from '#infra/nag.ts';
import { exampleDeployments } from './support.ts';

const valid = {
  agencyName: 'Example Attorney General',
  region: 'us-east-1',
  stage: 'dev',
  logRetentionDays: 14,
  reportRetentionDays: 30,
  identityProvider: { kind: 'cognito' },
  corsAllowedOrigins: ['https://reports.example.gov'],
};

/** The message parseDeployment throws for `staging` with `overrides` applied. */
function errorFor(overrides: Record<string, unknown>, envName = 'staging'): string {
  try {
    parseDeployment(envName, { ...valid, ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(DeploymentConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('deployment config', () => {
  it('parses the dev, prod and staging examples in cdk.json, dev first', () => {
    const examples = exampleDeployments();
    expect(Object.keys(examples)).toEqual(['dev', 'prod', 'staging']);
    expect(examples['dev']).toMatchObject({ envName: 'dev', stage: 'dev', removalPolicy: 'destroy' });
    expect(examples['prod']).toMatchObject({ envName: 'prod', stage: 'prod', removalPolicy: 'retain' });
    expect(examples['staging']).toMatchObject({
      envName: 'staging',
      region: 'us-west-2',
      removalPolicy: 'retain',
    });
  });

  it('fills in defaults: retention by stage, WAF limit, backups, concurrency', () => {
    expect(parseDeployment('staging', valid)).toMatchObject({
      removalPolicy: 'destroy',
      wafRateLimit: 1000,
      backupRetentionDays: 35,
      reservedConcurrency: 10,
    });
    expect(parseDeployment('live', { ...valid, stage: 'prod' }).removalPolicy).toBe('retain');
    expect(parseDeployment('staging', { ...valid, removalPolicy: 'retain' }).removalPolicy).toBe('retain');
  });

  it('accepts a custom domain with a us-east-1 certificate', () => {
    const customDomain = {
      domainName: 'reports.agency.gov',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    };
    expect(parseDeployment('staging', { ...valid, customDomain }).customDomain).toEqual(customDomain);
  });

  it('accepts a minimal valid deployment and takes envName from its key', () => {
    expect(parseDeployment('staging', valid)).toMatchObject({ envName: 'staging', region: 'us-east-1' });
  });

  it.each([
    [{ region: 'mars-1' }, 'restore:deployments.staging.region: expected an AWS region like us-east-1'],
    [{ region: 'US-EAST-1' }, 'restore:deployments.staging.region: expected an AWS region'],
    [
      { logRetentionDays: -3 },
      'restore:deployments.staging.logRetentionDays: expected one of the retention periods',
    ],
    [
      { logRetentionDays: 10 },
      'restore:deployments.staging.logRetentionDays: expected one of the retention periods',
    ],
    [{ reportRetentionDays: -3 }, 'restore:deployments.staging.reportRetentionDays: expected at least 1 day'],
    [
      { reportRetentionDays: 1.5 },
      'restore:deployments.staging.reportRetentionDays: expected a whole number',
    ],
    [{ stage: 'production' }, 'restore:deployments.staging.stage: expected "dev"'],
    [{ account: 123456789012 }, 'restore:deployments.staging.account: expected a 12-digit AWS account id'],
    [{ account: '1234' }, 'restore:deployments.staging.account: expected a 12-digit AWS account id'],
    [{ alarmEmail: 'ops' }, 'restore:deployments.staging.alarmEmail: expected an email address'],
    [{ agencyName: '' }, 'restore:deployments.staging.agencyName:'],
    [
      { corsAllowedOrigins: ['https://a.gov/app'] },
      'restore:deployments.staging.corsAllowedOrigins[0]: expected an origin',
    ],
    [
      { corsAllowedOrigins: ['http://a.gov'] },
      'restore:deployments.staging.corsAllowedOrigins[0]: expected an origin',
    ],
    [
      { identityProvider: { kind: 'saml' } },
      'restore:deployments.staging.identityProvider.kind: expected { "kind": "cognito" }',
    ],
    [
      { identityProvider: { kind: 'oidc', issuer: 'http://idp.example.gov', audience: ['x'] } },
      'restore:deployments.staging.identityProvider.issuer: expected the issuer URL',
    ],
    [
      { identityProvider: { kind: 'oidc', issuer: 'https://idp.example.gov', audience: [] } },
      'restore:deployments.staging.identityProvider.audience: expected at least one audience',
    ],
    [{ logRetention: 14 }, 'restore:deployments.staging: Unrecognized key'],
    [
      { region: 'us-gov-west-1' },
      'restore:deployments.staging.region: expected a commercial AWS region: the public site needs CloudFront',
    ],
    [
      { stage: 'prod', removalPolicy: 'destroy' },
      'restore:deployments.staging.removalPolicy: expected "retain" (or nothing) in a prod deployment',
    ],
    [{ removalPolicy: 'snapshot' }, 'restore:deployments.staging.removalPolicy: expected "retain"'],
    [
      {
        customDomain: {
          domainName: 'reports.agency.gov',
          certificateArn:
            'arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        },
      },
      'restore:deployments.staging.customDomain.certificateArn: expected a certificate in us-east-1',
    ],
    [
      { customDomain: { domainName: 'https://reports.agency.gov', certificateArn: 'x' } },
      'restore:deployments.staging.customDomain.domainName: expected a lowercase host name',
    ],
    [
      { customDomain: { domainName: 'reports.agency.gov' } },
      'restore:deployments.staging.customDomain.certificateArn: expected an ACM certificate ARN',
    ],
    [
      { customDomain: 'reports.agency.gov' },
      'restore:deployments.staging.customDomain: expected { "domainName"',
    ],
    [{ wafRateLimit: 5 }, 'restore:deployments.staging.wafRateLimit: expected at least 10'],
    [{ wafRateLimit: 'lots' }, 'restore:deployments.staging.wafRateLimit: expected a number of requests'],
    [{ reservedConcurrency: 1 }, 'restore:deployments.staging.reservedConcurrency: expected at least 2'],
    [{ backupRetentionDays: 0 }, 'restore:deployments.staging.backupRetentionDays: expected at least 1 day'],
    [{ agencyPhone: 'call us' }, 'restore:deployments.staging.agencyPhone: expected a phone number'],
    [{ envName: 'prod' }, 'restore:deployments.staging.envName: expected "staging"'],
  ])('rejects %j and names the setting', (overrides, message) => {
    expect(errorFor(overrides)).toContain(message);
  });

  it('rejects an environment name that is not a lowercase slug', () => {
    expect(errorFor({}, 'Staging')).toContain(
      'restore:deployments.Staging.envName: expected a lowercase slug',
    );
  });

  it('reports every problem at once, one per line', () => {
    const lines = errorFor({ region: 'mars-1', logRetentionDays: -3 }).split('\n');
    expect(lines).toHaveLength(2);
  });

  it('accepts every CloudWatch retention period', () => {
    for (const days of CLOUDWATCH_RETENTION_DAYS) {
      expect(parseDeployment('staging', { ...valid, logRetentionDays: days }).logRetentionDays).toBe(days);
    }
  });

  it('defaults the OIDC groups claim to "groups"', () => {
    const config = parseDeployment('staging', {
      ...valid,
      identityProvider: {
        kind: 'oidc',
        issuer: 'https://login.example.gov/realms/staff',
        audience: ['restore'],
      },
    });
    expect(config.identityProvider).toEqual({
      kind: 'oidc',
      issuer: 'https://login.example.gov/realms/staff',
      audience: ['restore'],
      groupsClaim: 'groups',
    });
  });

  it('needs at least one deployment', () => {
    expect(() => parseDeployments({})).toThrow(
      /^restore:deployments: expected an object keyed by environment name/,
    );
    expect(() => parseDeployments(undefined)).toThrow(DeploymentConfigError);
  });

  it('picks the deployment named by -c env, defaulting to the first', () => {
    const context = { 'restore:deployments': { dev: valid, prod: { ...valid, stage: 'prod' } } };
    expect(deploymentFromContext(new App({ context }).node).envName).toBe('dev');
    expect(deploymentFromContext(new App({ context: { ...context, env: 'prod' } }).node).stage).toBe('prod');
    expect(() => deploymentFromContext(new App({ context: { ...context, env: 'qa' } }).node)).toThrow(
      'env: no deployment named "qa" under restore:deployments (known: dev, prod)',
    );
  });

  it('validates the cdk-nag mode', () => {
    expect(nagModeFromContext(new App().node)).toBe('report');
    expect(nagModeFromContext(new App({ context: { 'restore:nag': 'strict' } }).node)).toBe('strict');
    expect(() => nagModeFromContext(new App({ context: { 'restore:nag': 'loud' } }).node)).toThrow(
      /^restore:nag:/,
    );
  });

  it('the CDK app exits 1 with the setting named when cdk.json holds a bad deployment', async () => {
    const context = { 'restore:deployments': { staging: { ...valid, region: 'mars-1' } } };
    const run = promisify(execFile)(process.execPath, [join(REPO_ROOT, 'infra', 'app.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'restore-cdk-')),
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'restore:deployments.staging.region: expected an AWS region like us-east-1',
      ),
    });
  });
});
