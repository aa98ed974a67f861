/**
 * Shared set-up for the infra tests: the example deployments from cdk.json, an in-process synth
 * through the same builder `cdk synth` uses, and small readers over synthesised templates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import type { RestoreDeployment } from '#infra/app-builder.ts';
import { buildApp } from '#infra/app-builder.ts';
import type { DeploymentConfig } from '#infra/config/deployment.ts';
import { DEPLOYMENTS_CONTEXT_KEY, parseDeployments } from '#infra/config/deployment.ts';
import { SITE_DIR_CONTEXT_KEY } from '#infra/config/edge.ts';
import { REPO_ROOT } from '#infra/constructs/bundling.ts';
import type { RestoreFunction } from '#infra/constructs/restore-function.ts';
import type { NagMode } from '#infra/nag.ts';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string[];
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateJson {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** The example deployments in cdk.json, keyed by env name (so tests check what ships). */
export function exampleDeployments(): Record<string, DeploymentConfig> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const list = parseDeployments(cdkJson.context[DEPLOYMENTS_CONTEXT_KEY]);
  return Object.fromEntries(list.map((d) => [d.envName, d]));
}

export function example(envName: string): DeploymentConfig {
  const config = exampleDeployments()[envName];
  if (!config) throw new Error(`cdk.json has no example deployment "${envName}"`);
  return config;
}

export interface Synthesised {
  readonly deployment: RestoreDeployment;
  readonly data: Template;
  readonly auth?: Template;
  /** Only where the deployment sends e-mail. */
  readonly mail?: Template;
  readonly enrichment: Template;
  readonly distribution: Template;
  readonly sharing: Template;
  readonly uploads: Template;
  readonly api: Template;
  readonly waf: Template;
  readonly edge: Template;
  readonly monitoring: Template;
  /** Every stack of this deployment. */
  readonly all: readonly Template[];
  readonly assemblyDir: string;
}

/** The names of the example deployments in cdk.json. */
export function exampleNames(): string[] {
  return Object.keys(exampleDeployments());
}

function templatesOf(deployment: RestoreDeployment, assemblyDir: string): Synthesised {
  const of = (stack: Stack) => Template.fromStack(stack);
  const auth = deployment.auth ? of(deployment.auth) : undefined;
  const mail = deployment.mail ? of(deployment.mail) : undefined;
  return {
    deployment,
    data: of(deployment.data),
    auth,
    ...(mail ? { mail } : {}),
    enrichment: of(deployment.enrichment),
    distribution: of(deployment.distribution),
    sharing: of(deployment.sharing),
    uploads: of(deployment.uploads),
    api: of(deployment.api),
    waf: of(deployment.waf),
    edge: of(deployment.edge),
    monitoring: of(deployment.monitoring),
    all: deployment.stacks.map(of),
    assemblyDir,
  };
}

/** The one-page placeholder site: tests never depend on whether web/dist is (being) built. */
export const PLACEHOLDER_SITE_DIR = join(REPO_ROOT, 'infra', 'site-placeholder');

export interface SynthOptions {
  readonly nag?: NagMode;
  /**
   * Run esbuild for every function (as `cdk synth` does). Off by default: only the bundle tests
   * need the output, and skipping it makes a synth several seconds faster.
   */
  readonly bundle?: boolean;
}

/** Synthesises the given deployments into one app and returns their templates. */
export function synthesise(configs: readonly DeploymentConfig[], options: SynthOptions = {}): Synthesised[] {
  const { app, deployments } = buildApp(configs, {
    nag: options.nag ?? 'off',
    context: {
      [SITE_DIR_CONTEXT_KEY]: PLACEHOLDER_SITE_DIR,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const assembly = app.synth();
  return deployments.map((d) => templatesOf(d, assembly.directory));
}

export function synthesiseOne(config: DeploymentConfig, options: SynthOptions = {}): Synthesised {
  return synthesise([config], options)[0]!;
}

export const json = (t: Template): TemplateJson => t.toJSON() as TemplateJson;

export function resourcesOfType(t: Template, type: string): [string, CfnResource][] {
  return Object.entries(json(t).Resources).filter(([, r]) => r.Type === type);
}

/** The one resource of `type` in a template (throws if there is not exactly one). */
export function onlyResourceOfType(t: Template, type: string): CfnResource {
  const found = resourcesOfType(t, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]![1];
}

/** The logical id CDK gave a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** IAM policy statements of every AWS::IAM::Policy in a template, keyed by the policy's logical id. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function policyStatements(t: Template, policyLogicalId?: string): Statement[] {
  return resourcesOfType(t, 'AWS::IAM::Policy')
    .filter(([id]) => policyLogicalId === undefined || id === policyLogicalId)
    .flatMap(([, r]) => (r.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

/** Finds a value anywhere inside a CloudFormation expression (for Fn::ImportValue / Fn::Join). */
export function mentions(value: unknown, needle: string): boolean {
  return JSON.stringify(value).includes(needle);
}

export interface DeployedFunction {
  readonly name: FunctionName;
  readonly fn: RestoreFunction;
  readonly stack: Stack;
  readonly template: Template;
  readonly functionId: string;
  readonly policyId: string;
  readonly logGroupId: string;
}

/** Every function of a deployment (API handlers and queue consumers) with its logical ids. */
export function deployedFunctions(s: Synthesised): DeployedFunction[] {
  const found: [FunctionName, RestoreFunction, Stack, Template][] = [
    ...[...s.deployment.api.functions].map(
      ([name, fn]) => [name, fn, s.deployment.api, s.api] as [FunctionName, RestoreFunction, Stack, Template],
    ),
    ...[...s.deployment.enrichment.consumers].map(
      ([name, fn]) =>
        [name as FunctionName, fn, s.deployment.enrichment, s.enrichment] as [
          FunctionName,
          RestoreFunction,
          Stack,
          Template,
        ],
    ),
    ['uploadScan', s.deployment.uploads.scanner, s.deployment.uploads, s.uploads] as [
      FunctionName,
      RestoreFunction,
      Stack,
      Template,
    ],
    ...[...s.deployment.distribution.consumers].map(
      ([name, fn]) =>
        [name as FunctionName, fn, s.deployment.distribution, s.distribution] as [
          FunctionName,
          RestoreFunction,
          Stack,
          Template,
        ],
    ),
    ...[...s.deployment.sharing.consumers].map(
      ([name, fn]) =>
        [name as FunctionName, fn, s.deployment.sharing, s.sharing] as [
          FunctionName,
          RestoreFunction,
          Stack,
          Template,
        ],
    ),
    ...(s.deployment.mail && s.mail
      ? [
          ...[...s.deployment.mail.consumers].map(
            ([name, fn]) =>
              [name, fn, s.deployment.mail!, s.mail!] as [FunctionName, RestoreFunction, Stack, Template],
          ),
          ['mailEvents', s.deployment.mail.events, s.deployment.mail, s.mail] as [
            FunctionName,
            RestoreFunction,
            Stack,
            Template,
          ],
        ]
      : []),
  ];
  return found.map(([name, fn, stack, template]) => {
    return {
      name,
      fn,
      stack,
      template,
      functionId: logicalId(fn.fn),
      policyId: logicalId(fn.role.node.findChild('DefaultPolicy')),
      logGroupId: logicalId(fn.logGroup),
    };
  });
}
