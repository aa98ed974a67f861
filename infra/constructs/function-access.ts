import { Fn, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionAccess, FunctionName } from '#functions/routes.ts';
import { functions, servesStaffRoutes } from '#functions/routes.ts';
import type { TableDefinition } from '#shared/storage/tables.ts';
import {
  artefactBucket,
  auditTable,
  distributionQueue,
  enrichmentQueue,
  idempotencyTable,
  mailQueue,
  mainTable,
  sharingExportQueue,
  uploadBucket,
} from '#shared/storage/tables.ts';
import { EXPORT_KEY_PREFIX } from '#shared/use-cases/export-job.ts';
import { PAYOUT_PURPOSE } from '#shared/use-cases/payout-vault.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName, uploadBucketExportName } from '../config/outputs.ts';
import { acknowledge } from './acknowledge.ts';
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
  'distributionQueue',
  'artefactBucket',
  'moneySettings',
  'uploadBucket',
  'mailQueue',
  'mailSender',
  'sharingExportQueue',
  'exportFiles',
  'payoutVault',
];

/** Env var naming the payout key the Encryption SDK's KMS keyring uses (functions/payout-vault.ts). */
export const PAYOUT_KEY_ENV = 'PAYOUT_KEY_ARN';

/** Env vars the mailer reads (functions/config.ts): who mail comes from, how, and where it links. */
export const MAIL_ENV = {
  from: 'MAIL_FROM',
  configurationSet: 'MAIL_CONFIGURATION_SET',
  siteUrl: 'MAIL_SITE_URL',
} as const;

/** The SES side of a deployment's e-mail (infra/stacks/mail-stack.ts). */
export interface MailSender {
  readonly identityArn: string;
  readonly configurationSetArn: string;
  readonly configurationSetName: string;
  readonly fromAddress: string;
  readonly siteUrl: string;
}

/** Env vars carrying the deployment's money settings (functions/config.ts reads them). */
export const MONEY_APPROVERS_ENV = 'MONEY_APPROVERS';
export const RETURNED_PAYMENT_WAIT_DAYS_ENV = 'RETURNED_PAYMENT_WAIT_DAYS';

/** Objects the distribution functions read and write: only under this prefix. */
export const ARTEFACT_PREFIX = 'distributions/';
/** Sharing export files (docs/sharing.md): written by the export worker, signed for admins. */
export const EXPORT_FILES_PREFIX = EXPORT_KEY_PREFIX;

/** Claimants' uploads land here (pre-signed POSTs) and wait for their scan (docs/follow-up.md). */
export const QUARANTINE_PREFIX = 'quarantine/';
/** Documents scanned clean and proven PDF/JPEG/PNG: the only prefix reviewers' links can read. */
export const DOCUMENTS_PREFIX = 'documents/';

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
  /** The key sealing claimants' account numbers (DataStack.payoutKey). */
  readonly payoutKey?: IKey;
  readonly enrichmentQueue?: IQueue;
  readonly auditTable?: ITableV2;
  readonly distributionQueue?: IQueue;
  readonly sharingExportQueue?: IQueue;
  /** By the ARN the data stack exports under artefactBucketExportName, and its key. */
  readonly artefactBucket?: { readonly arn: string; readonly key: IKey };
  /** By the ARN the data stack exports under uploadBucketExportName, and its key. */
  readonly uploadBucket?: { readonly arn: string; readonly key: IKey };
  /** Absent where the deployment sends no e-mail (no `email` setting). */
  readonly mailQueue?: IQueue;
  readonly mailSender?: MailSender;
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
  config?: DeploymentConfig,
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

  if (access.enrichmentQueue === 'consume') {
    // The event source grants the consume actions (ChangeMessageVisibility among them); the
    // consumer needs the URL to delay its own retries.
    if (!res.enrichmentQueue) {
      throw new Error(`Function "${name}" consumes ${enrichmentQueue.id} but its stack was given no queue`);
    }
    fn.addEnvironment(enrichmentQueue.envVar, res.enrichmentQueue.queueUrl);
  }

  if (access.distributionQueue === 'send' || access.distributionQueue === 'consume-and-send') {
    if (!res.distributionQueue) {
      throw new Error(`Function "${name}" sends to ${distributionQueue.id} but its stack was given no queue`);
    }
    // A worker continues its own job by sending the next step (receiving comes from the event source).
    grantSend(fn, res.distributionQueue);
    fn.addEnvironment(distributionQueue.envVar, res.distributionQueue.queueUrl);
  }

  if (access.sharingExportQueue) {
    if (!res.sharingExportQueue) {
      throw new Error(
        `Function "${name}" sends to ${sharingExportQueue.id} but its stack was given no queue`,
      );
    }
    // The worker continues its own job by sending the next step (receiving comes from the event source).
    grantSend(fn, res.sharingExportQueue);
    fn.addEnvironment(sharingExportQueue.envVar, res.sharingExportQueue.queueUrl);
  }

  if (access.exportFiles) {
    if (!res.artefactBucket) {
      throw new Error(`Function "${name}" uses export files but its stack was given no artefact bucket`);
    }
    grantExportFiles(fn, res.artefactBucket.arn, res.artefactBucket.key, access.exportFiles, config);
    fn.addEnvironment(artefactBucket.envVar, Fn.select(5, Fn.split(':', res.artefactBucket.arn)));
  }

  if (access.mailQueue) {
    // A deployment without e-mail has no mail queue: its functions record no intents.
    if (!res.mailQueue && config?.email) {
      throw new Error(`Function "${name}" uses ${mailQueue.id} but its stack was given no queue`);
    }
    if (res.mailQueue) {
      // Consumers get receive rights from their event source; they need the URL to delay retries.
      if (access.mailQueue === 'send') grantSend(fn, res.mailQueue);
      fn.addEnvironment(mailQueue.envVar, res.mailQueue.queueUrl);
    }
  }

  if (access.mailSender) {
    if (!res.mailSender) throw new Error(`Function "${name}" sends e-mail but its stack was given no sender`);
    // SendEmail only, only from the deployment's address, only with its configuration set.
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [res.mailSender.identityArn, res.mailSender.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': res.mailSender.fromAddress } },
      }),
    );
    fn.addEnvironment(MAIL_ENV.from, res.mailSender.fromAddress);
    fn.addEnvironment(MAIL_ENV.configurationSet, res.mailSender.configurationSetName);
    fn.addEnvironment(MAIL_ENV.siteUrl, res.mailSender.siteUrl);
    if (config) fn.addEnvironment('AGENCY_NAME', config.agencyName);
  }

  if (access.artefactBucket) {
    if (!res.artefactBucket) {
      throw new Error(`Function "${name}" uses ${artefactBucket.id} but its stack was given no bucket`);
    }
    grantBucket(fn, res.artefactBucket.arn, res.artefactBucket.key, access.artefactBucket, config);
    // arn:<partition>:s3:::<name>: the name is the sixth field.
    fn.addEnvironment(artefactBucket.envVar, Fn.select(5, Fn.split(':', res.artefactBucket.arn)));
  }

  if (access.uploadBucket) {
    if (!res.uploadBucket) {
      throw new Error(`Function "${name}" uses ${uploadBucket.id} but its stack was given no bucket`);
    }
    grantUploads(fn, res.uploadBucket.arn, res.uploadBucket.key, access.uploadBucket, config);
    fn.addEnvironment(uploadBucket.envVar, Fn.select(5, Fn.split(':', res.uploadBucket.arn)));
  }

  if (access.moneySettings) {
    if (!config) throw new Error(`Function "${name}" needs the deployment's money settings`);
    fn.addEnvironment(MONEY_APPROVERS_ENV, String(config.moneyApprovers));
    fn.addEnvironment(RETURNED_PAYMENT_WAIT_DAYS_ENV, String(config.returnedPaymentWaitDays));
  }

  if (access.indicatorKey) {
    grantSecretRead(fn, res.indicatorKey);
    fn.addEnvironment(INDICATOR_KEY_ENV, res.indicatorKey.secretArn);
  }

  if (access.payoutVault) {
    if (!res.payoutKey)
      throw new Error(`Function "${name}" uses the payout key but its stack was given none`);
    fn.fn.addToRolePolicy(payoutKeyStatement(res.payoutKey, access.payoutVault));
    fn.addEnvironment(PAYOUT_KEY_ENV, res.payoutKey.keyArn);
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

/**
 * The payout key, called directly by the Encryption SDK: `seal` may only generate data keys (no
 * Decrypt, so a function that takes account numbers cannot read stored ones back), and only with
 * an encryption context naming the purpose and a claim; `open` may only decrypt, and only
 * ciphertexts made for that purpose.
 */
function payoutKeyStatement(key: IKey, mode: 'seal' | 'open'): PolicyStatement {
  const purpose = { 'kms:EncryptionContext:purpose': PAYOUT_PURPOSE };
  return new PolicyStatement({
    actions: mode === 'seal' ? ['kms:GenerateDataKey'] : ['kms:Decrypt'],
    resources: [key.keyArn],
    conditions:
      mode === 'seal'
        ? { StringEquals: purpose, Null: { 'kms:EncryptionContext:claimId': 'false' } }
        : { StringEquals: purpose },
  });
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

/** Objects under ARTEFACT_PREFIX only; no listing, no deletion (artefacts are never removed by code). */
function grantBucket(
  fn: RestoreFunction,
  bucketArn: string,
  key: IKey,
  mode: 'read' | 'readwrite',
  config: DeploymentConfig | undefined,
) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: mode === 'readwrite' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      resources: [`${bucketArn}/${ARTEFACT_PREFIX}*`],
    }),
  );
  fn.fn.addToRolePolicy(
    keyStatement(
      fn,
      key,
      mode === 'readwrite' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      's3',
    ),
  );
  if (config) {
    // cdk-nag names an imported value by its export name.
    acknowledge(
      fn.role.node.findChild('DefaultPolicy'),
      `AwsSolutions-IAM5[Resource::${artefactBucketExportName(config.envName)}/${ARTEFACT_PREFIX}*]`,
      'Plan chunks and results files are objects named per plan under distributions/; the grant covers that prefix of the one artefact bucket, with GetObject/PutObject only (no list, no delete).',
    );
  }
}

/**
 * Export files under EXPORT_FILES_PREFIX only: `write` puts them (a multipart upload needs
 * s3:PutObject alone) and reads them back for their SHA-256; `sign` reads, which is all a link it
 * signs can do. SSE-KMS multipart uploads need kms:Decrypt as well as GenerateDataKey.
 */
function grantExportFiles(
  fn: RestoreFunction,
  bucketArn: string,
  key: IKey,
  mode: 'write' | 'sign',
  config: DeploymentConfig | undefined,
) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: mode === 'write' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
      resources: [`${bucketArn}/${EXPORT_FILES_PREFIX}*`],
    }),
  );
  fn.fn.addToRolePolicy(
    keyStatement(fn, key, mode === 'write' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], 's3'),
  );
  if (config) {
    acknowledge(
      fn.role.node.findChild('DefaultPolicy'),
      `AwsSolutions-IAM5[Resource::${artefactBucketExportName(config.envName)}/${EXPORT_FILES_PREFIX}*]`,
      'Each sharing export is its own object named by export id under exports/; the grant covers that prefix of the one artefact bucket, with GetObject (and PutObject for the worker) only.',
    );
  }
}

/**
 * The uploads bucket by prefix: `presign` may only put into quarantine/ (the browser's POST is
 * signed with this role, so that is all a pre-signed POST can ever do); `scan` reads and deletes
 * in quarantine/ and writes documents/; `read` signs links to documents/ only.
 */
function grantUploads(
  fn: RestoreFunction,
  bucketArn: string,
  key: IKey,
  mode: 'presign' | 'scan' | 'read',
  config: DeploymentConfig | undefined,
) {
  const statements: { actions: string[]; prefix: string }[] =
    mode === 'presign'
      ? [{ actions: ['s3:PutObject'], prefix: QUARANTINE_PREFIX }]
      : mode === 'scan'
        ? [
            { actions: ['s3:GetObject', 's3:DeleteObject'], prefix: QUARANTINE_PREFIX },
            { actions: ['s3:PutObject'], prefix: DOCUMENTS_PREFIX },
          ]
        : [{ actions: ['s3:GetObject'], prefix: DOCUMENTS_PREFIX }];
  for (const st of statements) {
    fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: st.actions, resources: [`${bucketArn}/${st.prefix}*`] }),
    );
  }
  const keyActions =
    mode === 'presign'
      ? ['kms:GenerateDataKey']
      : mode === 'scan'
        ? ['kms:Decrypt', 'kms:GenerateDataKey']
        : ['kms:Decrypt'];
  fn.fn.addToRolePolicy(keyStatement(fn, key, keyActions, 's3'));
  if (config) {
    for (const st of statements) {
      acknowledge(
        fn.role.node.findChild('DefaultPolicy'),
        `AwsSolutions-IAM5[Resource::${uploadBucketExportName(config.envName)}/${st.prefix}*]`,
        `Each upload is its own object, named per claim and document under ${st.prefix}; the grant covers that prefix of the one uploads bucket only.`,
      );
    }
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
  applyAccess(fn, name, access, ctx.resources, ctx.config, servesStaffRoutes(name));
  return fn;
}
