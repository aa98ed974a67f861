/**
 * Builds Restore's stacks for one or more deployments into a CDK App. `infra/app.ts` (what
 * `cdk synth` runs) and the infra tests both come through here, so the tests check what ships.
 */
import { App, Tags } from 'aws-cdk-lib';
import type { FunctionAccess, FunctionName } from '#functions/routes.ts';
import { consumers, functions, routes } from '#functions/routes.ts';
import type { DeploymentConfig } from './config/deployment.ts';
import { isProd } from './constructs/stage.ts';
import type { NagMode } from './nag.ts';
import { enableNag } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { EnrichmentStack } from './stacks/enrichment-stack.ts';

/**
 * Context every Restore app starts with (cdk.json and -c still override). Strong cross-stack
 * references: CloudFormation refuses to delete the data stack while the API still uses it.
 */
export const APP_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

export interface RestoreDeployment {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly auth?: AuthStack;
  readonly enrichment: EnrichmentStack;
  readonly api: ApiStack;
}

/**
 * Cross-checks functions/routes.ts before anything is built, so a wrong line there fails with
 * a sentence rather than a CloudFormation error.
 */
export function checkRouteTable(): void {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) errors.push(`routes: "${key}" is listed twice`);
    seen.add(key);
  }
  const routed = new Set<FunctionName>(routes.map((r) => r.fn));
  const consuming = new Set<FunctionName>(consumers.map((c) => c.fn));
  for (const [name, spec] of Object.entries(functions) as [FunctionName, { access: FunctionAccess }][]) {
    if (routed.has(name) && consuming.has(name)) {
      errors.push(`functions.${name}: serves routes and consumes a queue; split it into two functions`);
    }
    if ((spec.access.enrichmentQueue === 'consume') !== consuming.has(name)) {
      errors.push(`functions.${name}: access.enrichmentQueue 'consume' and the consumers list must agree`);
    }
  }
  if (errors.length > 0) throw new Error(`functions/routes.ts: ${errors.join('; ')}`);
}

/** Adds one deployment's stacks (ids `Restore-<envName>-*`) to `app`. */
export function addDeployment(app: App, config: DeploymentConfig): RestoreDeployment {
  checkRouteTable();
  const prefix = `Restore-${config.envName}`;
  const common = {
    env: { account: config.account, region: config.region },
    terminationProtection: isProd(config.stage),
  };
  const describe = (what: string) => `Restore for ${config.agencyName} (${config.envName}): ${what}`;

  const data = new DataStack(app, `${prefix}-Data`, {
    ...common,
    config,
    description: describe('data key, tables, indicator key'),
  });
  const auth =
    config.identityProvider.kind === 'cognito'
      ? new AuthStack(app, `${prefix}-Auth`, { ...common, config, description: describe('staff sign-in') })
      : undefined;
  const enrichment = new EnrichmentStack(app, `${prefix}-Enrichment`, {
    ...common,
    config,
    data,
    description: describe('enrichment queue and consumers'),
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...common,
    config,
    data,
    auth,
    enrichmentQueue: enrichment.queue,
    description: describe('HTTP API and its functions'),
  });

  for (const stack of [data, auth, enrichment, api]) {
    if (!stack) continue;
    Tags.of(stack).add('restore:env', config.envName);
    Tags.of(stack).add('restore:stage', config.stage);
  }
  return { config, data, auth, enrichment, api };
}

export interface BuildAppOptions {
  readonly nag?: NagMode;
  /** Extra context, on top of APP_CONTEXT. */
  readonly context?: Record<string, unknown>;
}

/** A fresh App holding every given deployment (tests put two in one app to check for clashes). */
export function buildApp(
  configs: DeploymentConfig | readonly DeploymentConfig[],
  options: BuildAppOptions = {},
): { app: App; deployments: RestoreDeployment[] } {
  const app = new App({ context: { ...APP_CONTEXT, ...options.context } });
  enableNag(app, options.nag ?? 'off');
  const list = Array.isArray(configs) ? configs : [configs as DeploymentConfig];
  const deployments = list.map((config) => addDeployment(app, config));
  return { app, deployments };
}
