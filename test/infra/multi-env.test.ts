import { beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '#infra/config/deployment.ts';
import type { Synthesised } from './support.ts';
import { example, json, synthesise } from './support.ts';

/** Properties that fix a resource's physical name; two deployments in one account would clash. */
const PHYSICAL_NAMES: Record<string, string[]> = {
  'AWS::DynamoDB::GlobalTable': ['TableName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::Policy': [],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::Cognito::UserPool': ['UserPoolName'],
  'AWS::Cognito::UserPoolDomain': ['Domain'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
};

// A second dev-stage deployment in the same account and region as dev.
const staging: DeploymentConfig = { ...example('dev'), envName: 'staging' };

let synthesised: Synthesised[];

beforeAll(() => {
  synthesised = synthesise([example('dev'), staging, example('prod')]);
});

describe('several deployments in one account', () => {
  it('synthesise side by side with distinct, prefixed stack names', () => {
    const names = synthesised.flatMap((s) =>
      [s.deployment.data, s.deployment.auth, s.deployment.enrichment, s.deployment.api].flatMap((stack) =>
        stack ? [{ env: s.deployment.config.envName, name: stack.stackName }] : [],
      ),
    );
    for (const { env, name } of names) expect(name.startsWith(`Restore-${env}-`)).toBe(true);
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
  });

  it('set no physical resource names', () => {
    for (const s of synthesised) {
      for (const t of s.all) {
        for (const [id, resource] of Object.entries(json(t).Resources)) {
          for (const prop of PHYSICAL_NAMES[resource.Type] ?? []) {
            expect(
              resource.Properties?.[prop],
              `${s.deployment.config.envName} ${id}.${prop}`,
            ).toBeUndefined();
          }
        }
      }
    }
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
});
