import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RedriveDeps } from '../../scripts/redrive.ts';
import { parseRedriveArgs, RedriveError, redrive } from '../../scripts/redrive.ts';

const sqs = mockClient(SQSClient);

const DLQ_ARN =
  'arn:aws:sqs:us-west-2:123456789012:Restore-staging-Enrichment-EnrichmentQueueDlq5E3B1A2C-Ab12Cd34Ef56';
const DLQ_URL =
  'https://sqs.us-west-2.amazonaws.com/123456789012/Restore-staging-Enrichment-EnrichmentQueueDlq5E3B1A2C-Ab12Cd34Ef56';

const deployments = {
  staging: {
    agencyName: 'Example Attorney General',
    region: 'us-west-2',
    stage: 'dev',
    logRetentionDays: 30,
    reportRetentionDays: 90,
    identityProvider: { kind: 'cognito' },
    corsAllowedOrigins: [],
  },
};

function deps(files: Record<string, string> = {}): RedriveDeps & { lines: string[]; regions: string[] } {
  const lines: string[] = [];
  const regions: string[] = [];
  return {
    lines,
    regions,
    sqs: (region) => {
      regions.push(region);
      return new SQSClient({ region });
    },
    readFile: (path) => files[path],
    deployments: () => deployments,
    log: (line) => lines.push(line),
  };
}

/** A DLQ with `messages` waiting and, optionally, a move task in some state. */
function queueHolds(messages: number, taskStatus?: string) {
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: DLQ_URL });
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl?: string; AttributeNames?: string[] }) => {
    if (input.QueueUrl !== DLQ_URL) throw new Error(`unexpected queue ${input.QueueUrl}`);
    return input.AttributeNames?.includes('QueueArn')
      ? { Attributes: { QueueArn: DLQ_ARN } }
      : {
          Attributes: {
            ApproximateNumberOfMessages: String(messages),
            ApproximateNumberOfMessagesNotVisible: '0',
          },
        };
  });
  sqs.on(ListMessageMoveTasksCommand).resolves({
    Results: taskStatus
      ? [{ Status: taskStatus, SourceArn: DLQ_ARN, ApproximateNumberOfMessagesMoved: 3 }]
      : [],
  });
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
}

beforeEach(() => {
  sqs.reset();
});

describe('npm run redrive', () => {
  it('finds the DLQ by its CloudFormation name in the deployment’s region and starts a move back to its source', async () => {
    sqs.on(ListQueuesCommand, { QueueNamePrefix: 'Restore-staging-Enrichment-EnrichmentQueueDlq' }).resolves({
      QueueUrls: [DLQ_URL],
    });
    queueHolds(7);
    const d = deps();

    const outcome = await redrive(parseRedriveArgs(['--env', 'staging']), d);

    expect(outcome).toEqual({ kind: 'started', dlqArn: DLQ_ARN, messages: 7, taskHandle: 'task-1' });
    expect(d.regions.every((r) => r === 'us-west-2')).toBe(true);
    const starts = sqs.commandCalls(StartMessageMoveTaskCommand);
    expect(starts).toHaveLength(1);
    // No DestinationArn: SQS sends each message back to the queue it came from.
    expect(starts[0]!.args[0].input).toEqual({ SourceArn: DLQ_ARN });
    expect(d.lines.join('\n')).toContain('list-message-move-tasks');
  });

  it('prefers the ARN from cdk deploy --outputs-file and passes the rate', async () => {
    queueHolds(2);
    const d = deps({
      'cdk-outputs/staging.json': JSON.stringify({
        'Restore-staging-Enrichment': { EnrichmentQueueDlqArn: DLQ_ARN },
      }),
    });
    const outcome = await redrive(parseRedriveArgs(['--env', 'staging', '--rate', '10']), d);
    expect(outcome.kind).toBe('started');
    expect(sqs.commandCalls(ListQueuesCommand)).toHaveLength(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      MaxNumberOfMessagesPerSecond: 10,
    });
    expect(d.lines[0]).toContain('cdk-outputs/staging.json');
  });

  it('only reports in a dry run', async () => {
    queueHolds(4);
    const d = deps();
    const outcome = await redrive(parseRedriveArgs(['--dlq-arn', DLQ_ARN, '--dry-run']), d);
    expect(outcome).toEqual({ kind: 'dry-run', dlqArn: DLQ_ARN, messages: 4 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({
      QueueName: 'Restore-staging-Enrichment-EnrichmentQueueDlq5E3B1A2C-Ab12Cd34Ef56',
      QueueOwnerAWSAccountId: '123456789012',
    });
    expect(d.lines.join('\n')).toContain('Dry run: would move about 4');
  });

  it('does nothing when the DLQ is empty', async () => {
    queueHolds(0);
    const outcome = await redrive(parseRedriveArgs(['--dlq-arn', DLQ_ARN]), deps());
    expect(outcome.kind).toBe('empty');
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('refuses to start a second move while one is running', async () => {
    queueHolds(5, 'RUNNING');
    await expect(redrive(parseRedriveArgs(['--dlq-arn', DLQ_ARN]), deps())).rejects.toThrow(
      /already running/,
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('starts again once the previous move has completed', async () => {
    queueHolds(5, 'COMPLETED');
    const outcome = await redrive(parseRedriveArgs(['--dlq-arn', DLQ_ARN]), deps());
    expect(outcome.kind).toBe('started');
  });

  it('explains what to do when the queue cannot be found or the input is wrong', async () => {
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: [] });
    await expect(redrive(parseRedriveArgs(['--env', 'staging']), deps())).rejects.toThrow(
      /no queue\(s\) named Restore-staging-Enrichment-EnrichmentQueueDlq… in us-west-2; pass --dlq-arn/,
    );
    await expect(redrive(parseRedriveArgs(['--env', 'qa']), deps())).rejects.toThrow(
      /no deployment named "qa" .*known: staging/,
    );
    await expect(
      redrive(parseRedriveArgs(['--env', 'staging', '--outputs-file', 'missing.json']), deps()),
    ).rejects.toThrow(/missing.json: no such file/);
    await expect(
      redrive(parseRedriveArgs(['--dlq-arn', 'arn:aws:sns:us-east-1:1:x']), deps()),
    ).rejects.toThrow(RedriveError);
    expect(() => parseRedriveArgs([])).toThrow(/--env \(or --dlq-arn\) is required/);
    expect(() => parseRedriveArgs(['--env', 'prod', '--rate', '0'])).toThrow(/--rate/);
    expect(() => parseRedriveArgs(['--env', 'prod', '--force'])).toThrow(/usage: npm run redrive/);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });
});
