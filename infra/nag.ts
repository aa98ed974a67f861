/**
 * cdk-nag wired through CDK's validation plugins: the AWS Solutions, NIST 800-53 rev 5 and
 * Serverless packs run at every synth (and in the infra tests). Mode comes from the context key
 * `restore:nag`:
 * - `strict` (cdk.json): findings are errors and fail synth.
 * - `report`: findings are reported as warnings and counted; synth still succeeds.
 * - `off`: not run.
 * Acknowledge a finding only on the construct it concerns, with a reason, through
 * `constructs/acknowledge.ts`.
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
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ContextReader } from './config/deployment.ts';

export type NagMode = 'off' | 'report' | 'strict';
export const NAG_CONTEXT_KEY = 'restore:nag';
const NAG_MODES: readonly NagMode[] = ['off', 'report', 'strict'];

/** The packs, by the plugin name they report under (also the prefix of their rule ids). */
export const NAG_PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'Serverless'] as const;
export type NagPackName = (typeof NAG_PACKS)[number];

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

export function nagPacks(app: App): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new ServerlessChecks(app)];
}

export function enableNag(app: App, mode: NagMode): void {
  if (mode === 'off') return;
  const packs = nagPacks(app);
  Validations.of(app).addPlugins(...(mode === 'strict' ? packs : packs.map((p) => new ReportOnly(p))));
}

export interface PackSummary {
  readonly findings: number;
  readonly byRule: Readonly<Record<string, number>>;
}

export interface NagSummary extends PackSummary {
  readonly byPack: Readonly<Record<NagPackName, PackSummary>>;
}

/** Unacknowledged findings in a synthesised assembly's validation report (0 if nag did not run). */
export function nagSummary(assemblyDir: string): NagSummary {
  const byPack = Object.fromEntries(NAG_PACKS.map((p) => [p, { findings: 0, byRule: {} }])) as Record<
    NagPackName,
    { findings: number; byRule: Record<string, number> }
  >;
  const file = join(assemblyDir, 'validation-report.json');
  const report = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as {
        pluginReports?: {
          pluginName?: string;
          violations?: { ruleName?: string; violatingConstructs?: unknown[] }[];
        }[];
      })
    : {};
  for (const plugin of report.pluginReports ?? []) {
    const pack = byPack[plugin.pluginName as NagPackName];
    if (!pack) continue;
    for (const v of plugin.violations ?? []) {
      const n = Math.max(1, v.violatingConstructs?.length ?? 0);
      const rule = v.ruleName ?? 'unknown';
      pack.byRule[rule] = (pack.byRule[rule] ?? 0) + n;
      pack.findings += n;
    }
  }
  const packs = Object.values(byPack);
  return {
    findings: packs.reduce((sum, p) => sum + p.findings, 0),
    byRule: Object.assign({}, ...packs.map((p) => p.byRule)),
    byPack,
  };
}

/**
 * Every acknowledgement recorded under `scope`, per pack: the audit trail a security reviewer
 * reads next to the template (each has one rule id, one construct and a reason).
 */
export interface Acknowledgement {
  readonly pack: NagPackName | 'other';
  readonly id: string;
  readonly path: string;
  readonly reason: string;
}

export function acknowledgements(scope: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [qualified, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualified.replace(/^annotation::/i, '');
        const pack = NAG_PACKS.find((p) => id.startsWith(`${p}-`)) ?? 'other';
        found.push({ pack, id, path: construct.node.path, reason });
      }
    }
  }
  return found;
}

export function formatNagSummary(
  label: string,
  mode: NagMode,
  summary: NagSummary,
  acks?: Acknowledgement[],
): string {
  const lines = NAG_PACKS.map((pack) => {
    const { findings, byRule } = summary.byPack[pack];
    const acked = acks ? `, ${acks.filter((a) => a.pack === pack).length} acknowledged` : '';
    const rules = Object.entries(byRule)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, n]) => `\n    ${rule}: ${n}`)
      .join('');
    return `  ${pack}: ${findings} unacknowledged finding(s)${acked}${rules}`;
  });
  return `cdk-nag (${mode}) ${label}:\n${lines.join('\n')}`;
}
