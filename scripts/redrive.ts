/**
 * Moves the reports waiting in a deployment's enrichment dead-letter queue back to the queue they
 * came from, after the cause has been fixed (docs/runbook.md, "Dead-letter queue not empty").
 *
 *   npm run redrive -- --env prod --dry-run     # show what would move
 *   npm run redrive -- --env prod               # start the move
 *
 * Options: `--dlq-arn ARN` (skip the lookup), `--outputs-file FILE` (default
 * cdk-outputs/<env>.json), `--region REGION`, `--rate N` (messages per second, 1-500).
 *
 * How the dead-letter queue is found, first match wins:
 * 1. `--dlq-arn`;
 * 2. the `EnrichmentQueueDlqArn` output of stack `Restore-<env>-Enrichment` in the file written by
 *    `cdk deploy --outputs-file cdk-outputs/<env>.json` (the deploy guide's convention);
 * 3. SQS itself: CloudFormation names the queue `Restore-<env>-Enrichment-EnrichmentQueueDlq…`,
 *    looked up with ListQueues in the deployment's region (from cdk.json).
 *
 * It uses SQS's own redrive (StartMessageMoveTask without a destination), which returns each
 * message to the queue it was dead-lettered from. Nothing is deleted. Needs the operator's AWS
 * credentials with sqs:ListQueues, sqs:GetQueueUrl, sqs:GetQueueAttributes,
 * sqs:ListMessageMoveTasks, sqs:StartMessageMoveTask (and use of the data key).
 *
 *   npm run redrive -- --local                  # against `npm start` (ports from local/settings.ts)
 *   npm run redrive -- --local --archived       # replay the messages the consumer archived
 *   npm run redrive -- --archived --table T --queue-url URL --region R   # the same in AWS
 *
 * `--local`: the local SQS server has no message-move task, so messages are moved one by one
 * (receive from the dead-letter queue, send to the queue, then delete: a crash in between can
 * only duplicate a message, which enrichment absorbs). `--archived` sends each message the enrich
 * function archived before it was dead-lettered back to the queue, then deletes the archive item.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPLOYMENTS_CONTEXT_KEY, parseDeployments } from '../infra/config/deployment.ts';
import { DLQ_ARN_OUTPUT, outputsFileFor, stackName } from '../infra/config/outputs.ts';
import { LOCAL_REGION } from '../local/lambda.ts';
import { localSettings } from '../local/settings.ts';
import { MessageArchive } from '../shared/storage/message-archive.ts';
import { enrichmentQueue, mainTable } from '../shared/storage/tables.ts';

export interface RedriveOptions {
  readonly local?: boolean;
  readonly archived?: boolean;
  /** The main table and the enrichment queue, for `--archived` in AWS. */
  readonly table?: string;
  readonly queueUrl?: string;
  readonly env?: string;
  readonly dryRun: boolean;
  readonly dlqArn?: string;
  readonly outputsFile?: string;
  readonly region?: string;
  readonly rate?: number;
}

export class RedriveError extends Error {
  override readonly name = 'RedriveError';
}

const USAGE =
  'usage: npm run redrive -- --env NAME [--dry-run] [--dlq-arn ARN] [--outputs-file FILE] [--region REGION] [--rate N]\n' +
  '       npm run redrive -- --local [--archived] [--dry-run]\n' +
  '       npm run redrive -- --archived --table TABLE --queue-url URL --region REGION [--dry-run]';

export function parseRedriveArgs(argv: readonly string[]): RedriveOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'dlq-arn': { type: 'string' },
        'outputs-file': { type: 'string' },
        region: { type: 'string' },
        rate: { type: 'string' },
        local: { type: 'boolean', default: false },
        archived: { type: 'boolean', default: false },
        table: { type: 'string' },
        'queue-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new RedriveError(`${(error as Error).message}\n${USAGE}`);
  }
  const env = values['env'] as string | undefined;
  const dlqArn = values['dlq-arn'] as string | undefined;
  const local = values['local'] === true;
  const archived = values['archived'] === true;
  const table = values['table'] as string | undefined;
  const queueUrl = values['queue-url'] as string | undefined;
  if (archived && !local && (!table || !queueUrl || !values['region'])) {
    throw new RedriveError(`--archived in AWS needs --table, --queue-url and --region\n${USAGE}`);
  }
  if (!env && !dlqArn && !local && !archived)
    throw new RedriveError(`--env (or --dlq-arn) is required; --local for the queues of npm start\n${USAGE}`);
  const rawRate = values['rate'] as string | undefined;
  let rate: number | undefined;
  if (rawRate !== undefined) {
    rate = Number(rawRate);
    if (!Number.isInteger(rate) || rate < 1 || rate > 500) {
      throw new RedriveError(
        `--rate: expected a whole number of messages per second from 1 to 500, got "${rawRate}"`,
      );
    }
  }
  return {
    local,
    archived,
    ...(table ? { table } : {}),
    ...(queueUrl ? { queueUrl } : {}),
    env,
    dryRun: values['dry-run'] === true,
    dlqArn,
    outputsFile: values['outputs-file'] as string | undefined,
    region: values['region'] as string | undefined,
    rate,
  };
}

/** What the script needs from the outside world; tests pass fakes, `main` the real thing. */
export interface RedriveDeps {
  readonly sqs: (region: string) => SQSClient;
  /** The text of a file, or undefined if there is none. */
  readonly readFile: (path: string) => string | undefined;
  /** The `restore:deployments` context of cdk.json. */
  readonly deployments: () => unknown;
  readonly log: (line: string) => void;
}

interface QueueArn {
  readonly arn: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const SQS_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80})$/;

export function parseQueueArn(arn: string): QueueArn {
  const match = SQS_ARN.exec(arn);
  if (!match) throw new RedriveError(`not an SQS queue ARN: "${arn}"`);
  return { arn, region: match[1]!, account: match[2]!, name: match[3]! };
}

/** Finds the dead-letter queue's ARN (see the file comment for the order) and says where from. */
export async function resolveDlqArn(
  options: RedriveOptions,
  deps: RedriveDeps,
): Promise<{ arn: QueueArn; source: string }> {
  if (options.dlqArn) return { arn: parseQueueArn(options.dlqArn), source: '--dlq-arn' };
  const env = options.env!;
  const stack = stackName(env, 'Enrichment');

  const outputsFile = options.outputsFile ?? outputsFileFor(env);
  const outputsText = deps.readFile(outputsFile);
  if (outputsText !== undefined) {
    let outputs: Record<string, Record<string, string>>;
    try {
      outputs = JSON.parse(outputsText);
    } catch {
      throw new RedriveError(`${outputsFile}: not JSON (expected the file cdk deploy --outputs-file writes)`);
    }
    const arn = outputs[stack]?.[DLQ_ARN_OUTPUT];
    if (arn) return { arn: parseQueueArn(arn), source: `${outputsFile} (${stack}.${DLQ_ARN_OUTPUT})` };
    if (options.outputsFile) {
      throw new RedriveError(
        `${outputsFile} has no ${stack}.${DLQ_ARN_OUTPUT}: was ${stack} deployed with it?`,
      );
    }
  } else if (options.outputsFile) {
    throw new RedriveError(`${outputsFile}: no such file`);
  }

  let region = options.region;
  if (!region) {
    const deployment = parseDeployments(deps.deployments()).find((d) => d.envName === env);
    if (!deployment) {
      const known = parseDeployments(deps.deployments()).map((d) => d.envName);
      throw new RedriveError(
        `--env: no deployment named "${env}" under ${DEPLOYMENTS_CONTEXT_KEY} in cdk.json (known: ${known.join(', ')})`,
      );
    }
    region = deployment.region;
  }
  // CloudFormation names a queue <stack>-<logical id>-<suffix>; the logical id starts with the
  // construct id, and the DLQ's ("…Dlq") cannot be mistaken for the main queue's hex hash.
  const prefix = `${stack}-${enrichmentQueue.id}Dlq`;
  const sqs = deps.sqs(region);
  const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  const urls = listed.QueueUrls ?? [];
  if (urls.length !== 1) {
    throw new RedriveError(
      `${urls.length === 0 ? 'no' : `${urls.length}`} queue(s) named ${prefix}… in ${region}; pass --dlq-arn (the ${DLQ_ARN_OUTPUT} output of ${stack})`,
    );
  }
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: urls[0], AttributeNames: ['QueueArn'] }),
  );
  const arn = attributes.Attributes?.['QueueArn'];
  if (!arn) throw new RedriveError(`SQS did not return the ARN of ${urls[0]}`);
  return { arn: parseQueueArn(arn), source: `SQS ListQueues ${prefix}… in ${region}` };
}

export type RedriveOutcome =
  | { readonly kind: 'empty'; readonly dlqArn: string }
  | { readonly kind: 'dry-run'; readonly dlqArn: string; readonly messages: number }
  | {
      readonly kind: 'started';
      readonly dlqArn: string;
      readonly messages: number;
      readonly taskHandle: string;
    };

export async function redrive(options: RedriveOptions, deps: RedriveDeps): Promise<RedriveOutcome> {
  const { arn, source } = await resolveDlqArn(options, deps);
  deps.log(`Dead-letter queue: ${arn.arn} (from ${source})`);
  const sqs = deps.sqs(arn.region);

  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: arn.name, QueueOwnerAWSAccountId: arn.account }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const messages = Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0);
  const inFlight = Number(Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
  deps.log(
    `Messages waiting: about ${messages}${inFlight > 0 ? ` (and ${inFlight} being read by someone)` : ''}`,
  );

  const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn.arn, MaxResults: 10 }));
  const running = (Results ?? []).find((task) => task.Status === 'RUNNING');
  if (running) {
    throw new RedriveError(
      `a redrive of this queue is already running (${running.ApproximateNumberOfMessagesMoved ?? 0} of ${running.ApproximateNumberOfMessagesToMove ?? '?'} moved); wait for it to finish`,
    );
  }

  if (messages === 0) {
    deps.log('Nothing to redrive.');
    return { kind: 'empty', dlqArn: arn.arn };
  }
  if (options.dryRun) {
    deps.log(
      `Dry run: would move about ${messages} message(s) back to the queue they came from${options.rate ? ` at ${options.rate}/s` : ''}.`,
    );
    return { kind: 'dry-run', dlqArn: arn.arn, messages };
  }

  const started = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: arn.arn,
      // No DestinationArn: SQS returns each message to the queue it was dead-lettered from.
      ...(options.rate ? { MaxNumberOfMessagesPerSecond: options.rate } : {}),
    }),
  );
  const taskHandle = started.TaskHandle ?? '';
  deps.log(`Started moving about ${messages} message(s) back (task ${taskHandle}).`);
  deps.log(`Follow it with: aws sqs list-message-move-tasks --source-arn ${arn.arn} --region ${arn.region}`);
  return { kind: 'started', dlqArn: arn.arn, messages, taskHandle };
}

/** Moves every visible message from one queue to another by hand (receive, send, delete). */
export async function moveMessages(
  sqs: SQSClient,
  fromUrl: string,
  toUrl: string,
  log: (line: string) => void,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: fromUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: toUrl,
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: fromUrl, ReceiptHandle: message.ReceiptHandle }));
      moved += 1;
    }
  }
  log(`Moved ${moved} message(s) back to the queue.`);
  return moved;
}

/** Sends every archived message back to the queue, then deletes it from the archive. */
export async function replayArchive(
  archive: MessageArchive,
  sqs: SQSClient,
  queueUrl: string,
  options: { dryRun: boolean; log: (line: string) => void },
): Promise<number> {
  const messages = await archive.list();
  if (options.dryRun || messages.length === 0) {
    options.log(`${messages.length} archived message(s)${options.dryRun ? ' would be replayed' : ''}.`);
    return messages.length;
  }
  for (const message of messages) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.body,
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [
            name,
            { DataType: name === 'version' ? 'Number' : 'String', StringValue: value },
          ]),
        ),
      }),
    );
    await archive.remove(message);
  }
  options.log(
    `Replayed ${messages.length} archived message(s) (archived ${messages[0]!.archivedAt} onwards).`,
  );
  return messages.length;
}

/** The local runtime (`npm start`): its SQS and DynamoDB servers on the ports settings.ts names. */
export async function redriveLocal(
  options: RedriveOptions,
  endpoints: { sqs: string; dynamodb: string },
  log: (line: string) => void,
): Promise<number> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqs = new SQSClient({
    region: LOCAL_REGION,
    endpoint: endpoints.sqs,
    credentials,
    useQueueUrlAsEndpoint: false,
  });
  const dynamo = new DynamoDBClient({ region: LOCAL_REGION, endpoint: endpoints.dynamodb, credentials });
  try {
    const url = async (name: string) => {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (!QueueUrl) throw new RedriveError(`no local queue named ${name}: is \`npm start\` running?`);
      return QueueUrl;
    };
    const queueUrl = await url(enrichmentQueue.localName);
    if (options.archived) {
      const archive = new MessageArchive(DynamoDBDocumentClient.from(dynamo), mainTable.localName);
      return await replayArchive(archive, sqs, queueUrl, { dryRun: options.dryRun, log });
    }
    const dlqUrl = await url(`${enrichmentQueue.localName}-dlq`);
    if (options.dryRun) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      const waiting = Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0);
      log(`Dry run: would move ${waiting} message(s) back to the queue.`);
      return waiting;
    }
    return await moveMessages(sqs, dlqUrl, queueUrl, log);
  } finally {
    sqs.destroy();
    dynamo.destroy();
  }
}

const REPO_ROOT = join(import.meta.dirname, '..');

export const realDeps: RedriveDeps = {
  sqs: (region) => new SQSClient({ region }),
  readFile: (path) => {
    const full = join(REPO_ROOT, path);
    const target = existsSync(path) ? path : full;
    return existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  },
  deployments: () =>
    (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
      .context[DEPLOYMENTS_CONTEXT_KEY],
  log: (line) => console.log(line),
};

async function main(options: RedriveOptions): Promise<void> {
  if (options.local) {
    const settings = localSettings();
    await redriveLocal(
      options,
      {
        sqs: `http://127.0.0.1:${settings.sqsPort}`,
        dynamodb: `http://127.0.0.1:${settings.dynamoPort}`,
      },
      realDeps.log,
    );
    return;
  }
  if (options.archived) {
    const region = options.region!;
    const sqs = new SQSClient({ region });
    const archive = new MessageArchive(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      options.table!,
    );
    await replayArchive(archive, sqs, options.queueUrl!, { dryRun: options.dryRun, log: realDeps.log });
    return;
  }
  await redrive(options, realDeps);
}

if (import.meta.main) {
  try {
    await main(parseRedriveArgs(process.argv.slice(2)));
  } catch (error) {
    // AWS errors (no credentials, access denied) are the operator's to act on: say them plainly.
    console.error(
      `redrive: ${error instanceof Error ? `${error.name === 'RedriveError' ? '' : `${error.name}: `}${error.message}` : String(error)}`,
    );
    process.exit(1);
  }
}
