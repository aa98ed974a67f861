import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tables } from '#shared/storage/tables.ts';
import type { Synthesised } from './support.ts';
import { example, json, logicalId, resourcesOfType, synthesise } from './support.ts';

let dev: Synthesised;
let prod: Synthesised;
let staging: Synthesised;

beforeAll(() => {
  [dev, prod, staging] = synthesise([example('dev'), example('prod'), example('staging')]) as [
    Synthesised,
    Synthesised,
    Synthesised,
  ];
});

const keyId = (s: Synthesised) => logicalId(s.deployment.data.key);
const opsKeyId = (s: Synthesised) => logicalId(s.deployment.data.opsKey);
const tableResource = (s: Synthesised, id: string) => {
  const table = s.deployment.data.tables.get(id)!;
  return json(s.data).Resources[logicalId(table)]!;
};
const keyPolicy = (s: Synthesised, id: string) =>
  JSON.stringify(json(s.data).Resources[id]!.Properties!['KeyPolicy']);

describe('keys', () => {
  it('are three customer-managed keys with rotation on: data, logs and alarms, and account numbers', () => {
    for (const s of [dev, prod]) {
      s.data.resourceCountIs('AWS::KMS::Key', 3);
      for (const [, key] of resourcesOfType(s.data, 'AWS::KMS::Key')) {
        expect(key.Properties!['EnableKeyRotation']).toBe(true);
      }
    }
  });

  it('keep the payout key for account numbers alone: no table, queue, bucket or secret uses it', () => {
    for (const s of [dev, prod]) {
      const payoutKeyId = logicalId(s.deployment.data.payoutKey);
      expect(payoutKeyId).not.toBe(logicalId(s.deployment.data.key));
      for (const [id, resource] of Object.entries(json(s.data).Resources)) {
        if (id === payoutKeyId || resource.Type === 'AWS::KMS::Alias') continue;
        expect(JSON.stringify(resource.Properties ?? {}), id).not.toContain(payoutKeyId);
      }
    }
  });

  it('let CloudWatch Logs use only the ops key, only for this account’s log groups', () => {
    dev.data.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
    expect(keyPolicy(dev, opsKeyId(dev))).toContain('logs.us-east-1.amazonaws.com');
    expect(keyPolicy(dev, keyId(dev))).not.toContain('logs.');
    expect(keyPolicy(dev, keyId(dev))).not.toContain('cloudwatch.amazonaws.com');
  });

  it('open no service to wildcard KMS actions', () => {
    for (const s of [dev, prod]) {
      for (const [id] of resourcesOfType(s.data, 'AWS::KMS::Key')) {
        const statements = JSON.parse(keyPolicy(s, id)).Statement as {
          Sid?: string;
          Action: string | string[];
        }[];
        for (const st of statements.filter((x) => x.Sid?.startsWith('Allow'))) {
          for (const action of [st.Action].flat()) expect(action, `${id} ${st.Sid}`).not.toContain('*');
        }
      }
    }
  });

  it('are retained in prod (and wherever removalPolicy is retain) and removable in dev', () => {
    for (const id of [keyId(prod), opsKeyId(prod)])
      expect(json(prod.data).Resources[id]!.DeletionPolicy).toBe('Retain');
    for (const id of [keyId(staging), opsKeyId(staging)]) {
      expect(json(staging.data).Resources[id]!.DeletionPolicy).toBe('Retain');
    }
    for (const id of [keyId(dev), opsKeyId(dev)])
      expect(json(dev.data).Resources[id]!.DeletionPolicy).toBe('Delete');
    expect(json(prod.data).Resources[keyId(prod)]!.Properties!['PendingWindowInDays']).toBe(30);
  });
});

describe.each(tables.map((t) => [t.id, t] as const))('table %s', (id, definition) => {
  it('has the keys, indexes and TTL from shared/storage/tables.ts', () => {
    const props = tableResource(dev, id).Properties!;
    const keySchema = [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    expect(props['KeySchema']).toEqual(keySchema);
    const indexes = (props['GlobalSecondaryIndexes'] ?? []) as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    expect(indexes.map((i) => [i.IndexName, i.KeySchema, i.Projection])).toEqual(
      definition.globalIndexes.map((g) => [
        g.indexName,
        [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
        ],
        { ProjectionType: g.projection },
      ]),
    );
    expect(props['TimeToLiveSpecification']).toEqual(
      definition.timeToLiveAttribute
        ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
        : undefined,
    );
    expect(props['TableName']).toBeUndefined();
  });

  it('is deletion-protected and retained when data is retained, removable in dev', () => {
    for (const s of [prod, staging]) {
      const table = tableResource(s, id);
      expect(
        (table.Properties!['Replicas'] as Record<string, unknown>[])[0]!['DeletionProtectionEnabled'],
      ).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
    const devTable = tableResource(dev, id);
    expect(
      (devTable.Properties!['Replicas'] as Record<string, unknown>[])[0]!['DeletionProtectionEnabled'],
    ).not.toBe(true);
    expect(devTable.DeletionPolicy).toBe('Delete');
  });
});

describe('report retention', () => {
  it('expires reports through the main table’s TTL attribute, which the intake handler sets from REPORT_RETENTION_DAYS', () => {
    const main = tables.find((t) => t.id === 'MainTable')!;
    expect(main.timeToLiveAttribute).toBe('expiresAt');
    expect(tableResource(prod, 'MainTable').Properties!['TimeToLiveSpecification']).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });
});

describe('indicator key secret', () => {
  it('is 64 random characters encrypted with the data key, retained in prod', () => {
    for (const s of [dev, prod]) {
      s.data.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
        KmsKeyId: { 'Fn::GetAtt': [keyId(s), 'Arn'] },
        Name: Match.absent(),
      });
    }
    const [, secret] = resourcesOfType(prod.data, 'AWS::SecretsManager::Secret')[0]!;
    expect(secret.DeletionPolicy).toBe('Retain');
  });
});

describe('data outputs', () => {
  it('outputs every table name', () => {
    const outputs = json(dev.data).Outputs ?? {};
    for (const t of tables) {
      expect(outputs[`${t.id}Name`], t.id).toBeDefined();
    }
  });
});
