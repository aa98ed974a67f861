/**
 * `npm run seed`: fills the local runtime with demo data (local/demo-data.ts, docs/demo-data.md).
 * With `npm start` running it writes into that runtime's DynamoDB and S3; otherwise it starts the
 * same local servers on the same data directory, seeds and stops them, and `npm start` finds the data.
 * Safe to run again: nothing already there is added twice.
 *
 *   npm run seed                 # about 2,000 reports
 *   npm run seed -- --reports 300
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { encryptionSdkVault, localKeyring } from '#functions/payout-vault.ts';
import { ArtefactStore } from '#shared/storage/artefact-store.ts';
import { artefactBucket, mainTable } from '#shared/storage/tables.ts';
import { LOCAL_CREDENTIALS, type LocalAws, startLocalAws } from './aws.ts';
import { seedDemoData } from './demo-data.ts';
import { LOCAL_REGION } from './lambda.ts';
import { loadOrCreateSecrets, localSettings } from './settings.ts';

const { values } = parseArgs({ options: { reports: { type: 'string' } }, strict: true });
const reports = values.reports === undefined ? 2000 : Number(values.reports);
if (!Number.isInteger(reports) || reports < 10 || reports > 50_000) {
  console.error('--reports must be a whole number from 10 to 50000.');
  process.exit(2);
}

const settings = localSettings();
const endpoint = `http://127.0.0.1:${settings.dynamoPort}`;

/** Whether a DynamoDB (the running `npm start`) answers on the local port. */
async function running(): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

let owned: LocalAws | undefined;
if (!(await running())) {
  console.log('npm start is not running: starting the local servers on its data directory to seed them.');
  owned = await startLocalAws({
    dataDir: settings.dataDir,
    dynamoPort: settings.dynamoPort,
    sqsPort: settings.sqsPort,
    s3Port: settings.s3Port,
  });
}
try {
  const { indicatorKey, payoutKey } = await loadOrCreateSecrets(settings.dataDir);
  const dynamo = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${settings.s3Port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  const doc = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const summary = await seedDemoData({
    doc,
    table: mainTable.localName,
    key: Buffer.from(indicatorKey, 'base64'),
    payoutVault: encryptionSdkVault(localKeyring(Buffer.from(payoutKey, 'base64'))),
    artefacts: new ArtefactStore(s3, artefactBucket.localName),
    reports,
    log: (line) => console.log(line),
  });
  console.log(
    `Seeded in ${(summary.millis / 1000).toFixed(1)} s. Staff console: /staff/ (see README for the accounts).`,
  );
  dynamo.destroy();
  s3.destroy();
} finally {
  await owned?.stop();
}
