import type { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { NagPack } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app-builder.ts';
import { acknowledge } from '#infra/constructs/acknowledge.ts';
import type { Acknowledgement, NagSummary } from '#infra/nag.ts';
import { acknowledgements, NAG_PACKS, nagPacks, nagSummary } from '#infra/nag.ts';
import { example, exampleNames, PLACEHOLDER_SITE_DIR } from './support.ts';

const TEST_CONTEXT = { 'aws:cdk:bundling-stacks': [], 'restore:siteDir': PLACEHOLDER_SITE_DIR };

let summary: NagSummary;
let acks: Acknowledgement[];
let rawFindings: { id: string; path: string }[];

/**
 * Every finding the packs would report if nothing were acknowledged. cdk-nag has no switch for
 * that, so its private check is replaced for the duration of this call only.
 */
function findingsIgnoringAcknowledgements(scope: Stack['node']['root']): { id: string; path: string }[] {
  const proto = NagPack.prototype as unknown as { isAcknowledged: (...args: unknown[]) => boolean };
  const original = proto.isAcknowledged;
  proto.isAcknowledged = () => false;
  try {
    return nagPacks(scope as never).flatMap((pack) =>
      (pack as NagPack)
        .validateScope(scope)
        .violations.flatMap((v) =>
          v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
        ),
    );
  } finally {
    proto.isAcknowledged = original;
  }
}

beforeAll(() => {
  // Every example environment in one app, all three packs, findings counted rather than thrown.
  const { app } = buildApp(exampleNames().map(example), { nag: 'report', context: TEST_CONTEXT });
  const assembly = app.synth();
  summary = nagSummary(assembly.directory);
  acks = acknowledgements(app);
  rawFindings = findingsIgnoringAcknowledgements(app);
  const perPack = NAG_PACKS.map(
    (p) =>
      `${p}: ${summary.byPack[p].findings} findings, ${acks.filter((a) => a.pack === p).length} acknowledged`,
  );
  console.info(`cdk-nag over ${exampleNames().join(', ')}:\n  ${perPack.join('\n  ')}`);
});

describe('cdk-nag (AWS Solutions, NIST 800-53 rev 5, Serverless) on every example environment', () => {
  it.each(NAG_PACKS)('%s reports no unacknowledged finding', (pack) => {
    expect(summary.byPack[pack].byRule).toEqual({});
    expect(summary.byPack[pack].findings).toBe(0);
  });

  it('ran every pack (they find plenty once acknowledgements are ignored)', () => {
    for (const pack of NAG_PACKS) {
      expect(rawFindings.filter((f) => f.id.startsWith(`${pack}-`)).length, pack).toBeGreaterThan(0);
    }
  });

  it('fails synth on a finding in strict mode', () => {
    const { app, deployments } = buildApp([example('dev')], { nag: 'strict', context: TEST_CONTEXT });
    new Queue(deployments[0]!.api, 'PlantedQueueWithoutDlqOrTls');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});

describe('acknowledgements', () => {
  it('are each one finding on one construct, never a stack, with a reason', () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.path.split('/').length, `${ack.id} on ${ack.path}`).toBeGreaterThan(1);
      expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThanOrEqual(40);
      if (/^AwsSolutions-IAM[45]/.test(ack.id)) expect(ack.id, ack.path).toMatch(/\[.+\]$/);
    }
  });

  it('each silence a finding that exists (no stale acknowledgement)', () => {
    const stale = acks
      .filter((a) => a.pack !== 'other')
      .filter(
        (ack) =>
          !rawFindings.some(
            (f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
          ),
      )
      .map((ack) => `${ack.id} on ${ack.path}`);
    expect(stale).toEqual([]);
  });

  it('cannot be made on a stack or for a whole IAM rule', () => {
    const { deployments } = buildApp([example('dev')], { context: TEST_CONTEXT });
    const { api } = deployments[0]!;
    const reason = 'a long enough reason that would otherwise be accepted by the helper';
    expect(() => acknowledge(api, 'AwsSolutions-SQS3', reason)).toThrow(/not on Restore-dev-Api/);
    expect(() => acknowledge(api.api, 'AwsSolutions-IAM5', reason)).toThrow(/name the finding/);
    expect(() => acknowledge(api.api, 'AwsSolutions-APIG1', 'because')).toThrow(/reason/);
  });
});
