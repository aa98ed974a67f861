import { beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '#infra/config/deployment.ts';
import type { CfnResource, Synthesised } from './support.ts';
import { example, json, synthesise } from './support.ts';

/** Properties that fix a resource's physical name; CloudFormation generates them when absent. */
const MUST_BE_GENERATED: Record<string, string[]> = {
  'AWS::DynamoDB::GlobalTable': ['TableName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::Cognito::UserPool': ['UserPoolName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::WAFv2::WebACL': ['Name'],
};

/**
 * Names that must be set (by the service's rules or by CDK) and are unique in an account: each
 * must carry the environment name, like the stack names do.
 */
const MUST_CARRY_ENV_NAME: Record<string, (props: Record<string, unknown>) => unknown> = {
  'AWS::Logs::LogGroup': (p) => p['LogGroupName'], // only WAF's: aws-waf-logs-<...>
  'AWS::Backup::BackupVault': (p) => p['BackupVaultName'],
  // Domain is required (CloudFormation cannot generate a hosted sign-in prefix) and global.
  'AWS::Cognito::UserPoolDomain': (p) => p['Domain'],
  'AWS::Backup::BackupPlan': (p) => (p['BackupPlan'] as { BackupPlanName?: unknown }).BackupPlanName,
  'AWS::CloudFront::Function': (p) => p['Name'],
  'AWS::CloudFront::ResponseHeadersPolicy': (p) =>
    (p['ResponseHeadersPolicyConfig'] as { Name?: unknown }).Name,
  'AWS::CloudFront::OriginAccessControl': (p) => (p['OriginAccessControlConfig'] as { Name?: unknown }).Name,
};

// A second dev-stage deployment in the same account and region as dev.
const staging: DeploymentConfig = { ...example('dev'), envName: 'qa' };

let synthesised: Synthesised[];

beforeAll(() => {
  synthesised = synthesise([example('dev'), staging, example('prod'), example('staging')]);
});

const resources = (s: Synthesised): [string, CfnResource][] =>
  s.all.flatMap((t) => Object.entries(json(t).Resources));

describe('several deployments in one account', () => {
  it('synthesise side by side with distinct, prefixed stack names', () => {
    const names = synthesised.flatMap((s) =>
      s.deployment.stacks.map((stack) => ({ env: s.deployment.config.envName, name: stack.stackName })),
    );
    for (const { env, name } of names) expect(name.startsWith(`Restore-${env}-`)).toBe(true);
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
  });

  it('set no physical name where CloudFormation can generate one', () => {
    for (const s of synthesised) {
      for (const [id, resource] of resources(s)) {
        for (const prop of MUST_BE_GENERATED[resource.Type] ?? []) {
          expect(resource.Properties?.[prop], `${s.deployment.config.envName} ${id}.${prop}`).toBeUndefined();
        }
      }
    }
  });

  it('derive every required account-unique name from the environment name', () => {
    const seen = new Map<string, string>();
    for (const s of synthesised) {
      const env = s.deployment.config.envName;
      for (const [id, resource] of resources(s)) {
        const nameOf = MUST_CARRY_ENV_NAME[resource.Type];
        const name = nameOf && resource.Properties ? nameOf(resource.Properties) : undefined;
        if (name === undefined) continue;
        expect(typeof name, `${env} ${id}`).toBe('string');
        expect((name as string).toLowerCase(), `${env} ${id}`).toContain(env);
        const key = `${resource.Type} ${name as string}`;
        expect(seen.get(key), `${key} in ${env} and ${seen.get(key)}`).toBeUndefined();
        seen.set(key, env);
      }
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('export only names unique to their stack', () => {
    const exports = synthesised.flatMap((s) =>
      s.all.flatMap((t) =>
        Object.values(json(t).Outputs ?? {}).flatMap((o) =>
          o.Export ? [JSON.stringify(o.Export.Name)] : [],
        ),
      ),
    );
    expect(exports.length).toBeGreaterThan(0);
    expect(new Set(exports).size).toBe(exports.length);
  });

  it('keep each deployment’s custom metrics apart (service name per environment)', () => {
    const services = synthesised.map((s) => {
      const fn = [...s.deployment.api.functions.values()][0]!;
      const props = json(s.api).Resources[s.deployment.api.getLogicalId(fn.fn.node.defaultChild as never)]!;
      return (props.Properties!['Environment'] as { Variables: Record<string, string> }).Variables[
        'POWERTOOLS_SERVICE_NAME'
      ];
    });
    expect(new Set(services).size).toBe(synthesised.length);
  });
});
