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
import type { Stage } from '../config/deployment.ts';
import { lambdaBundling, REPO_ROOT, SOURCEMAP } from './bundling.ts';
import { removalPolicyFor } from './stage.ts';

export interface RestoreFunctionProps {
  /** The function's entry in functions/routes.ts: code path, memory, timeout, description. */
  readonly spec: FunctionSpec;
  readonly stage: Stage;
  readonly logRetentionDays: number;
  /** Encrypts the function's log group (reports carry victims' personal data). */
  readonly logEncryptionKey?: IKey;
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * "Our Lambda": Node 24 on arm64 with X-Ray tracing, JSON logs into its own log group with a
 * retention and a stage-appropriate removal policy, and the shared esbuild settings. Memory and
 * timeout always come from the spec so the route table stays the single source of truth.
 */
export class RestoreFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RestoreFunctionProps) {
    super(scope, id);
    const { spec } = props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: removalPolicyFor(props.stage),
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
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: lambdaBundling,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'restore',
        POWERTOOLS_METRICS_NAMESPACE: 'Restore',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(SOURCEMAP ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    });
  }

  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }
}
