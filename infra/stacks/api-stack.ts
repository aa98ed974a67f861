import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Fn, SecretValue, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  CORS_ALLOW_HEADERS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  corsAllowMethods,
} from '#functions/http/cors.ts';
import type { FunctionName } from '#functions/routes.ts';
import { routes } from '#functions/routes.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName, uploadBucketExportName } from '../config/outputs.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { constructIdFor, createFunction } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { AuthStack } from './auth-stack.ts';
import type { DataStack } from './data-stack.ts';

/** Env var naming the token claim that lists the caller's groups; handlers check roles with it. */
export const AUTH_GROUPS_CLAIM_ENV = 'AUTH_GROUPS_CLAIM';

/**
 * Throttles per route (API Gateway keeps one bucket per route), set apart for public and staff
 * routes so a flood on the public forms cannot use up what staff need. The numbers and their
 * reasons are in docs/security.md ("Throttles").
 */
export const THROTTLES = {
  /** The public forms: far above any agency's real volume, low enough not to be a cost amplifier. */
  public: { rateLimit: 50, burstLimit: 100 },
  /** Signed-in staff: a few dozen people paging through lists. */
  staff: { rateLimit: 25, burstLimit: 50 },
} as const;

/** Env var carrying the origin secret CloudFront sends (functions/http/edge.ts). */
export const ORIGIN_VERIFY_ENV = 'ORIGIN_VERIFY';
/**
 * Context key naming the origin secret's version to use. After `put-secret-value`, deploying
 * with the new VersionId here updates CloudFront and the functions together (docs/runbook.md).
 */
export const ORIGIN_SECRET_VERSION_CONTEXT = 'restore:originSecretVersionId';

export interface ApiStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly enrichmentQueue: IQueue;
  readonly distributionQueue: IQueue;
  readonly sharingExportQueue: IQueue;
  /** E-mail's outbox, where the deployment sends e-mail (infra/stacks/mail-stack.ts). */
  readonly mailQueue?: IQueue | undefined;
  /** Present when staff sign in with the deployment's own Cognito pool. */
  readonly auth?: AuthStack;
}

/**
 * The HTTP API exactly as functions/routes.ts lists it: one function per handler (shared by all
 * its routes), public routes open, every other route behind the JWT authorizer. Role checks
 * (reviewer/admin) happen in the handlers, which read groups from AUTH_GROUPS_CLAIM.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<FunctionName, RestoreFunction>;
  readonly authorizer: HttpJwtAuthorizer;
  /** Partner agencies' machine tokens (TAXII routes), checked for the route's OAuth scopes. */
  readonly partnerAuthorizer: HttpJwtAuthorizer;
  /** The API's own host name, for CloudFront's origin (execute-api; never shown to users). */
  readonly originDomainName: string;
  /** What CloudFront sends in its origin header; requests without it are refused (http/edge.ts). */
  readonly originSecret: Secret;
  readonly originSecretValue: SecretValue;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const idp = config.identityProvider;

    let issuer: string;
    let audience: string[];
    let partnerAudience: string[];
    let groupsClaim: string;
    if (idp.kind === 'cognito') {
      if (!props.auth) {
        throw new Error('identityProvider.kind is "cognito" but no AuthStack was given to the ApiStack');
      }
      issuer = props.auth.issuer;
      audience = [props.auth.consoleClient.userPoolClientId];
      // With no partner yet, staff tokens are let in only to be refused for want of the scope.
      partnerAudience = [audience[0] as string, ...props.auth.partnerClients.map((c) => c.userPoolClientId)];
      groupsClaim = 'cognito:groups';
    } else {
      issuer = idp.issuer;
      audience = [...idp.audience];
      partnerAudience = [...(config.sharing.partnerAudience ?? idp.audience)];
      groupsClaim = idp.groupsClaim;
    }
    this.authorizer = new HttpJwtAuthorizer('StaffJwtAuthorizer', issuer, {
      jwtAudience: audience,
      identitySource: ['$request.header.Authorization'],
    });

    this.partnerAuthorizer = new HttpJwtAuthorizer('PartnerJwtAuthorizer', issuer, {
      jwtAudience: partnerAudience,
      identitySource: ['$request.header.Authorization'],
    });
    // The API's own execute-api address bypasses CloudFront and its WAF; only requests carrying
    // this secret, which CloudFront adds, get past the first step of every function.
    this.originSecret = new Secret(this, 'OriginSecret', {
      description: `Restore ${config.envName}: the header CloudFront sends so the API can refuse calls that bypass it`,
      encryptionKey: data.opsKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: removalPolicyFor(config),
    });
    const versionId: unknown = this.node.tryGetContext(ORIGIN_SECRET_VERSION_CONTEXT);
    this.originSecretValue = SecretValue.secretsManager(this.originSecret.secretArn, {
      ...(typeof versionId === 'string' && versionId !== '' ? { versionId } : {}),
    });
    acknowledge(
      this.originSecret,
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
      'Rotated by an operator (docs/runbook.md, "Rotate the origin secret"): CloudFront and the functions read it at deploy time, so a rotation is a put-secret-value followed by a deploy naming the new version.',
    );
    acknowledge(
      this.originSecret,
      'AwsSolutions-SMG4',
      'Rotated by an operator (docs/runbook.md, "Rotate the origin secret"): CloudFront and the functions read it at deploy time, so a rotation is a put-secret-value followed by a deploy naming the new version, not a Lambda rotation schedule.',
    );

    // One function per handler named in the route table, in route-table order.
    const names = [...new Set(routes.map((r) => r.fn))];
    const fns = new Map<FunctionName, RestoreFunction>();
    for (const name of names) {
      fns.set(
        name,
        createFunction(this, name, {
          config,
          logEncryptionKey: data.opsKey,
          resources: {
            mainTable: data.mainTable,
            idempotencyTable: data.idempotencyTable,
            indicatorKey: data.indicatorKey,
            payoutKey: data.payoutKey,
            enrichmentQueue: props.enrichmentQueue,
            auditTable: data.auditTable,
            distributionQueue: props.distributionQueue,
            sharingExportQueue: props.sharingExportQueue,
            ...(props.mailQueue ? { mailQueue: props.mailQueue } : {}),
            artefactBucket: { arn: Fn.importValue(artefactBucketExportName(config.envName)), key: data.key },
            uploadBucket: { arn: Fn.importValue(uploadBucketExportName(config.envName)), key: data.key },
          },
          environment: {
            [AUTH_GROUPS_CLAIM_ENV]: groupsClaim,
            // Sharing: the creator partners see on every STIX object, and its TLP marking.
            AGENCY_NAME: config.agencyName,
            SHARING_TLP: config.sharing.tlp,
            // TAXII discovery names the API Root under the site's address (docs/sharing.md).
            ...(config.customDomain ? { PUBLIC_BASE_URL: `https://${config.customDomain.domainName}` } : {}),
            // Resolved by CloudFormation at deploy time (a dynamic reference): no runtime fetch.
            [ORIGIN_VERIFY_ENV]: this.originSecretValue.unsafeUnwrap(),
          },
        }),
      );
    }
    this.functions = fns;

    this.api = new HttpApi(this, 'HttpApi', {
      // A display name, not an identifier: API names need not be unique in an account.
      apiName: `restore-${config.envName}`,
      description: `Restore ${config.envName} (${config.agencyName}): fraud reports and the staff API`,
      createDefaultStage: false,
      // Secure by default: a route added without an explicit choice needs a token.
      defaultAuthorizer: this.authorizer,
      corsPreflight:
        config.corsAllowedOrigins.length > 0
          ? {
              allowOrigins: [...config.corsAllowedOrigins],
              allowMethods: corsAllowMethods().map((m) => CorsHttpMethod[m]),
              allowHeaders: [...CORS_ALLOW_HEADERS],
              // So a partner's page can read when to retry, the next part and the validator.
              exposeHeaders: [...CORS_EXPOSE_HEADERS],
              allowCredentials: false,
              maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
            }
          : undefined,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      encryptionKey: data.opsKey,
      removalPolicy: removalPolicyFor(config),
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLES.public,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // routeKey, not path: paths carry report ids and scammer identifiers.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const integrations = new Map(
      [...fns].map(([name, fn]) => [
        name,
        new HttpLambdaIntegration(`${constructIdFor(name)}Integration`, fn.fn),
      ]),
    );
    const none = new HttpNoneAuthorizer();
    for (const route of routes) {
      const scopes = route.auth !== 'public' && 'scopes' in route.auth ? [...route.auth.scopes] : undefined;
      const authorizer: IHttpRouteAuthorizer =
        route.auth === 'public' ? none : scopes ? this.partnerAuthorizer : this.authorizer;
      const added = this.api.addRoutes({
        path: route.path,
        // HEAD wherever GET is: the handler answers it as the GET, without the body.
        methods: route.method === 'GET' ? [HttpMethod.GET, HttpMethod.HEAD] : [HttpMethod[route.method]],
        integration: integrations.get(route.fn)!,
        authorizer,
        // API Gateway answers 403 to a valid token granted none of them.
        ...(scopes ? { authorizationScopes: scopes } : {}),
      });
      if (route.auth === 'public') {
        for (const r of added) {
          acknowledge(
            r,
            'AwsSolutions-APIG4',
            `${route.method} ${route.path} is public in functions/routes.ts: victims report fraud and claim without an account, and health/OpenAPI are meant to be read by anyone.`,
          );
        }
      }
    }

    // Per-route throttles: the stage default covers public routes; staff routes get their own.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      routes.map((route) => {
        const limits = route.auth === 'public' ? THROTTLES.public : THROTTLES.staff;
        return [
          `${route.method} ${route.path}`,
          { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
        ];
      }),
    );
    // Route settings name routes that must exist first.
    for (const child of this.api.node.children) {
      if (child instanceof HttpRoute) this.stage.node.addDependency(child);
    }

    this.originDomainName = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    new CfnOutput(this, 'ApiUrl', {
      description: 'The API behind CloudFront; clients use the site URL (edge stack), which adds the WAF',
      value: this.stage.url,
    });
  }
}
