import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '#functions/routes.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { acknowledge } from './acknowledge.ts';
import { lambdaBundlingFor, REPO_ROOT, SOURCEMAP } from './bundling.ts';
import { METRICS_NAMESPACE, serviceNameFor } from './metrics.ts';
import { removalPolicyFor } from './stage.ts';

export interface RestoreFunctionProps {
  /** The function's entry in functions/routes.ts: code path, memory, timeout, description. */
  readonly spec: FunctionSpec;
  readonly config: DeploymentConfig;
  /** Encrypts the function's log group (logs carry ids and routes, but stay in the agency's key). */
  readonly logEncryptionKey?: IKey;
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * "Our Lambda": Node 24 on arm64 with X-Ray tracing, JSON logs into its own log group with a
 * retention and the deployment's removal policy, a reserved-concurrency cap, and the shared
 * esbuild settings. Memory and timeout always come from the spec so the route table stays the
 * single source of truth.
 */
export class RestoreFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RestoreFunctionProps) {
    super(scope, id);
    const { spec, config } = props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: removalPolicyFor(config),
      encryptionKey: props.logEncryptionKey,
    });

    // Its own role instead of AWSLambdaBasicExecutionRole (which may write to any log group):
    // this function may only write to its own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Restore function: ${spec.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      // A cap per function: a flood on one route cannot take the account's whole pool (or bill).
      reservedConcurrentExecutions: config.reservedConcurrency,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: lambdaBundlingFor(spec.entry),
      environment: {
        // Per deployment, so two environments in one account keep their metrics apart.
        POWERTOOLS_SERVICE_NAME: serviceNameFor(config),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // If a handler adopts the Powertools Tracer, its responses (reports, claims: PII) must
        // not become trace metadata.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        ...(SOURCEMAP ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    });

    acknowledge(
      this.fn,
      'NIST.800.53.R5-LambdaInsideVPC',
      'Restore has no VPC resources: it reaches DynamoDB, SQS, Secrets Manager, X-Ray and CloudWatch over TLS with IAM-signed requests. A VPC would add NAT or five interface endpoints per AZ (cost, and a network path to manage) without narrowing what the function can reach, which IAM already limits.',
    );
    acknowledge(
      this.fn,
      'NIST.800.53.R5-LambdaDLQ',
      'Invoked only synchronously (API Gateway, or an SQS event source mapping whose queue has its own dead-letter queue); an asynchronous-invocation DLQ would never receive a message.',
    );
    acknowledge(
      this.fn,
      'Serverless-LambdaDLQ',
      'Invoked only synchronously (API Gateway, or an SQS event source mapping whose queue has its own dead-letter queue); an asynchronous-invocation DLQ would never receive a message.',
    );
    const policy = this.role.node.findChild('DefaultPolicy');
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource "*": X-Ray has no resource-level permissions. Every data action names its table, index, queue or secret.',
    );
    acknowledge(
      policy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "This policy belongs to exactly one function role and is generated from that function's access in functions/routes.ts; an inline policy cannot be attached to anything else, which is the point. Reviewed with the template.",
    );
  }

  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }
}
