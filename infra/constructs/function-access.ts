import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionAccess, FunctionName } from '#functions/routes.ts';
import { functions } from '#functions/routes.ts';
import { enrichmentQueue, idempotencyTable, mainTable } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { RestoreFunction } from './restore-function.ts';

/** Env var carrying the indicator HMAC key's secret ARN (the value is fetched at runtime). */
export const INDICATOR_KEY_ENV = 'INDICATOR_KEY_SECRET_ARN';

/** How long a stored report lives before its TTL (`expiresAt`) removes it; for writers of the main table. */
export const REPORT_RETENTION_ENV = 'REPORT_RETENTION_DAYS';

/** What a stack can hand to its functions; absent entries fail loudly if an access needs them. */
export interface AccessResources {
  readonly mainTable: ITableV2;
  readonly idempotencyTable: ITableV2;
  readonly indicatorKey: ISecret;
  readonly enrichmentQueue?: IQueue;
}

/**
 * Turns a function's `access` from functions/routes.ts into least-privilege IAM grants (KMS
 * included: the grants add Decrypt/GenerateDataKey on the customer-managed key) and the env
 * vars naming what it may touch. `enrichmentQueue: 'consume'` is granted by the SQS event
 * source in the enrichment stack, not here.
 */
export function applyAccess(fn: RestoreFunction, name: string, access: FunctionAccess, res: AccessResources) {
  if (access.mainTable === 'read') {
    res.mainTable.grantReadData(fn.fn);
  } else if (access.mainTable === 'readwrite') {
    res.mainTable.grantReadWriteData(fn.fn);
  }
  if (access.mainTable) {
    fn.addEnvironment(mainTable.envVar, res.mainTable.tableName);
  }

  if (access.idempotencyTable) {
    res.idempotencyTable.grantReadWriteData(fn.fn);
    fn.addEnvironment(idempotencyTable.envVar, res.idempotencyTable.tableName);
  }

  if (access.enrichmentQueue === 'send') {
    if (!res.enrichmentQueue) {
      throw new Error(`Function "${name}" sends to ${enrichmentQueue.id} but its stack was given no queue`);
    }
    res.enrichmentQueue.grantSendMessages(fn.fn);
    fn.addEnvironment(enrichmentQueue.envVar, res.enrichmentQueue.queueUrl);
  }

  if (access.indicatorKey) {
    grantSecretRead(fn, res.indicatorKey);
    fn.addEnvironment(INDICATOR_KEY_ENV, res.indicatorKey.secretArn);
  }
}

/**
 * Read access to a CMK-encrypted secret from another stack. `Secret.grantRead` would also name
 * this role in the key's policy (its KMS grant goes through a ViaServicePrincipal, which has no
 * account), making the data stack depend on this one: a cycle. The key policy already delegates
 * to IAM, so an identity-policy statement limited to Secrets Manager is enough.
 */
function grantSecretRead(fn: RestoreFunction, secret: ISecret): void {
  Secret.fromSecretCompleteArn(fn, 'IndicatorKeyRef', secret.secretArn).grantRead(fn.fn);
  if (secret.encryptionKey) {
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(fn).region}.amazonaws.com` },
        },
      }),
    );
  }
}

export interface FunctionContext {
  readonly config: DeploymentConfig;
  readonly resources: AccessResources;
  readonly logEncryptionKey: IKey;
  readonly environment?: Readonly<Record<string, string>>;
}

/** `adminReports` -> `AdminReports`: construct ids read like the route table's names. */
export function constructIdFor(name: FunctionName): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** One function from functions/routes.ts, with its grants and environment. */
export function createFunction(scope: Construct, name: FunctionName, ctx: FunctionContext): RestoreFunction {
  const spec = functions[name];
  const access: FunctionAccess = spec.access;
  const fn = new RestoreFunction(scope, constructIdFor(name), {
    spec,
    stage: ctx.config.stage,
    logRetentionDays: ctx.config.logRetentionDays,
    logEncryptionKey: ctx.logEncryptionKey,
    environment: {
      ...ctx.environment,
      ...(access.mainTable === 'readwrite'
        ? { [REPORT_RETENTION_ENV]: String(ctx.config.reportRetentionDays) }
        : {}),
    },
  });
  applyAccess(fn, name, access, ctx.resources);
  return fn;
}
