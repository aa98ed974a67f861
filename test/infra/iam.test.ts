import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionAccess } from '#functions/routes.ts';
import { functions } from '#functions/routes.ts';
import { PAYOUT_PURPOSE } from '#shared/use-cases/payout-vault.ts';
import type { DeployedFunction, Synthesised } from './support.ts';
import {
  actionsOf,
  deployedFunctions,
  example,
  json,
  logicalId,
  policyStatements,
  resourcesOfType,
  synthesise,
} from './support.ts';

let deployments: Synthesised[];
let fns: DeployedFunction[];

beforeAll(() => {
  deployments = synthesise([example('dev'), example('prod')]);
  fns = deployments.flatMap(deployedFunctions);
});

const actionsFor = (f: DeployedFunction) => policyStatements(f.template, f.policyId).flatMap(actionsOf);
const accessOf = (f: DeployedFunction): FunctionAccess => functions[f.name].access;
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('least privilege', () => {
  it('covers every function (sanity check for the tests below)', () => {
    expect(fns.length).toBeGreaterThan(0);
    expect(fns.some((f) => accessOf(f).mainTable === 'read')).toBe(true);
  });

  it('gives read-only functions no DynamoDB write actions (appending to the audit trail aside)', () => {
    for (const f of fns.filter((fn) => accessOf(fn).mainTable === 'read' && !accessOf(fn).idempotencyTable)) {
      // Every staff function appends to the audit table; test/infra/audit.test.ts proves that is
      // PutItem on that table alone.
      const actions = policyStatements(f.template, f.policyId)
        .filter((st) => !JSON.stringify(st.Resource).includes('AuditTable'))
        .flatMap(actionsOf);
      expect(actions, f.name).toContain('dynamodb:Query');
      for (const write of WRITES) expect(actions, f.name).not.toContain(write);
    }
  });

  it('lets only read-write functions write the main table', () => {
    for (const f of fns) {
      const writesMain = policyStatements(f.template, f.policyId).some(
        (st) =>
          JSON.stringify(st.Resource).includes('MainTable') && actionsOf(st).some((a) => WRITES.includes(a)),
      );
      expect(writesMain, f.name).toBe(accessOf(f).mainTable === 'readwrite');
    }
  });

  it('has no statement with Action "*" or a whole-service wildcard anywhere', () => {
    for (const s of deployments) {
      for (const t of s.all) {
        for (const statement of policyStatements(t)) {
          for (const action of actionsOf(statement)) {
            expect(action).not.toBe('*');
            expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
          }
        }
      }
    }
  });

  it('grants the queues, the bucket, the secret and the idempotency table only to functions whose access says so', () => {
    const on = (f: DeployedFunction, action: string, resource: string) =>
      policyStatements(f.template, f.policyId).some(
        (st) => actionsOf(st).includes(action) && JSON.stringify(st.Resource).includes(resource),
      );
    for (const f of fns) {
      const actions = actionsFor(f);
      const access = accessOf(f);
      expect(on(f, 'sqs:SendMessage', 'EnrichmentQueue'), `${f.name} send`).toBe(
        access.enrichmentQueue === 'send',
      );
      expect(on(f, 'sqs:ReceiveMessage', 'EnrichmentQueue'), `${f.name} consume`).toBe(
        access.enrichmentQueue === 'consume',
      );
      const sendsJobs =
        access.distributionQueue === 'send' || access.distributionQueue === 'consume-and-send';
      expect(on(f, 'sqs:SendMessage', 'DistributionQueue'), `${f.name} send jobs`).toBe(sendsJobs);
      expect(on(f, 'sqs:ReceiveMessage', 'DistributionQueue'), `${f.name} run jobs`).toBe(
        access.distributionQueue === 'consume-and-send' || access.distributionQueue === 'consume',
      );
      expect(on(f, 's3:PutObject', '/distributions/'), `${f.name} write artefacts`).toBe(
        access.artefactBucket === 'readwrite',
      );
      expect(on(f, 's3:GetObject', '/distributions/'), `${f.name} read artefacts`).toBe(
        !!access.artefactBucket,
      );
      const sendsExports = !!access.sharingExportQueue;
      expect(on(f, 'sqs:SendMessage', 'SharingExportQueue'), `${f.name} send export steps`).toBe(
        sendsExports,
      );
      expect(on(f, 'sqs:ReceiveMessage', 'SharingExportQueue'), `${f.name} run exports`).toBe(
        access.sharingExportQueue === 'consume-and-send',
      );
      expect(on(f, 's3:PutObject', '/exports/'), `${f.name} write export files`).toBe(
        access.exportFiles === 'write',
      );
      expect(on(f, 's3:GetObject', '/exports/'), `${f.name} read export files`).toBe(!!access.exportFiles);
      // Each artefact grant names its prefix: no function reaches the whole bucket.
      expect(on(f, 's3:GetObject', '"/*"'), `${f.name} whole bucket`).toBe(false);
      // Only the scan-result function deletes, and only what it moved out of quarantine.
      expect(actions.includes('s3:DeleteObject'), `${f.name} delete`).toBe(access.uploadBucket === 'scan');
      expect(on(f, 's3:PutObject', '/quarantine/'), `${f.name} sign uploads`).toBe(
        access.uploadBucket === 'presign',
      );
      expect(on(f, 's3:PutObject', '/documents/'), `${f.name} promote uploads`).toBe(
        access.uploadBucket === 'scan',
      );
      expect(on(f, 's3:GetObject', '/documents/'), `${f.name} read documents`).toBe(
        access.uploadBucket === 'read',
      );
      expect(actions.includes('secretsmanager:GetSecretValue'), `${f.name} secret`).toBe(
        !!access.indicatorKey,
      );
      expect(on(f, 'kms:GenerateDataKey', 'PayoutKey'), `${f.name} seal account numbers`).toBe(
        access.payoutVault === 'seal',
      );
      expect(on(f, 'kms:Decrypt', 'PayoutKey'), `${f.name} open account numbers`).toBe(
        access.payoutVault === 'open',
      );
      const statements = policyStatements(f.template, f.policyId);
      const touchesIdempotency = statements.some((st) =>
        JSON.stringify(st.Resource).includes('IdempotencyTable'),
      );
      expect(touchesIdempotency, `${f.name} idempotency`).toBe(!!access.idempotencyTable);
    }
  });

  it('gives a function with no access nothing beyond its logs and traces', () => {
    for (const f of fns.filter((fn) => Object.keys(accessOf(fn)).length === 0)) {
      expect(new Set(actionsFor(f))).toEqual(
        new Set([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
        ]),
      );
    }
  });

  it('lets each function write only to its own log group, without AWS managed policies', () => {
    for (const f of fns) {
      const logs = policyStatements(f.template, f.policyId).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('logs:')),
      );
      expect(logs.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [f.logGroupId, 'Arn'] }]);
    }
    for (const f of fns) {
      const roleId = logicalId(f.fn.role);
      expect(json(f.template).Resources[roleId]!.Properties!['ManagedPolicyArns'], f.name).toBeUndefined();
    }
  });

  it('attaches AWS managed policies only to the backup service role and CDK’s deploy-time helpers', () => {
    const allowed = [
      /^BackupPlanTablesRole/,
      /^CustomCDKBucketDeployment/,
      /^Custom(S3AutoDeleteObjects|CrossRegionExport(Writer|Reader))CustomResourceProviderRole/,
    ];
    for (const s of deployments) {
      for (const t of s.all) {
        for (const [id, role] of resourcesOfType(t, 'AWS::IAM::Role')) {
          if (role.Properties!['ManagedPolicyArns'] === undefined) continue;
          expect(
            allowed.some((re) => re.test(id)),
            id,
          ).toBe(true);
        }
      }
    }
  });

  it('uses no wildcard action on data: every action of every function is spelled out', () => {
    for (const f of fns) {
      for (const action of actionsFor(f)) expect(action, f.name).not.toContain('*');
    }
  });

  it('never lets a function scan a table (docs/data-model.md lists no scan)', () => {
    for (const f of fns) expect(actionsFor(f), f.name).not.toContain('dynamodb:Scan');
  });

  it('names each table index instead of index/*', () => {
    for (const f of fns) {
      for (const st of policyStatements(f.template, f.policyId)) {
        expect(JSON.stringify(st.Resource ?? ''), f.name).not.toContain('/index/*');
      }
    }
  });

  it('reads the indicator secret’s key only through Secrets Manager', () => {
    for (const f of fns.filter((fn) => accessOf(fn).indicatorKey && !accessOf(fn).mainTable)) {
      // Functions that also use the table get kms:Decrypt through the table grant; others must not.
      const kms = policyStatements(f.template, f.policyId).filter((st) =>
        actionsOf(st).includes('kms:Decrypt'),
      );
      for (const st of kms) expect(st.Condition, f.name).toBeDefined();
    }
    const secretReaders = fns.filter((f) => accessOf(f).indicatorKey);
    expect(secretReaders.length).toBeGreaterThan(0);
    for (const f of secretReaders) {
      const viaSecrets = policyStatements(f.template, f.policyId).filter(
        (st) =>
          actionsOf(st).includes('kms:Decrypt') &&
          JSON.stringify(st.Condition ?? {}).includes('secretsmanager.us-east-1.amazonaws.com'),
      );
      expect(viaSecrets, f.name).toHaveLength(1);
    }
  });

  it('uses the payout key only as routes.ts says: encrypt to take numbers, decrypt only to write the payment file', () => {
    const payoutStatements = (f: DeployedFunction) =>
      policyStatements(f.template, f.policyId).filter((st) =>
        JSON.stringify(st.Resource).includes('PayoutKey'),
      );
    const vaultAccess = Object.entries(functions).map(
      ([name, spec]) => [name, (spec.access as FunctionAccess).payoutVault] as const,
    );
    const sealers = vaultAccess.filter(([, mode]) => mode === 'seal');
    const openers = vaultAccess.filter(([, mode]) => mode === 'open');
    expect(sealers.map(([name]) => name)).toContain('claims');
    expect(openers.map(([name]) => name)).toEqual(['distributionWorker']);
    for (const f of fns) {
      const statements = payoutStatements(f);
      const mode = accessOf(f).payoutVault;
      if (!mode) {
        expect(statements, f.name).toEqual([]);
        continue;
      }
      // One statement, one action, one key, with the encryption context as its condition.
      expect(statements, f.name).toHaveLength(1);
      const st = statements[0]!;
      const condition = st.Condition as Record<string, unknown>;
      expect(actionsOf(st), f.name).toEqual(mode === 'seal' ? ['kms:GenerateDataKey'] : ['kms:Decrypt']);
      expect(condition['StringEquals'], f.name).toEqual({ 'kms:EncryptionContext:purpose': PAYOUT_PURPOSE });
      expect(condition['Null'], f.name).toEqual(
        mode === 'seal' ? { 'kms:EncryptionContext:claimId': 'false' } : undefined,
      );
    }
    // The adapter finds the key by this variable; only the functions granted it are told it.
    for (const f of fns) {
      const env = json(f.template).Resources[f.functionId]?.Properties?.['Environment'];
      expect(JSON.stringify(env ?? {}).includes('PAYOUT_KEY_ARN'), f.name).toBe(!!accessOf(f).payoutVault);
    }
  });

  it('keeps function roles out of the key policies (no cross-stack cycle)', () => {
    for (const s of deployments) {
      expect(JSON.stringify(json(s.data).Resources)).not.toMatch(/ImportValue/);
      for (const [id, key] of resourcesOfType(s.data, 'AWS::KMS::Key')) {
        expect(JSON.stringify(key.Properties!['KeyPolicy']), id).not.toContain('Role');
      }
    }
  });
});
