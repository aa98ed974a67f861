import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.ts';
import { isProd, removalPolicyFor } from './stage.ts';

/**
 * The KMS actions CloudWatch Logs uses on a log group's key, spelled out instead of the
 * `kms:Encrypt*`-style wildcards of the AWS documentation's example policy.
 */
const LOGS_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

export interface RestoreKeyProps {
  readonly config: DeploymentConfig;
  /** What the key protects: shown in the console, so say it in words. */
  readonly description: string;
  /** Let CloudWatch Logs encrypt this account's log groups in this region with the key. */
  readonly forLogs?: boolean;
  /** Let CloudWatch alarms publish to SNS topics encrypted with the key. */
  readonly forAlarms?: boolean;
}

/**
 * "Our key": customer-managed, rotated yearly by KMS, retained with the data it protects, and
 * opened to AWS services only by name and only for this account.
 */
export class RestoreKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: RestoreKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new Key(this, 'Key', {
      description: `Restore ${props.config.envName}: ${props.description}`,
      enableKeyRotation: true,
      removalPolicy: removalPolicyFor(props.config),
      pendingWindow: Duration.days(isProd(props.config) ? 30 : 7),
    });
    if (props.forLogs) {
      // CloudWatch Logs uses the key itself (no IAM role in between), so the key policy must let
      // it in, limited to this account's log groups in this region.
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchLogsForThisAccount',
          principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: LOGS_KEY_ACTIONS,
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
            },
          },
        }),
      );
    }
    if (props.forAlarms) {
      // Alarms publish to an encrypted topic as the CloudWatch service, which needs the key too.
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToNotify',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
    }
  }
}
