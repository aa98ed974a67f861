import { beforeAll, describe, expect, it } from 'vitest';
import { consumers, type FunctionAccess, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { MAX_WORKER_CONCURRENCY } from '#infra/stacks/distribution-stack.ts';
import { distributionQueue } from '#shared/storage/tables.ts';
import type { Synthesised } from './support.ts';
import { deployedFunctions, example, json, logicalId, resourcesOfType, synthesise } from './support.ts';

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  [dev, prod] = synthesise([example('dev'), example('prod')]) as [Synthesised, Synthesised];
});

const workers = consumers.filter((c) => c.queue === 'distributionQueue');
const longestTimeout = Math.max(...workers.map((c) => functions[c.fn].timeoutSeconds));

describe('distribution jobs', () => {
  it('run one step per message, with partial failures, a small concurrency cap, and a DLQ after >= 5 receives', () => {
    expect(workers.map((w) => w.batchSize)).toEqual([1]);
    const queue = logicalId(dev.deployment.distribution.queue);
    const dlq = logicalId(dev.deployment.distribution.deadLetterQueue);
    const props = json(dev.distribution).Resources[queue]!.Properties!;
    expect(props['RedrivePolicy']).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: distributionQueue.maxReceiveCount,
    });
    expect(distributionQueue.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(props['VisibilityTimeout']).toBe(VISIBILITY_TIMEOUT_FACTOR * longestTimeout);
    dev.distribution.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: MAX_WORKER_CONCURRENCY },
    });
    for (const id of [queue, dlq]) {
      expect(JSON.stringify(json(dev.distribution).Resources[id]!.Properties!['KmsMasterKeyId'])).toContain(
        'DataKey',
      );
    }
  });

  it('gives the worker a step budget far inside Lambda’s 15 minutes and the memory for a million claims', () => {
    const worker = deployedFunctions(dev).find((f) => f.name === 'distributionWorker')!;
    const props = json(worker.template).Resources[worker.functionId]!.Properties!;
    expect(props['Timeout']).toBeLessThanOrEqual(300);
    expect(props['MemorySize']).toBeGreaterThanOrEqual(3008);
  });

  it('keeps plan artefacts in a private, versioned bucket encrypted with the data key, TLS only', () => {
    for (const s of [dev, prod]) {
      // The data stack also holds the audit archive (test/infra/audit.test.ts): pick this one.
      const bucket = json(s.data).Resources[logicalId(s.deployment.data.artefactBucket)]!;
      const p = bucket.Properties!;
      const sse = (p['BucketEncryption'] as { ServerSideEncryptionConfiguration: Record<string, unknown>[] })
        .ServerSideEncryptionConfiguration[0]!;
      expect(sse).toMatchObject({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
        BucketKeyEnabled: true,
      });
      expect(JSON.stringify(sse)).toContain('DataKey');
      expect(p['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(p['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
      expect(JSON.stringify(json(s.data).Resources)).toContain('aws:SecureTransport');
    }
    for (const [, bucket] of resourcesOfType(prod.data, 'AWS::S3::Bucket')) {
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  it('tells the functions how many admins sign off money, at least two in every example', () => {
    for (const s of [dev, prod]) {
      expect(s.deployment.config.moneyApprovers).toBeGreaterThanOrEqual(2);
      for (const f of deployedFunctions(s).filter(
        (fn) => (functions[fn.name].access as FunctionAccess).moneySettings,
      )) {
        const env = json(f.template).Resources[f.functionId]!.Properties!['Environment'] as {
          Variables: Record<string, unknown>;
        };
        expect(env.Variables['MONEY_APPROVERS'], f.name).toBe(String(s.deployment.config.moneyApprovers));
      }
    }
    expect(prod.deployment.config.moneyApprovers).toBe(3);
  });
});
