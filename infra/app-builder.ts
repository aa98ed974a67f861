/**
 * Builds Restore's stacks for one or more deployments into a CDK App. `infra/app.ts` (what
 * `cdk synth` runs) and the infra tests both come through here, so the tests check what ships.
 */
import type { Stack } from 'aws-cdk-lib';
import { App, Aspects, Tags } from 'aws-cdk-lib';
import type { FunctionAccess, FunctionName } from '#functions/routes.ts';
import { consumers, functions, routes } from '#functions/routes.ts';
import { type DeploymentConfig, EDGE_REGION } from './config/deployment.ts';
import { stackName } from './config/outputs.ts';
import { KNOWN_ACCESS_KEYS } from './constructs/function-access.ts';
import { LogDataProtection } from './constructs/log-data-protection.ts';
import { isProd } from './constructs/stage.ts';
import type { NagMode } from './nag.ts';
import { enableNag } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { AuthStack } from './stacks/auth-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { DistributionStack } from './stacks/distribution-stack.ts';
import { EdgeStack } from './stacks/edge-stack.ts';
import { EnrichmentStack } from './stacks/enrichment-stack.ts';
import { MailStack } from './stacks/mail-stack.ts';
import { MonitoringStack } from './stacks/monitoring-stack.ts';
import { SharingStack } from './stacks/sharing-stack.ts';
import { UploadsStack } from './stacks/uploads-stack.ts';
import { WafStack } from './stacks/waf-stack.ts';

/**
 * Context every Restore app starts with (cdk.json and -c still override). Strong cross-stack
 * references: CloudFormation refuses to delete the data stack while the API still uses it.
 */
export const APP_CONTEXT: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // S3 server access logs are delivered under a bucket policy, not the legacy log-delivery ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface RestoreDeployment {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly auth?: AuthStack;
  /** Only where the deployment has an `email` setting. */
  readonly mail?: MailStack;
  readonly enrichment: EnrichmentStack;
  readonly distribution: DistributionStack;
  readonly sharing: SharingStack;
  readonly uploads: UploadsStack;
  readonly api: ApiStack;
  readonly waf: WafStack;
  readonly edge: EdgeStack;
  readonly monitoring: MonitoringStack;
  /** Every stack of the deployment, in dependency order. */
  readonly stacks: readonly Stack[];
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
    for (const key of Object.keys(spec.access)) {
      if (!KNOWN_ACCESS_KEYS.includes(key as keyof FunctionAccess)) {
        errors.push(`functions.${name}.access.${key}: the CDK app does not know how to grant this`);
      }
    }
    const consumesQueue =
      spec.access.enrichmentQueue === 'consume' ||
      spec.access.mailQueue === 'consume' ||
      spec.access.distributionQueue === 'consume' ||
      spec.access.distributionQueue === 'consume-and-send' ||
      spec.access.sharingExportQueue === 'consume-and-send';
    if (consumesQueue !== consuming.has(name)) {
      errors.push(`functions.${name}: a queue access of 'consume' and the consumers list must agree`);
    }
  }
  if (errors.length > 0) throw new Error(`functions/routes.ts: ${errors.join('; ')}`);
}

/**
 * Adds one deployment's stacks (ids `Restore-<envName>-*`) to `app`. All live in the
 * deployment's region except the WAF stack: CloudFront only accepts web ACLs from us-east-1.
 * When the region differs, the edge stack reads the web ACL's ARN through CDK's cross-region
 * references (an SSM parameter the WAF stack writes into the deployment's region).
 */
export function addDeployment(app: App, config: DeploymentConfig): RestoreDeployment {
  checkRouteTable();
  const terminationProtection = isProd(config);
  const common = { env: { account: config.account, region: config.region }, terminationProtection };
  const crossRegion = config.region !== EDGE_REGION;
  const describe = (what: string) => `Restore for ${config.agencyName} (${config.envName}): ${what}`;

  const data = new DataStack(app, stackName(config.envName, 'Data'), {
    ...common,
    config,
    description: describe('keys, tables and their backups, indicator key'),
  });
  const auth =
    config.identityProvider.kind === 'cognito'
      ? new AuthStack(app, stackName(config.envName, 'Auth'), {
          ...common,
          config,
          description: describe('staff sign-in'),
        })
      : undefined;
  const { email } = config;
  const mail = email
    ? new MailStack(app, stackName(config.envName, 'Mail'), {
        ...common,
        config: { ...config, email },
        data,
        description: describe('e-mail outbox, mailer, SES identity and bounce handling'),
      })
    : undefined;
  const enrichment = new EnrichmentStack(app, stackName(config.envName, 'Enrichment'), {
    ...common,
    config,
    data,
    mailQueue: mail?.queue,
    description: describe('enrichment queue and consumers'),
  });
  const distribution = new DistributionStack(app, stackName(config.envName, 'Distribution'), {
    ...common,
    config,
    data,
    mailQueue: mail?.queue,
    description: describe('distribution job queue and worker'),
  });
  const sharing = new SharingStack(app, stackName(config.envName, 'Sharing'), {
    ...common,
    config,
    data,
    description: describe('sharing export job queue and worker'),
  });
  const uploads = new UploadsStack(app, stackName(config.envName, 'Uploads'), {
    ...common,
    config,
    data,
    description: describe('malware scanning of claimant uploads'),
  });
  const api = new ApiStack(app, stackName(config.envName, 'Api'), {
    ...common,
    config,
    data,
    auth,
    enrichmentQueue: enrichment.queue,
    distributionQueue: distribution.queue,
    sharingExportQueue: sharing.queue,
    mailQueue: mail?.queue,
    description: describe('HTTP API and its functions'),
  });
  const waf = new WafStack(app, stackName(config.envName, 'Waf'), {
    env: { account: config.account, region: EDGE_REGION },
    terminationProtection,
    crossRegionReferences: crossRegion,
    config,
    description: describe(`WAF web ACL for CloudFront (always ${EDGE_REGION})`),
  });
  const edge = new EdgeStack(app, stackName(config.envName, 'Edge'), {
    ...common,
    crossRegionReferences: crossRegion,
    config,
    data,
    api,
    auth,
    webAclArn: waf.webAclArn,
    description: describe('CloudFront, website bucket and access logs'),
  });
  const monitoring = new MonitoringStack(app, stackName(config.envName, 'Monitoring'), {
    ...common,
    config,
    data,
    api,
    enrichment,
    distribution,
    sharing,
    uploads,
    mail,
    description: describe('alarms and dashboard'),
  });

  const stacks = [
    data,
    ...(auth ? [auth] : []),
    ...(mail ? [mail] : []),
    enrichment,
    distribution,
    sharing,
    uploads,
    api,
    waf,
    edge,
    monitoring,
  ];
  for (const stack of stacks) {
    Tags.of(stack).add('restore:env', config.envName);
    Tags.of(stack).add('restore:stage', config.stage);
    Aspects.of(stack).add(new LogDataProtection());
  }
  return {
    config,
    data,
    auth,
    mail,
    enrichment,
    distribution,
    sharing,
    uploads,
    api,
    waf,
    edge,
    monitoring,
    stacks,
  };
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
