import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionAccess, FunctionName } from '#functions/routes.ts';
import { functions, servesStaffRoutes } from '#functions/routes.ts';
import type { TableDefinition } from '#shared/storage/tables.ts';
import { auditTable, enrichmentQueue, idempotencyTable, mainTable } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { RestoreFunction } from './restore-function.ts';

/** Env var carrying the indicator HMAC key's secret ARN (the value is fetched at runtime). */
export const INDICATOR_KEY_ENV = 'INDICATOR_KEY_SECRET_ARN';

/** How long a stored report lives before its TTL (`expiresAt`) removes it; for writers of the main table. */
export const REPORT_RETENTION_ENV = 'REPORT_RETENTION_DAYS';

/** Every key of `FunctionAccess` this file knows how to grant; anything else fails the build. */
export const KNOWN_ACCESS_KEYS: readonly (keyof FunctionAccess)[] = [
  'mainTable',
  'idempotencyTable',
  'enrichmentQueue',
  'indicatorKey',
  'auditTable',
];

/**
 * Appending to the audit trail: PutItem and nothing else (no update, delete, batch write or read)
 * on the table itself. test/infra/iam.test.ts checks every function's policy against this.
 */
export const AUDIT_APPEND = ['dynamodb:PutItem'];

/**
 * DynamoDB and KMS actions spelled out: CDK's table grants add `kms:GenerateDataKey*`-style
 * wildcards and `dynamodb:Scan`.
 * No `Scan`: docs/data-model.md lists every access pattern and none scans the table.
 */
const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = [
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];

/** What a stack can hand to its functions; absent entries fail loudly if an access needs them. */
export interface AccessResources {
  readonly mainTable: ITableV2;
  readonly idempotencyTable: ITableV2;
  readonly indicatorKey: ISecret;
  readonly enrichmentQueue?: IQueue;
  readonly auditTable?: ITableV2;
}

/**
 * Turns a function's `access` from functions/routes.ts into least-privilege IAM statements (no
 * wildcard actions; KMS use only through the service that owns the data) and the env vars naming
 * what it may touch. `enrichmentQueue: 'consume'` is granted by the SQS event source in the
 * enrichment stack, not here.
 */
export function applyAccess(
  fn: RestoreFunction,
  name: string,
  access: FunctionAccess,
  res: AccessResources,
  staff = false,
) {
  const unknown = Object.keys(access).filter(
    (key) => !KNOWN_ACCESS_KEYS.includes(key as keyof FunctionAccess),
  );
  if (unknown.length > 0) {
    throw new Error(
      `functions.${name}.access: infra/constructs/function-access.ts cannot grant ${unknown.join(', ')} yet`,
    );
  }

  if (access.mainTable) {
    grantTable(fn, res.mainTable, mainTable, access.mainTable);
    fn.addEnvironment(mainTable.envVar, res.mainTable.tableName);
  }

  if (access.idempotencyTable) {
    grantTable(fn, res.idempotencyTable, idempotencyTable, 'readwrite');
    fn.addEnvironment(idempotencyTable.envVar, res.idempotencyTable.tableName);
  }

  if (access.enrichmentQueue === 'send') {
    if (!res.enrichmentQueue) {
      throw new Error(`Function "${name}" sends to ${enrichmentQueue.id} but its stack was given no queue`);
    }
    grantSend(fn, res.enrichmentQueue);
    fn.addEnvironment(enrichmentQueue.envVar, res.enrichmentQueue.queueUrl);
  }

  if (access.indicatorKey) {
    grantSecretRead(fn, res.indicatorKey);
    fn.addEnvironment(INDICATOR_KEY_ENV, res.indicatorKey.secretArn);
  }

  if (staff || access.auditTable) {
    if (!res.auditTable)
      throw new Error(`Function "${name}" records staff requests but its stack was given no audit table`);
    fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: AUDIT_APPEND, resources: [res.auditTable.tableArn] }),
    );
    if (access.auditTable === 'read') grantTable(fn, res.auditTable, auditTable, 'read');
    else if (res.auditTable.encryptionKey) {
      // Writing an item encrypted with the agency key: DynamoDB asks KMS on the function's behalf.
      fn.fn.addToRolePolicy(
        keyStatement(fn, res.auditTable.encryptionKey, [...KEY_READ, ...KEY_WRITE], 'dynamodb'),
      );
    }
    fn.addEnvironment(auditTable.envVar, res.auditTable.tableName);
  }
}

/** KMS use allowed only when `service` calls KMS for the function (never direct decryption). */
function keyStatement(fn: RestoreFunction, key: IKey, actions: string[], service: string): PolicyStatement {
  return new PolicyStatement({
    actions,
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(fn).region}.amazonaws.com` } },
  });
}

function grantTable(
  fn: RestoreFunction,
  table: ITableV2,
  definition: TableDefinition,
  mode: 'read' | 'readwrite',
) {
  const write = mode === 'readwrite';
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: write ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ,
      // The table and each of its indexes by name: no `index/*`.
      resources: [
        table.tableArn,
        ...definition.globalIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ],
    }),
  );
  if (table.encryptionKey) {
    fn.fn.addToRolePolicy(
      keyStatement(fn, table.encryptionKey, write ? [...KEY_READ, ...KEY_WRITE] : KEY_READ, 'dynamodb'),
    );
  }
}

function grantSend(fn: RestoreFunction, queue: IQueue) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resources: [queue.queueArn],
    }),
  );
  if (queue.encryptionMasterKey) {
    // SQS asks KMS for a data key per message batch and checks it can decrypt it again.
    fn.fn.addToRolePolicy(
      keyStatement(fn, queue.encryptionMasterKey, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs'),
    );
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
    fn.fn.addToRolePolicy(keyStatement(fn, secret.encryptionKey, ['kms:Decrypt'], 'secretsmanager'));
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
    config: ctx.config,
    logEncryptionKey: ctx.logEncryptionKey,
    environment: {
      ...ctx.environment,
      ...(access.mainTable === 'readwrite'
        ? { [REPORT_RETENTION_ENV]: String(ctx.config.reportRetentionDays) }
        : {}),
    },
  });
  applyAccess(fn, name, access, ctx.resources, servesStaffRoutes(name));
  return fn;
}
