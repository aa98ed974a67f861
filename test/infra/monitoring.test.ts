import { beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_METRICS, METRICS_NAMESPACE, serviceNameFor } from '#infra/constructs/metrics.ts';
import { API_5XX_RATE_PERCENT, oldestMessageAlarmSeconds } from '#infra/stacks/monitoring-stack.ts';
import type { Synthesised } from './support.ts';
import {
  deployedFunctions,
  example,
  json,
  logicalId,
  onlyResourceOfType,
  resourcesOfType,
  synthesise,
} from './support.ts';

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  [dev, prod] = synthesise([example('dev'), example('prod')]) as [Synthesised, Synthesised];
});

type AlarmProps = Record<string, unknown>;
const alarms = (s: Synthesised): AlarmProps[] =>
  resourcesOfType(s.monitoring, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
const topicRef = (s: Synthesised) => ({ Ref: logicalId(s.deployment.monitoring.topic) });
const dimension = (a: AlarmProps, name: string) =>
  JSON.stringify(
    (a['Dimensions'] as { Name: string; Value: unknown }[] | undefined)?.find((d) => d.Name === name)?.Value,
  );

describe('alarms', () => {
  it('all notify the alarm topic, on alarm and on recovery', () => {
    for (const s of [dev, prod]) {
      expect(alarms(s).length).toBeGreaterThan(0);
      for (const a of alarms(s)) {
        expect(a['AlarmActions'], String(a['AlarmDescription'])).toEqual([topicRef(s)]);
        expect(a['OKActions'], String(a['AlarmDescription'])).toEqual([topicRef(s)]);
        expect(a['TreatMissingData']).toBe('notBreaching');
        expect(a['AlarmDescription']).toContain('docs/runbook.md');
      }
    }
  });

  it('fire on any message in the dead-letter queue', () => {
    const dlq = logicalId(dev.deployment.enrichment.deadLetterQueue);
    const a = alarms(dev).find((x) => x['MetricName'] === 'ApproximateNumberOfMessagesVisible')!;
    expect(dimension(a, 'QueueName')).toContain(dlq);
    expect(a).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
    });
  });

  it('fire when the oldest enrichment message outlives a full retry cycle', () => {
    const queue = logicalId(dev.deployment.enrichment.queue);
    const a = alarms(dev).find(
      (x) =>
        x['MetricName'] === 'ApproximateAgeOfOldestMessage' &&
        JSON.stringify(dimension(x, 'QueueName')).includes(queue),
    )!;
    expect(dimension(a, 'QueueName')).toContain(queue);
    expect(a['Threshold']).toBe(oldestMessageAlarmSeconds());
    expect(oldestMessageAlarmSeconds()).toBe(6 * 30 * 5);
  });

  it('fire on the API’s 5xx rate, not on a single error in a quiet hour', () => {
    const a = alarms(dev).find((x) => x['Metrics'])!;
    const expression = (a['Metrics'] as { Expression?: string }[]).find((m) => m.Expression)!.Expression!;
    expect(expression).toMatch(/^IF\(requests >= \d+, 100 \* errors \/ requests, 0\)$/);
    expect(JSON.stringify(a['Metrics'])).toContain('"MetricName":"5xx"');
    expect(a).toMatchObject({ Threshold: API_5XX_RATE_PERCENT, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
  });

  it('fire on errors and on throttles of every function', () => {
    for (const f of deployedFunctions(dev)) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarms(dev).filter(
          (a) => a['MetricName'] === metric && dimension(a, 'FunctionName').includes(f.functionId),
        );
        expect(found, `${f.name} ${metric}`).toHaveLength(1);
        expect(found[0]).toMatchObject({ Threshold: 0, Statistic: 'Sum', Namespace: 'AWS/Lambda' });
      }
    }
  });
});

describe('alarm topic', () => {
  it('is encrypted with the ops key and e-mails the configured address only', () => {
    for (const s of [dev, prod]) {
      const topic = onlyResourceOfType(s.monitoring, 'AWS::SNS::Topic');
      expect(JSON.stringify(topic.Properties!['KmsMasterKeyId'])).toMatch(/ImportValue.*OpsKey/);
    }
    expect(example('dev').alarmEmail).toBeUndefined();
    dev.monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    prod.monitoring.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: example('prod').alarmEmail,
    });
  });
});

describe('dashboard', () => {
  const body = (s: Synthesised) =>
    JSON.stringify(
      onlyResourceOfType(s.monitoring, 'AWS::CloudWatch::Dashboard').Properties!['DashboardBody'],
    );

  it('has no fixed name', () => {
    expect(
      onlyResourceOfType(dev.monitoring, 'AWS::CloudWatch::Dashboard').Properties!['DashboardName'],
    ).toBeUndefined();
  });

  it('shows reports, claims and losses from the deployment’s own custom metrics', () => {
    const text = body(dev);
    for (const metric of Object.values(CUSTOM_METRICS)) expect(text, metric).toContain(`\\"${metric}\\"`);
    expect(text).toContain(`\\"${METRICS_NAMESPACE}\\"`);
    expect(text).toContain(`\\"service\\",\\"${serviceNameFor(example('dev'))}\\"`);
    expect(text).toContain('\\"period\\":3600');
  });

  it('shows queue depth, API latency p50/p99, errors per function and the WAF (from us-east-1)', () => {
    const text = body(dev);
    for (const needle of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      '\\"stat\\":\\"p50\\"',
      '\\"stat\\":\\"p99\\"',
      '\\"Errors\\"',
      '\\"Throttles\\"',
      'BlockedRequests',
      '\\"region\\":\\"us-east-1\\"',
    ]) {
      expect(text, needle).toContain(needle);
    }
    for (const f of deployedFunctions(dev)) expect(text, f.name).toContain(f.functionId);
  });
});

describe('outputs', () => {
  it('does not export anything from the monitoring stack', () => {
    expect(Object.values(json(dev.monitoring).Outputs ?? {}).filter((o) => o.Export)).toEqual([]);
  });
});
