import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { routes } from '#functions/routes.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { constructIdFor, createFunction } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { AuthStack } from './auth-stack.ts';
import type { DataStack } from './data-stack.ts';

/** Env var naming the token claim that lists the caller's groups; handlers check roles with it. */
export const AUTH_GROUPS_CLAIM_ENV = 'AUTH_GROUPS_CLAIM';

/** Account-wide defaults for every route; a public intake form should not be a cost amplifier. */
const THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Headers browsers may send cross-origin: bearer token, JSON bodies, idempotent retries. */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

export interface ApiStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly enrichmentQueue: IQueue;
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
  /** The API's own host name, for CloudFront's origin (execute-api; never shown to users). */
  readonly originDomainName: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const idp = config.identityProvider;

    let issuer: string;
    let audience: string[];
    let groupsClaim: string;
    if (idp.kind === 'cognito') {
      if (!props.auth) {
        throw new Error('identityProvider.kind is "cognito" but no AuthStack was given to the ApiStack');
      }
      issuer = props.auth.issuer;
      audience = [props.auth.consoleClient.userPoolClientId];
      groupsClaim = 'cognito:groups';
    } else {
      issuer = idp.issuer;
      audience = [...idp.audience];
      groupsClaim = idp.groupsClaim;
    }
    this.authorizer = new HttpJwtAuthorizer('StaffJwtAuthorizer', issuer, {
      jwtAudience: audience,
      identitySource: ['$request.header.Authorization'],
    });

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
            enrichmentQueue: props.enrichmentQueue,
            auditTable: data.auditTable,
          },
          environment: { [AUTH_GROUPS_CLAIM_ENV]: groupsClaim },
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
              allowMethods: [...new Set(routes.map((r) => CorsHttpMethod[r.method])), CorsHttpMethod.OPTIONS],
              allowHeaders: CORS_ALLOWED_HEADERS,
              allowCredentials: false,
              maxAge: Duration.hours(1),
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
      throttle: THROTTLE,
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
      const authorizer: IHttpRouteAuthorizer = route.auth === 'public' ? none : this.authorizer;
      const added = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations.get(route.fn)!,
        authorizer,
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

    this.originDomainName = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    new CfnOutput(this, 'ApiUrl', {
      description: 'The API behind CloudFront; clients use the site URL (edge stack), which adds the WAF',
      value: this.stage.url,
    });
  }
}
