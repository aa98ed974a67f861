import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { TableDefinition } from '#shared/storage/tables.ts';
import { idempotencyTable, mainTable, tables } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { RestoreTable } from '../constructs/restore-table.ts';
import { isProd, removalPolicyFor } from '../constructs/stage.ts';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * What must outlive every deploy: the agency's data key, the tables from
 * shared/storage/tables.ts and the indicator HMAC key. Other stacks receive these as props.
 */
export class DataStack extends Stack {
  /** Customer-managed key for tables, the indicator secret, queues, topics and log groups. */
  readonly key: Key;
  readonly tables: ReadonlyMap<string, TableV2>;
  readonly mainTable: TableV2;
  readonly idempotencyTable: TableV2;
  /** 64 random characters; functions HMAC bank/card numbers with it so reports link up. */
  readonly indicatorKey: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = removalPolicyFor(config.stage);

    this.key = new Key(this, 'DataKey', {
      description: `Restore ${config.envName}: encrypts reports, the indicator key, queues and logs`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(isProd(config.stage) ? 30 : 7),
    });
    // CloudWatch Logs encrypts log groups with the key itself, so the key policy (not IAM) must
    // let it in, limited to this account's log groups in this region.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccount',
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );
    if (config.alarmEmail) {
      // CloudWatch alarms publish to the encrypted alarm topic (enrichment stack).
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToNotify',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
    }

    const byId = new Map<string, TableV2>();
    for (const definition of tables) {
      const { table } = new RestoreTable(this, definition.id, {
        definition,
        encryptionKey: this.key,
        stage: config.stage,
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
    Validations.of(this.indicatorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stored indicators are HMACs under this key: rotating it would silently unlink every report already stored. Rotation needs a re-indexing job first.',
    });
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
