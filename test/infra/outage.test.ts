/**
 * An accepted report outlives an outage (the infrastructure half; the consumer's back-off and
 * archive are tested in test/integration/enrichment-outage.test.ts): the queue keeps messages as
 * long as SQS allows, enough receives for about a day of back-off, and an alarm while a
 * dead-lettered report still has most of its 14 days.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DLQ_AGE_ALARM_DAYS } from '#infra/stacks/monitoring-stack.ts';
import { retryPatienceSeconds } from '#shared/queues/retry-schedule.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import {
  deployedFunctions,
  example,
  json,
  logicalId,
  resourcesOfType,
  type Synthesised,
  synthesiseOne,
} from './support.ts';

let dev: Synthesised;
beforeAll(() => {
  dev = synthesiseOne(example('dev'));
});

describe('the enrichment queue under a long outage', () => {
  it('keeps messages 14 days and dead-letters only after 12 receives (about a day of back-off)', () => {
    const queueId = logicalId(dev.deployment.enrichment.queue);
    const queue = json(dev.enrichment).Resources[queueId]!.Properties!;
    expect(queue['MessageRetentionPeriod']).toBe(14 * 86_400);
    expect(queue['RedrivePolicy']).toMatchObject({ maxReceiveCount: enrichmentQueue.maxReceiveCount });
    expect(retryPatienceSeconds(enrichmentQueue.maxReceiveCount)).toBeGreaterThan(12 * 3600);
    const dlqId = logicalId(dev.deployment.enrichment.deadLetterQueue);
    expect(json(dev.enrichment).Resources[dlqId]!.Properties!['MessageRetentionPeriod']).toBe(14 * 86_400);
  });

  it('alarms on the age of the oldest dead-lettered report long before SQS would drop it', () => {
    const alarm = resourcesOfType(dev.monitoring, 'AWS::CloudWatch::Alarm').find(([id]) =>
      id.includes('DeadLetterQueueAging'),
    )?.[1];
    expect(alarm?.Properties).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: DLQ_AGE_ALARM_DAYS * 86_400,
    });
    expect(DLQ_AGE_ALARM_DAYS).toBeLessThan(enrichmentQueue.dlqRetentionDays / 2);
  });

  it('tells the consumer its queue, so it can delay its own retries', () => {
    const consumers = deployedFunctions(dev).filter((f) => f.stack === dev.deployment.enrichment);
    expect(consumers.length).toBeGreaterThan(0);
    for (const f of consumers) {
      const env = json(f.template).Resources[f.functionId]!.Properties!['Environment'] as {
        Variables: Record<string, unknown>;
      };
      expect(env.Variables[enrichmentQueue.envVar], f.name).toBeDefined();
    }
  });
});
