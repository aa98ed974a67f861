/**
 * What cdk-nag cannot see, checked on every example deployment: it does not inspect TableV2
 * (PITR, backups, encryption), queue timing, concurrency limits, or Lambda functions that CDK
 * itself adds as plain CloudFormation resources (custom-resource providers).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, functions } from '#functions/routes.ts';
import { enrichmentQueue, tables } from '#shared/storage/tables.ts';
import type { CfnResource, Synthesised } from './support.ts';
import {
  deployedFunctions,
  example,
  exampleNames,
  json,
  logicalId,
  onlyResourceOfType,
  resourcesOfType,
  synthesise,
} from './support.ts';

let deployments: Synthesised[];
const byEnv = new Map<string, Synthesised>();

beforeAll(() => {
  deployments = synthesise(exampleNames().map(example));
  for (const d of deployments) byEnv.set(d.deployment.config.envName, d);
});

const envs = exampleNames();
const get = (env: string) => byEnv.get(env)!;

/** Lambda functions CDK adds for its own deploy-time work, by logical-id prefix. */
const CDK_HELPER_FUNCTIONS = [
  'CustomCDKBucketDeployment', // website upload (BucketDeployment)
  'CustomS3AutoDeleteObjectsCustomResourceProviderHandler', // empties dev buckets on stack deletion
  'CustomCrossRegionExportWriterCustomResourceProviderHandler', // WAF ARN -> the deployment's region
  'CustomCrossRegionExportReaderCustomResourceProviderHandler',
];
const SUPPORTED_HELPER_RUNTIMES = ['nodejs22.x', 'nodejs24.x', 'python3.12', 'python3.13', 'python3.14'];

describe('example deployments', () => {
  it('include a cross-region deployment and a custom domain, so every path is checked', () => {
    const configs = deployments.map((s) => s.deployment.config);
    expect(configs.some((c) => c.region !== 'us-east-1')).toBe(true);
    expect(configs.some((c) => c.customDomain)).toBe(true);
    expect(configs.some((c) => c.identityProvider.kind === 'oidc')).toBe(true);
  });
});

describe.each(envs)('tables (%s)', (env) => {
  it('has point-in-time recovery and the data key on every table', () => {
    const s = get(env);
    const dataKey = logicalId(s.deployment.data.key);
    for (const t of tables) {
      const table = json(s.data).Resources[logicalId(s.deployment.data.tables.get(t.id)!)]!;
      expect(table.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(table.Properties!['SSESpecification']).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      for (const replica of table.Properties!['Replicas'] as Record<string, unknown>[]) {
        expect(replica['PointInTimeRecoverySpecification'], t.id).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(replica['SSESpecification'], t.id).toEqual({
          KMSMasterKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] },
        });
      }
    }
  });

  it('puts every table in a daily backup plan kept for backupRetentionDays, in a vault under the data key', () => {
    const s = get(env);
    const selection = onlyResourceOfType(s.data, 'AWS::Backup::BackupSelection');
    const selected = (selection.Properties!['BackupSelection'] as { Resources: unknown[] }).Resources;
    for (const t of tables) {
      const id = logicalId(s.deployment.data.tables.get(t.id)!);
      expect(selected, t.id).toContainEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    }
    const plan = onlyResourceOfType(s.data, 'AWS::Backup::BackupPlan').Properties!['BackupPlan'] as {
      BackupPlanRule: { ScheduleExpression: string; Lifecycle: { DeleteAfterDays: number } }[];
    };
    expect(plan.BackupPlanRule).toHaveLength(1);
    expect(plan.BackupPlanRule[0]!.ScheduleExpression).toMatch(/^cron\(0 5 \* \* \? \*\)$/);
    expect(plan.BackupPlanRule[0]!.Lifecycle.DeleteAfterDays).toBe(s.deployment.config.backupRetentionDays);
    const vault = onlyResourceOfType(s.data, 'AWS::Backup::BackupVault');
    expect(vault.Properties!['EncryptionKeyArn']).toEqual({
      'Fn::GetAtt': [logicalId(s.deployment.data.key), 'Arn'],
    });
    expect(vault.DeletionPolicy).toBe('Retain');
  });
});

describe.each(envs)('queues (%s)', (env) => {
  it('keeps enrichment messages invisible for at least 6x the longest consumer timeout (as deployed)', () => {
    const s = get(env);
    const queue = json(s.enrichment).Resources[logicalId(s.deployment.enrichment.queue)]!;
    for (const [, mapping] of resourcesOfType(s.enrichment, 'AWS::Lambda::EventSourceMapping')) {
      const fnId = (mapping.Properties!['FunctionName'] as { Ref: string }).Ref;
      const timeout = json(s.enrichment).Resources[fnId]!.Properties!['Timeout'] as number;
      expect(queue.Properties!['VisibilityTimeout'] as number).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('moves a message to the dead-letter queue only after at least 5 receives', () => {
    const s = get(env);
    const queue = json(s.enrichment).Resources[logicalId(s.deployment.enrichment.queue)]!;
    const redrive = queue.Properties!['RedrivePolicy'] as { maxReceiveCount: number };
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(redrive.maxReceiveCount).toBe(enrichmentQueue.maxReceiveCount);
  });

  it('encrypts every queue with the data key and refuses non-TLS access', () => {
    const s = get(env);
    const queues = resourcesOfType(s.enrichment, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [id, q] of queues) {
      expect(JSON.stringify(q.Properties!['KmsMasterKeyId']), id).toContain(logicalId(s.deployment.data.key));
      expect(denysInsecureTransport(s.enrichment, 'AWS::SQS::QueuePolicy', id), id).toBe(true);
    }
  });
});

describe.each(envs)('functions (%s)', (env) => {
  const lambdas = () => get(env).all.flatMap((t) => resourcesOfType(t, 'AWS::Lambda::Function'));

  it('runs every Restore function on nodejs24.x arm64 with the route table’s memory and timeout, traced as configured', () => {
    const s = get(env);
    const ours = deployedFunctions(s);
    expect(ours.length).toBeGreaterThan(0);
    for (const f of ours) {
      const props = json(f.template).Resources[f.functionId]!.Properties!;
      expect(props, f.name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: functions[f.name].memoryMb,
        Timeout: functions[f.name].timeoutSeconds,
        TracingConfig: { Mode: s.deployment.config.tracing === 'active' ? 'Active' : 'PassThrough' },
      });
    }
  });

  it('caps every Restore function: reserved concurrency, and consumers’ pollers within it', () => {
    const s = get(env);
    for (const f of deployedFunctions(s)) {
      const reserved = json(f.template).Resources[f.functionId]!.Properties!['ReservedConcurrentExecutions'];
      expect(reserved, f.name).toBe(s.deployment.config.reservedConcurrency);
    }
    for (const [, mapping] of resourcesOfType(s.enrichment, 'AWS::Lambda::EventSourceMapping')) {
      const max = (mapping.Properties!['ScalingConfig'] as { MaximumConcurrency: number }).MaximumConcurrency;
      expect(max).toBeGreaterThanOrEqual(2);
      expect(max).toBeLessThanOrEqual(s.deployment.config.reservedConcurrency);
    }
    expect(consumers.length).toBeGreaterThan(0);
  });

  it('has no Lambda function other than Restore’s own and CDK’s known deploy-time helpers', () => {
    const s = get(env);
    const ours = new Set(deployedFunctions(s).map((f) => f.functionId));
    for (const [id, lambda] of lambdas()) {
      if (ours.has(id)) continue;
      expect(
        CDK_HELPER_FUNCTIONS.some((prefix) => id.startsWith(prefix)),
        `unexpected function ${id}`,
      ).toBe(true);
      expect(SUPPORTED_HELPER_RUNTIMES, id).toContain(lambda.Properties!['Runtime']);
      expect(lambda.Properties!['MemorySize'], id).toBeGreaterThan(0);
      expect(lambda.Properties!['Timeout'], id).toBeGreaterThan(0);
    }
  });
});

describe.each(envs)('logs, buckets and topics (%s)', (env) => {
  it('gives every log group a retention and a customer-managed key', () => {
    const s = get(env);
    const groups = s.all.flatMap((t) => resourcesOfType(t, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const [id, group] of groups) {
      expect(group.Properties!['RetentionInDays'], id).toBe(s.deployment.config.logRetentionDays);
      expect(group.Properties!['KmsKeyId'], id).toBeDefined();
    }
  });

  it('blocks public access, versions, and refuses non-TLS access on every bucket', () => {
    const s = get(env);
    const buckets = resourcesOfType(s.edge, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties!['PublicAccessBlockConfiguration'], id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties!['VersioningConfiguration'], id).toEqual({ Status: 'Enabled' });
      expect(denysInsecureTransport(s.edge, 'AWS::S3::BucketPolicy', id), id).toBe(true);
    }
  });

  it('refuses non-TLS publishing on every topic', () => {
    const s = get(env);
    for (const t of [s.monitoring, s.waf]) {
      for (const [id, topic] of resourcesOfType(t, 'AWS::SNS::Topic')) {
        expect(topic.Properties!['KmsMasterKeyId'], id).toBeDefined();
        expect(denysInsecureTransport(t, 'AWS::SNS::TopicPolicy', id), id).toBe(true);
      }
    }
  });
});

/** Does a resource policy of `type` attached to `id` deny every request not made over TLS? */
function denysInsecureTransport(
  t: Synthesised['data'],
  type: 'AWS::SQS::QueuePolicy' | 'AWS::S3::BucketPolicy' | 'AWS::SNS::TopicPolicy',
  id: string,
): boolean {
  return resourcesOfType(t, type).some(([, policy]: [string, CfnResource]) => {
    const props = policy.Properties!;
    const target = JSON.stringify(props['Queues'] ?? props['Bucket'] ?? props['Topics']);
    if (!target.includes(`"${id}"`)) return false;
    const statements = (props['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement;
    return statements.some(
      (st) =>
        st['Effect'] === 'Deny' &&
        JSON.stringify(st['Condition']) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
    );
  });
}
