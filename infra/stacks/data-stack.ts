import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CorsRule,
  HttpMethods,
  type LifecycleRule,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EXPORT_RETENTION_DAYS } from '#shared/storage/export-job-repository.ts';
import type { BucketDefinition, TableDefinition } from '#shared/storage/tables.ts';
import {
  artefactBucket,
  auditTable,
  idempotencyTable,
  mainTable,
  tables,
  uploadBucket,
} from '#shared/storage/tables.ts';
import { EXPORT_KEY_PREFIX } from '#shared/use-cases/export-job.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { artefactBucketExportName, uploadBucketExportName } from '../config/outputs.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { RestoreKey } from '../constructs/restore-key.ts';
import { RestoreTable } from '../constructs/restore-table.ts';
import { protectsData, removalPolicyFor } from '../constructs/stage.ts';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * What must outlive every deploy: the agency's keys, the tables from shared/storage/tables.ts
 * with their backup plan, and the indicator HMAC key. Other stacks receive these as props.
 */
export class DataStack extends Stack {
  /** Encrypts victims' data: tables, their backups, the indicator secret and the queues. */
  readonly key: Key;
  /** Encrypts operational data: every CloudWatch log group and the alarm topic. */
  readonly opsKey: Key;
  /**
   * Seals claimants' bank account numbers (Encryption SDK, functions/payout-vault.ts): the
   * functions that take them may only encrypt, and only the payment-file writer may decrypt.
   */
  readonly payoutKey: Key;
  readonly tables: ReadonlyMap<string, TableV2>;
  readonly mainTable: TableV2;
  readonly idempotencyTable: TableV2;
  readonly auditTable: TableV2;
  /** Write-once copies of every audit entry, locked in compliance mode for `auditRetentionDays`. */
  readonly auditArchive: Bucket;
  /** 64 random characters; functions HMAC bank/card numbers with it so reports link up. */
  readonly indicatorKey: Secret;
  readonly backupVault: BackupVault;
  readonly backupPlan: BackupPlan;
  /** Plan lines and payment results files (shared/storage/tables.ts artefactBucket). */
  readonly artefactBucket: Bucket;
  /** Claimants' documents: quarantine/ until scanned, documents/ once clean (docs/follow-up.md). */
  readonly uploadBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = removalPolicyFor(config);

    this.key = new RestoreKey(this, 'DataKey', {
      config,
      description: 'encrypts reports and claims (tables, backups, queues) and the indicator key',
    }).key;
    this.opsKey = new RestoreKey(this, 'OpsKey', {
      config,
      description: 'encrypts logs and alarm notifications',
      forLogs: true,
      forAlarms: true,
    }).key;
    // Its own key, so no grant on the data key (which every table user holds) can open a number.
    this.payoutKey = new RestoreKey(this, 'PayoutKey', {
      config,
      description: "seals claimants' bank account numbers for the payment file",
    }).key;

    // The audit archive. The table is the gate (a staff request fails if its entry cannot be
    // written); copies reach S3 asynchronously through the table's Kinesis stream and Firehose,
    // which retries for up to a day, so an S3 hiccup never fails a caseworker's request and no
    // function holds S3 write permission. Object Lock in compliance mode: no principal, root
    // included, can shorten the retention or delete a copy before it ends.
    this.auditArchive = new Bucket(this, 'AuditArchive', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(config.auditRetentionDays)),
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Locked objects outlive the stack whatever the stage: deleting them is what the lock forbids.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.auditArchive,
      'AwsSolutions-S1',
      'Object Lock buckets cannot be server-access-log targets and this one is written only by Firehose; CloudTrail data events are the place to log its reads.',
    );
    const auditStream = new Stream(this, 'AuditStream', {
      streamMode: StreamMode.ON_DEMAND,
      encryption: StreamEncryption.KMS,
      encryptionKey: this.key,
      retentionPeriod: Duration.hours(24),
    });
    // Firehose may read the stream and add objects; CDK's Firehose L2 would also grant it
    // s3:DeleteObject*, which an archive's writer must not have.
    const deliveryRole = new Role(this, 'AuditDeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Firehose copies audit entries from the audit stream into the Object Lock archive',
    });
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: [
          'kinesis:DescribeStream',
          'kinesis:GetShardIterator',
          'kinesis:GetRecords',
          'kinesis:ListShards',
        ],
        resources: [auditStream.streamArn],
      }),
    );
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.auditArchive.bucketArn],
      }),
    );
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.auditArchive.arnForObjects('audit*')],
      }),
    );
    deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': [`kinesis.${this.region}.amazonaws.com`, `s3.${this.region}.amazonaws.com`],
          },
        },
      }),
    );
    const delivery = new CfnDeliveryStream(this, 'AuditDelivery', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: {
        kinesisStreamArn: auditStream.streamArn,
        roleArn: deliveryRole.roleArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: this.auditArchive.bucketArn,
        roleArn: deliveryRole.roleArn,
        prefix: 'audit/!{timestamp:yyyy/MM/dd}/',
        errorOutputPrefix: 'audit-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        compressionFormat: 'GZIP',
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: this.key.keyArn } },
      },
    });
    delivery.node.addDependency(deliveryRole);
    acknowledge(
      deliveryRole,
      'AwsSolutions-IAM5[Resource::<AuditArchive60EBC247.Arn>/audit*]',
      'Firehose names each object by delivery time and batch, so it may add objects under audit*; Object Lock keeps every added object from being changed or deleted.',
    );
    acknowledge(
      deliveryRole,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'The delivery role has one policy of its own, listing only the stream, the archive prefix and the key it uses.',
    );
    acknowledge(
      delivery,
      'AwsSolutions-KDF1',
      'Firehose server-side encryption applies only to Direct PUT streams; this one reads the audit stream, encrypted with the agency data key, and writes objects encrypted with the same key.',
    );
    acknowledge(
      this.auditArchive,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'The archive is the second copy of the audit trail: the first is the audit table, with point-in-time recovery and the daily backup plan.',
    );
    acknowledge(
      auditStream,
      'AwsSolutions-KDS3',
      'The stream is encrypted with the agency data key (a customer-managed key), stronger than the AWS-managed key this rule asks for.',
    );
    acknowledge(
      this.auditArchive,
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'Object Lock buckets cannot be server-access-log targets and this one is written only by Firehose; CloudTrail data events are the place to log its reads.',
    );

    const byId = new Map<string, TableV2>();
    for (const definition of tables) {
      const { table } = new RestoreTable(this, definition.id, {
        definition,
        encryptionKey: this.key,
        config,
        ...(definition.id === auditTable.id ? { kinesisStream: auditStream } : {}),
      });
      byId.set(definition.id, table);
      new CfnOutput(this, `${definition.id}Name`, {
        description: `Physical name of ${definition.id} (env ${definition.envVar})`,
        value: table.tableName,
      });
    }
    this.tables = byId;
    this.mainTable = this.table(mainTable);
    this.idempotencyTable = this.table(idempotencyTable);
    this.auditTable = this.table(auditTable);

    // Point-in-time recovery covers the last 35 days to the second; the backup plan keeps daily
    // copies for `backupRetentionDays` in a vault encrypted with the data key, outside the
    // table's own lifecycle (a deleted table keeps its vault copies).
    this.backupVault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      // A vault holding recovery points cannot be deleted; keep it even in dev.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new BackupPlan(this, 'BackupPlan', {
      // CDK would name every deployment's plan "BackupPlan"; the stack name keeps them apart.
      backupPlanName: `${this.stackName}-Tables`,
      backupVault: this.backupVault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: Duration.days(config.backupRetentionDays),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Tables', {
      resources: [...byId.values()].map((table) => BackupResource.fromArn(table.tableArn)),
      allowRestores: true,
    });
    const backupRole = selection.node.findChild('Role');
    acknowledge(
      backupRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'The role AWS Backup assumes to back up the tables: AWS maintains this service-role policy as services add backup APIs, and only the backup service can assume the role.',
    );
    acknowledge(
      backupRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      'The role AWS Backup assumes to restore a table from a recovery point (docs/runbook.md): AWS maintains this service-role policy, and only the backup service can assume the role.',
    );

    const bucketBase = { key: this.key, removalPolicy, autoDeleteObjects: !protectsData(config) };
    // Plan lines hold claim ids and amounts, results files payment references: victims' data, so
    // the data key encrypts them like the tables. Objects are written under new keys, never
    // changed; versioning keeps an overwritten or deleted object recoverable all the same. The
    // console posts large results files straight here (pre-signed POSTs from the admin
    // distribution function, docs/distribution-jobs.md), so CORS allows POST from the site.
    const sitePosts: CorsRule = {
      allowedMethods: [HttpMethods.POST],
      allowedOrigins: config.customDomain ? [`https://${config.customDomain.domainName}`] : ['*'],
      allowedHeaders: ['*'],
      maxAge: 600,
    };
    this.artefactBucket = privateDataBucket(this, artefactBucket, {
      ...bucketBase,
      cors: [sitePosts],
      exportName: artefactBucketExportName(config.envName),
      holds: 'plan lines, payment results and sharing exports',
      readBy: 'the distribution and sharing export functions',
      // Sharing exports are downloads, kept as long as their job item (docs/sharing.md).
      lifecycleRules: [
        {
          prefix: EXPORT_KEY_PREFIX,
          expiration: Duration.days(EXPORT_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      accessLogReason:
        "Only the distribution and sharing export functions read and write this bucket, under their own roles; every plan and results file is also recorded on its DynamoDB header, every export on its job item and in the audit trail (who, when). Server access logs would have to go to the edge stack's log bucket, which depends on this stack.",
      replicationReason:
        "Plan artefacts can be recomputed from the tables (which have PITR and vault backups); a cross-region copy of victims' payment data would widen its exposure.",
    });

    // Victims' documents, encrypted with the data key. Browsers post straight here (pre-signed
    // POSTs from the claims function), so CORS allows POST from the site; nothing is public.
    this.uploadBucket = privateDataBucket(this, uploadBucket, {
      ...bucketBase,
      exportName: uploadBucketExportName(config.envName),
      holds: "claimants' documents",
      readBy: 'the claims, review and scan functions',
      cors: [sitePosts],
      // A file never promoted (the claimant gave up, or the scan failed) does not linger.
      lifecycleRules: [{ prefix: 'quarantine/', expiration: Duration.days(7) }],
      accessLogReason:
        'Every upload is recorded beside its claim (document, state, when) and every promotion by the uploadScan function; server access logs would have to go to the edge stack, which depends on this stack.',
      replicationReason:
        "Claimants' documents are versioned in this region; a cross-region copy of victims' documents would widen their exposure.",
    });

    this.indicatorKey = new Secret(this, 'IndicatorKey', {
      description:
        'HMAC key that turns bank/card numbers into matchable tokens. Rotating it unlinks every stored indicator.',
      encryptionKey: this.key,
      removalPolicy,
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
    });
    const rotationReason =
      'Stored indicators are HMACs under this key: rotating it would silently unlink every report already stored. Rotation needs a re-indexing job first (docs/runbook.md, "Rotating keys").';
    acknowledge(this.indicatorKey, 'AwsSolutions-SMG4', rotationReason);
    acknowledge(this.indicatorKey, 'NIST.800.53.R5-SecretsManagerRotationEnabled', rotationReason);
  }

  table(definition: TableDefinition): TableV2 {
    const table = this.tables.get(definition.id);
    if (!table) {
      throw new Error(
        `No table ${definition.id} in ${this.stackName}: is it listed in shared/storage/tables.ts?`,
      );
    }
    return table;
  }
}

interface PrivateDataBucketProps {
  readonly key: IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
  /** The export other stacks import the bucket's ARN by (for their functions' grants). */
  readonly exportName: string;
  /** What the bucket holds and who reads it, for the outputs' descriptions. */
  readonly holds: string;
  readonly readBy: string;
  readonly cors?: CorsRule[];
  /** Rules besides the shared ones (old versions and abandoned multipart uploads expire). */
  readonly lifecycleRules?: LifecycleRule[];
  /** Why the bucket has no server access logs and no cross-region replica (cdk-nag asks). */
  readonly accessLogReason: string;
  readonly replicationReason: string;
}

/**
 * A bucket of victims' data: KMS-encrypted with the data key, private, TLS 1.2+ only, versioned,
 * with its name and exported ARN as outputs. Made in the stack's scope under the definition's id,
 * so the logical ids stay those of the buckets it replaced.
 */
function privateDataBucket(
  scope: Stack,
  definition: BucketDefinition,
  props: PrivateDataBucketProps,
): Bucket {
  const bucket = new Bucket(scope, definition.id, {
    encryption: BucketEncryption.KMS,
    encryptionKey: props.key,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    ...(props.cors ? { cors: props.cors } : {}),
    lifecycleRules: [
      ...(props.lifecycleRules ?? []),
      {
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
    removalPolicy: props.removalPolicy,
    autoDeleteObjects: props.autoDeleteObjects,
  });
  acknowledge(bucket, 'AwsSolutions-S1', props.accessLogReason);
  acknowledge(bucket, 'NIST.800.53.R5-S3BucketLoggingEnabled', props.accessLogReason);
  acknowledge(bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', props.replicationReason);
  new CfnOutput(scope, `${definition.id}Name`, {
    description: `Bucket of ${props.holds} (env ${definition.envVar})`,
    value: bucket.bucketName,
  });
  new CfnOutput(scope, `${definition.id}Arn`, {
    description: `The ${props.holds} bucket, for ${props.readBy}' grants`,
    value: bucket.bucketArn,
    exportName: props.exportName,
  });
  return bucket;
}
