import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { DLQ_ARN_OUTPUT, DLQ_URL_OUTPUT, MAX_CONSUMER_CONCURRENCY } from '#infra/stacks/enrichment-stack.ts';
import { enrichmentQueue } from '#shared/storage/tables.ts';
import type { Synthesised } from './support.ts';
import { deployedFunctions, example, json, logicalId, synthesise } from './support.ts';

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  [dev, prod] = synthesise([example('dev'), example('prod')]) as [Synthesised, Synthesised];
});

const ids = (s: Synthesised) => ({
  queue: logicalId(s.deployment.enrichment.queue),
  dlq: logicalId(s.deployment.enrichment.deadLetterQueue),
});
const queueConsumers = consumers.filter((c) => c.queue === 'enrichmentQueue');
const longestTimeout = Math.max(...queueConsumers.map((c) => functions[c.fn].timeoutSeconds));

describe('enrichment queue', () => {
  it('redrives to a dead-letter queue after maxReceiveCount (>= 5) receives', () => {
    const { queue, dlq } = ids(dev);
    const props = json(dev.enrichment).Resources[queue]!.Properties!;
    expect(enrichmentQueue.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(props['RedrivePolicy']).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: enrichmentQueue.maxReceiveCount,
    });
  });

  it('keeps messages invisible for at least 6x the consumer timeout', () => {
    const props = json(dev.enrichment).Resources[ids(dev).queue]!.Properties!;
    expect(VISIBILITY_TIMEOUT_FACTOR).toBeGreaterThanOrEqual(6);
    expect(props['VisibilityTimeout']).toBe(VISIBILITY_TIMEOUT_FACTOR * longestTimeout);
    expect(props['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * longestTimeout);
  });

  it('keeps dead letters as long as the definition says', () => {
    const props = json(dev.enrichment).Resources[ids(dev).dlq]!.Properties!;
    expect(props['MessageRetentionPeriod']).toBe(enrichmentQueue.dlqRetentionDays * 24 * 60 * 60);
  });

  it('encrypts both queues with the data key', () => {
    for (const s of [dev, prod]) {
      const resources = json(s.enrichment).Resources;
      for (const id of Object.values(ids(s))) {
        expect(JSON.stringify(resources[id]!.Properties!['KmsMasterKeyId'])).toContain('DataKey');
        expect(resources[id]!.Properties!['QueueName']).toBeUndefined();
      }
    }
  });

  it('feeds each consumer with partial batch failures, its batch size and window, and a concurrency cap', () => {
    const consumerFns = deployedFunctions(dev).filter((f) => queueConsumers.some((c) => c.fn === f.name));
    expect(consumerFns).toHaveLength(queueConsumers.length);
    for (const consumer of queueConsumers) {
      const f = consumerFns.find((fn) => fn.name === consumer.fn)!;
      dev.enrichment.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [ids(dev).queue, 'Arn'] },
        FunctionName: { Ref: f.functionId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: consumer.batchSize,
        MaximumBatchingWindowInSeconds: consumer.maxBatchingWindowSeconds,
        ScalingConfig: {
          MaximumConcurrency: Math.min(MAX_CONSUMER_CONCURRENCY, example('dev').reservedConcurrency),
        },
      });
    }
  });

  it('retains queues in prod', () => {
    for (const id of Object.values(ids(prod))) {
      expect(json(prod.enrichment).Resources[id]!.DeletionPolicy).toBe('Retain');
    }
  });

  it('outputs both queue URLs and the DLQ ARN under stable, export-free keys (npm run redrive reads them)', () => {
    const outputs = json(dev.enrichment).Outputs ?? {};
    expect(DLQ_ARN_OUTPUT).toBe('EnrichmentQueueDlqArn');
    expect(DLQ_URL_OUTPUT).toBe('EnrichmentQueueDlqUrl');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([`${enrichmentQueue.id}Url`, DLQ_URL_OUTPUT, DLQ_ARN_OUTPUT]),
    );
    expect(outputs[DLQ_ARN_OUTPUT]).toEqual({
      Description: expect.any(String),
      Value: { 'Fn::GetAtt': [ids(dev).dlq, 'Arn'] },
    });
    expect(outputs[DLQ_ARN_OUTPUT]!.Export).toBeUndefined();
  });
});
