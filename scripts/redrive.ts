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
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { DEPLOYMENTS_CONTEXT_KEY, parseDeployments } from '../infra/config/deployment.ts';
import { DLQ_ARN_OUTPUT, outputsFileFor, stackName } from '../infra/config/outputs.ts';
import { enrichmentQueue } from '../shared/storage/tables.ts';

export interface RedriveOptions {
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
  'usage: npm run redrive -- --env NAME [--dry-run] [--dlq-arn ARN] [--outputs-file FILE] [--region REGION] [--rate N]';

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
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new RedriveError(`${(error as Error).message}\n${USAGE}`);
  }
  const env = values['env'] as string | undefined;
  const dlqArn = values['dlq-arn'] as string | undefined;
  if (!env && !dlqArn) throw new RedriveError(`--env (or --dlq-arn) is required\n${USAGE}`);
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

if (import.meta.main) {
  try {
    await redrive(parseRedriveArgs(process.argv.slice(2)), realDeps);
  } catch (error) {
    // AWS errors (no credentials, access denied) are the operator's to act on: say them plainly.
    console.error(
      `redrive: ${error instanceof Error ? `${error.name === 'RedriveError' ? '' : `${error.name}: `}${error.message}` : String(error)}`,
    );
    process.exit(1);
  }
}
