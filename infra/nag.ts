/**
 * cdk-nag (AWS Solutions pack) wired through CDK's validation plugins. Mode comes from the
 * context key `restore:nag`:
 * - `off`: not run.
 * - `report` (default): findings are reported as warnings and counted; synth still succeeds.
 * - `strict`: findings are errors and fail synth.
 * Acknowledge a finding only on the construct it concerns, with a reason:
 * `Validations.of(construct).acknowledge({ id: 'AwsSolutions-XYZ', reason: '...' })`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ContextReader } from './config/deployment.ts';

export type NagMode = 'off' | 'report' | 'strict';
export const NAG_CONTEXT_KEY = 'restore:nag';
const NAG_MODES: readonly NagMode[] = ['off', 'report', 'strict'];

export function nagModeFromContext(context: ContextReader): NagMode {
  const raw = context.tryGetContext(NAG_CONTEXT_KEY) ?? 'report';
  if (!NAG_MODES.includes(raw as NagMode)) {
    throw new Error(
      `${NAG_CONTEXT_KEY}: expected one of ${NAG_MODES.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return raw as NagMode;
}

/**
 * Runs a pack but reports its findings as warnings. Keeps the pack's name so acknowledgements
 * (which CDK matches by plugin name) still apply.
 */
class ReportOnly implements IPolicyValidationPlugin {
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];
  readonly #inner: IPolicyValidationPlugin;

  constructor(inner: IPolicyValidationPlugin) {
    this.#inner = inner;
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.#inner.validate(context);
    return {
      ...report,
      success: true,
      violations: report.violations.map((v) => ({ ...v, severity: 'warning' })),
    };
  }
}

export function enableNag(app: App, mode: NagMode): void {
  if (mode === 'off') return;
  const pack = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(mode === 'strict' ? pack : new ReportOnly(pack));
}

export interface NagSummary {
  readonly findings: number;
  readonly byRule: Readonly<Record<string, number>>;
}

/** Unacknowledged findings in a synthesised assembly's validation report (0 if nag did not run). */
export function nagSummary(assemblyDir: string): NagSummary {
  const file = join(assemblyDir, 'validation-report.json');
  if (!existsSync(file)) return { findings: 0, byRule: {} };
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    pluginReports?: {
      pluginName?: string;
      violations?: { ruleName?: string; violatingConstructs?: unknown[] }[];
    }[];
  };
  const byRule: Record<string, number> = {};
  let findings = 0;
  for (const plugin of report.pluginReports ?? []) {
    if (plugin.pluginName !== 'AwsSolutions') continue;
    for (const v of plugin.violations ?? []) {
      const n = Math.max(1, v.violatingConstructs?.length ?? 0);
      const rule = v.ruleName ?? 'unknown';
      byRule[rule] = (byRule[rule] ?? 0) + n;
      findings += n;
    }
  }
  return { findings, byRule };
}

export function formatNagSummary(label: string, mode: NagMode, summary: NagSummary): string {
  const rules = Object.entries(summary.byRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, n]) => `  ${rule}: ${n}`)
    .join('\n');
  return `cdk-nag AwsSolutions (${mode}) ${label}: ${summary.findings} unacknowledged finding(s)${rules ? `\n${rules}` : ''}`;
}
