/**
 * Builds the shared-indicator summaries partners receive for reports enriched before summaries
 * existed (docs/sharing.md, "Backfilling summaries"). Resumable (a checkpoint item in the main
 * table, written after every page) and idempotent (running it again changes nothing).
 *
 *   npm run sharing:backfill -- --local                         # against `npm start`'s data
 *   npm run sharing:backfill -- --table NAME --region REGION    # a deployment's main table
 *
 * Options: `--from DATE` (earliest report to visit; default all), `--restart` (start again from
 * the newest report even if a run finished), `--page N` (reports per page, 10-500),
 * `--retention-days N` (the deployment's report retention, so summaries expire with their
 * reports). In AWS it uses the operator's credentials, with dynamodb:Query, GetItem,
 * BatchGetItem, PutItem and UpdateItem on the table and its indexes (and use of the data key).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, type LocalAws, startLocalAws } from '../local/aws.ts';
import { LOCAL_REGION } from '../local/lambda.ts';
import { localSettings } from '../local/settings.ts';
import { BackfillCheckpointRepository } from '../shared/storage/backfill-checkpoint-repository.ts';
import { ReportRepository } from '../shared/storage/report-repository.ts';
import { SharedIndicatorRepository } from '../shared/storage/shared-indicator-repository.ts';
import { mainTable } from '../shared/storage/tables.ts';
import { type BackfillCheckpoint, backfillSharedSummaries } from '../shared/use-cases/backfill-shared.ts';

const USAGE =
  'usage: npm run sharing:backfill -- --local [--from DATE] [--restart] [--page N]\n' +
  '       npm run sharing:backfill -- --table NAME --region REGION [--from DATE] [--restart] [--page N]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      local: { type: 'boolean' },
      table: { type: 'string' },
      region: { type: 'string' },
      from: { type: 'string' },
      restart: { type: 'boolean' },
      page: { type: 'string' },
      'retention-days': { type: 'string' },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
const local = values['local'] === true;
if (local === (values['table'] !== undefined)) fail('Give either --local or --table (and --region).');
if (!local && values['region'] === undefined) fail('--table needs --region.');
const from = values['from'] as string | undefined;
if (from !== undefined && Number.isNaN(Date.parse(from))) fail('--from must be a date like 2025-01-01.');
const pageSize = values['page'] === undefined ? 100 : Number(values['page']);
if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 500) fail('--page must be from 10 to 500.');
const retention = values['retention-days'] === undefined ? undefined : Number(values['retention-days']);
if (retention !== undefined && !(Number.isInteger(retention) && retention > 0)) {
  fail("--retention-days must be a whole number of days (the deployment's report retention).");
}

let owned: LocalAws | undefined;
let dynamo: DynamoDBClient;
let table: string;
if (local) {
  const settings = localSettings();
  const endpoint = `http://127.0.0.1:${settings.dynamoPort}`;
  const running = await fetch(endpoint, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (!running) {
    console.log('npm start is not running: starting the local servers on its data directory.');
    owned = await startLocalAws({
      dataDir: settings.dataDir,
      dynamoPort: settings.dynamoPort,
      sqsPort: settings.sqsPort,
    });
  }
  dynamo = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  table = mainTable.localName;
} else {
  dynamo = new DynamoDBClient({ region: values['region'] as string, maxAttempts: 10 });
  table = values['table'] as string;
}

const describe = (c: BackfillCheckpoint) =>
  `${c.reports} reports read (${c.consenting} consenting), ${c.refreshed} identifiers refreshed, ${c.written} summaries written`;

try {
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const result = await backfillSharedSummaries(
    {
      ...(from ? { from: new Date(Date.parse(from)).toISOString() } : {}),
      restart: values['restart'] === true,
      pageSize,
    },
    {
      reports: new ReportRepository(doc, table),
      store: new SharedIndicatorRepository(doc, table, retention ? { retentionDays: retention } : {}),
      checkpoints: new BackfillCheckpointRepository(doc, table),
      onPage: (c) => console.log(describe(c)),
    },
  );
  console.log(
    result.done
      ? `Done (${result.from} to ${result.to}): ${describe(result)}. Run with --restart to go over every report again.`
      : `Stopped: ${describe(result)}. Run again to continue.`,
  );
} finally {
  dynamo.destroy();
  await owned?.stop();
}
