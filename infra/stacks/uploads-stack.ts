import type { StackProps } from 'aws-cdk-lib';
import { Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { uploadBucket } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { uploadBucketExportName } from '../config/outputs.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { createFunction, QUARANTINE_PREFIX } from '../constructs/function-access.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

export interface UploadsStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
}

/** The event GuardDuty Malware Protection for S3 publishes to the default bus for each object. */
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

/**
 * Scanning claimants' uploads (docs/follow-up.md): a GuardDuty malware protection plan on the
 * uploads bucket's quarantine/ prefix, and an EventBridge rule that hands each scan result to the
 * uploadScan function, which checks the content and promotes clean files to documents/. Results
 * that fail every retry wait in a dead-letter queue (the file stays in quarantine, unseen).
 */
export class UploadsStack extends Stack {
  readonly scanner: RestoreFunction;
  readonly deadLetterQueue: Queue;
  readonly plan: CfnMalwareProtectionPlan;

  constructor(scope: Construct, id: string, props: UploadsStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const bucketArn = Fn.importValue(uploadBucketExportName(config.envName));
    const bucketName = Fn.select(5, Fn.split(':', bucketArn));

    // The role GuardDuty assumes to scan and tag objects and to manage its own EventBridge rule
    // (the permissions GuardDuty documents for a malware protection plan, limited to this bucket).
    const guardDutyRole = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: `GuardDuty Malware Protection scans ${uploadBucket.id}/${QUARANTINE_PREFIX}`,
    });
    for (const statement of [
      new PolicyStatement({
        actions: [
          'events:PutRule',
          'events:DeleteRule',
          'events:PutTargets',
          'events:RemoveTargets',
          'events:DescribeRule',
          'events:ListTargetsByRule',
        ],
        resources: [
          `arn:${Aws.PARTITION}:events:${this.region}:${this.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`,
        ],
        conditions: {
          StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' },
        },
      }),
      new PolicyStatement({
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
        resources: [bucketArn],
      }),
      new PolicyStatement({
        actions: ['s3:PutObject'],
        // GuardDuty writes one validation object when the plan is created.
        resources: [`${bucketArn}/malware-protection-resource-validation-object`],
      }),
      new PolicyStatement({
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
        ],
        resources: [`${bucketArn}/${QUARANTINE_PREFIX}*`],
      }),
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [data.key.keyArn],
        conditions: { StringLike: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    ]) {
      guardDutyRole.addToPrincipalPolicy(statement);
    }
    const guardDutyPolicy = guardDutyRole.node.findChild('DefaultPolicy');
    acknowledge(
      guardDutyPolicy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'The policy belongs to the one role GuardDuty assumes for this bucket and names only its resources; a managed policy would be reusable by other roles.',
    );
    acknowledge(
      guardDutyPolicy,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:${config.region}:${config.account ?? '<AWS::AccountId>'}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
      'GuardDuty names the rule it manages with this fixed prefix and a suffix it chooses; the grant is limited to that prefix and to rules managed by GuardDuty.',
    );
    acknowledge(
      guardDutyPolicy,
      `AwsSolutions-IAM5[Resource::${uploadBucketExportName(config.envName)}/${QUARANTINE_PREFIX}*]`,
      'GuardDuty scans and tags every object uploaded under quarantine/ of the one uploads bucket, and nothing else.',
    );

    this.plan = new CfnMalwareProtectionPlan(this, 'MalwareProtectionPlan', {
      role: guardDutyRole.roleArn,
      protectedResource: { s3Bucket: { bucketName, objectPrefixes: [QUARANTINE_PREFIX] } },
      // The tag is for people browsing the bucket; promotion is driven by the EventBridge event.
      actions: { tagging: { status: 'ENABLED' } },
    });

    this.scanner = createFunction(this, 'uploadScan', {
      config,
      logEncryptionKey: data.opsKey,
      resources: {
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
        uploadBucket: { arn: bucketArn, key: data.key },
      },
    });

    this.deadLetterQueue = new Queue(this, 'ScanResultDlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: removalPolicyFor(config),
    });
    acknowledge(
      this.deadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This is the dead-letter queue of scan results EventBridge could not deliver; replaying one promotes the file (the state moves once).',
    );
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge target (scan results that failed every retry), so it has none of its own.',
    );
    new Rule(this, 'ScanResultRule', {
      description: 'GuardDuty scan results of claimant uploads -> uploadScan',
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: [SCAN_RESULT_DETAIL_TYPE],
        detail: { s3ObjectDetails: { bucketName: [bucketName] } },
      },
      targets: [
        new LambdaFunction(this.scanner.fn, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
