/**
 * `npm start` keeps its data in a directory: tables, queued messages and the signing key must
 * survive a restart. Also checks the resources are built from the shared definitions.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { createLocalIdentityProvider } from '#local/auth.ts';
import { startLocalAws } from '#local/aws.ts';
import { enrichmentQueue, mainTable, tables } from '#shared/storage/tables.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'restore-persist-'));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('the local AWS with a data directory', () => {
  it('builds tables and queues from the shared definitions', async () => {
    const aws = await startLocalAws();
    try {
      const dynamo = aws.dynamoClient();
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: mainTable.localName }));
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: mainTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: mainTable.sortKey?.name, KeyType: 'RANGE' },
      ]);
      expect(
        Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]).sort(),
      ).toEqual(mainTable.globalIndexes.map((i) => [i.indexName, i.projection]).sort());
      for (const table of tables) expect(aws.env[table.envVar]).toBe(table.localName);

      const queue = aws.queueFor('enrichmentQueue');
      expect(aws.env[enrichmentQueue.envVar]).toBe(queue.url);
      const { Attributes } = await aws
        .sqsClient()
        .send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }));
      const consumer = consumers.find((c) => c.queue === 'enrichmentQueue');
      expect(Number(Attributes?.VisibilityTimeout)).toBe(
        VISIBILITY_TIMEOUT_FACTOR * functions[consumer?.fn ?? 'enrich'].timeoutSeconds,
      );
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: queue.dlqArn,
        maxReceiveCount: enrichmentQueue.maxReceiveCount,
      });
      expect(queue.dlqUrl).toMatch(new RegExp(`/${enrichmentQueue.localName}-dlq$`));
    } finally {
      await aws.stop();
    }
  });

  it('keeps items, queued messages and the signing key across a restart', async () => {
    const ports = { dynamoPort: await freePort(), sqsPort: await freePort(), s3Port: await freePort() };
    const key = { pk: { S: 'PERSIST#1' }, sk: { S: 'A' } };
    const body = JSON.stringify({ survives: 'restart' });

    const first = await startLocalAws({ dataDir, ...ports });
    const firstQueueUrl = first.queueFor('enrichmentQueue').url;
    try {
      await first
        .dynamoClient()
        .send(new PutItemCommand({ TableName: mainTable.localName, Item: { ...key, note: { S: 'kept' } } }));
      await first.sqsClient().send(new SendMessageCommand({ QueueUrl: firstQueueUrl, MessageBody: body }));
    } finally {
      await first.stop();
    }
    const token = await (await createLocalIdentityProvider({ dataDir })).issueToken({ role: 'admin' });

    const second = await startLocalAws({ dataDir, ...ports });
    try {
      expect(second.queueFor('enrichmentQueue').url).toBe(firstQueueUrl);
      // The pages' CSP names the S3 origin, so it stays where it was too.
      expect(second.endpoints.s3).toBe(`http://127.0.0.1:${ports.s3Port}`);
      const { Item } = await second
        .dynamoClient()
        .send(new GetItemCommand({ TableName: mainTable.localName, Key: key }));
      expect(Item?.['note']).toEqual({ S: 'kept' });
      const { Messages } = await second
        .sqsClient()
        .send(
          new ReceiveMessageCommand({ QueueUrl: firstQueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
        );
      expect(Messages?.map((m) => m.Body)).toEqual([body]);
      expect(second.warnings).toEqual([]);
    } finally {
      await second.stop();
    }
    // Another process (npm run token) and the server read the same key.
    const claims = await (await createLocalIdentityProvider({ dataDir })).verifyToken(token);
    expect(claims['cognito:groups']).toEqual(['admin']);
  });
});

describe('the local keys in the data directory', () => {
  it('generates the payout key (the local stand-in for KMS) once and keeps it, also for an older data directory', async () => {
    const { loadOrCreateSecrets } = await import('#local/settings.ts');
    const { encryptionSdkVault, localKeyring } = await import('#functions/payout-vault.ts');
    const dir = await mkdtemp(join(tmpdir(), 'restore-keys-'));
    try {
      // A data directory from before sealed account numbers: secrets.json without a payout key.
      await writeFile(
        join(dir, 'secrets.json'),
        JSON.stringify({ indicatorKey: randomBytes(32).toString('base64') }),
      );
      const first = await loadOrCreateSecrets(dir);
      expect(Buffer.from(first.payoutKey, 'base64')).toHaveLength(32);
      const second = await loadOrCreateSecrets(dir);
      expect(second).toEqual(first);
      // What one run sealed, the next run opens.
      const claimId = 'CLM-TEST';
      const sealed = await encryptionSdkVault(localKeyring(Buffer.from(first.payoutKey, 'base64'))).seal(
        claimId,
        '12345678',
      );
      expect(
        await encryptionSdkVault(localKeyring(Buffer.from(second.payoutKey, 'base64'))).open(claimId, sealed),
      ).toBe('12345678');
      await writeFile(join(dir, 'payout-key'), 'c2hvcnQ=\n');
      await expect(loadOrCreateSecrets(dir)).rejects.toThrow(/payout-key is not a 32-byte key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
