import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tables } from '#shared/storage/tables.ts';
import type { Synthesised } from './support.ts';
import { example, json, logicalId, onlyResourceOfType, synthesise } from './support.ts';

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  [dev, prod] = synthesise([example('dev'), example('prod')]) as [Synthesised, Synthesised];
});

const keyId = (s: Synthesised) => logicalId(s.deployment.data.key);
const tableResource = (s: Synthesised, id: string) => {
  const table = s.deployment.data.tables.get(id)!;
  return json(s.data).Resources[logicalId(table)]!;
};

describe('data key', () => {
  it('is a customer-managed key with rotation on', () => {
    for (const s of [dev, prod]) {
      s.data.resourceCountIs('AWS::KMS::Key', 1);
      s.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    }
  });

  it('lets CloudWatch Logs use it only for this account’s log groups', () => {
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
  });

  it('is retained in prod and removable in dev', () => {
    expect(json(prod.data).Resources[keyId(prod)]!.DeletionPolicy).toBe('Retain');
    expect(json(dev.data).Resources[keyId(dev)]!.DeletionPolicy).toBe('Delete');
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
    const indexes = (props['GlobalSecondaryIndexes'] ?? []) as { IndexName: string; KeySchema: unknown }[];
    expect(indexes.map((i) => [i.IndexName, i.KeySchema])).toEqual(
      definition.globalIndexes.map((g) => [
        g.indexName,
        [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
        ],
      ]),
    );
    expect(props['TimeToLiveSpecification']).toEqual(
      definition.timeToLiveAttribute
        ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
        : undefined,
    );
    expect(props['TableName']).toBeUndefined();
  });

  it('has point-in-time recovery and SSE with the data key', () => {
    for (const s of [dev, prod]) {
      const props = tableResource(s, id).Properties!;
      expect(props['SSESpecification']).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      const [replica] = props['Replicas'] as Record<string, unknown>[];
      expect(replica).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId(s), 'Arn'] } },
      });
    }
  });

  it('is deletion-protected and retained in prod only', () => {
    const prodTable = tableResource(prod, id);
    const devTable = tableResource(dev, id);
    expect(
      (prodTable.Properties!['Replicas'] as Record<string, unknown>[])[0]!['DeletionProtectionEnabled'],
    ).toBe(true);
    expect(
      (devTable.Properties!['Replicas'] as Record<string, unknown>[])[0]!['DeletionProtectionEnabled'],
    ).not.toBe(true);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(devTable.DeletionPolicy).toBe('Delete');
  });
});

describe('indicator key secret', () => {
  it('is 64 random characters encrypted with the data key', () => {
    for (const s of [dev, prod]) {
      s.data.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
        KmsKeyId: { 'Fn::GetAtt': [keyId(s), 'Arn'] },
        Name: Match.absent(),
      });
    }
  });

  it('is retained in prod', () => {
    expect(onlyResourceOfType(prod.data, 'AWS::SecretsManager::Secret').DeletionPolicy).toBe('Retain');
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
