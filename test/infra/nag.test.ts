import { describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app-builder.ts';
import { nagSummary } from '#infra/nag.ts';
import { example, synthesise } from './support.ts';

describe('cdk-nag (AWS Solutions)', () => {
  it('reports findings without failing synth in report mode, honouring acknowledgements', () => {
    const [dev] = synthesise([example('dev')], { nag: 'report' });
    const { findings, byRule } = nagSummary(dev!.assemblyDir);
    console.info(`cdk-nag AwsSolutions findings (dev): ${findings}`, byRule);
    expect(findings).toBeGreaterThan(0); // proves the pack ran
    const rules = Object.keys(byRule);
    // Acknowledged with reasons in the stacks, or fixed (own roles instead of the managed policy).
    for (const gone of [
      'AwsSolutions-APIG4',
      'AwsSolutions-SMG4',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM4',
    ]) {
      expect(rules.filter((r) => r.startsWith(gone))).toEqual([]);
    }
    expect(rules.filter((r) => /IAM5\[Action::(\*|dynamodb:\*)\]/.test(r))).toEqual([]);
  });

  it('fails synth on findings in strict mode', () => {
    const { app } = buildApp([example('dev')], { nag: 'strict', context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
