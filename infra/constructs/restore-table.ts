import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { protectsData, removalPolicyFor } from './stage.ts';

export interface RestoreTableProps {
  /** The table's shape from shared/storage/tables.ts (the local runtime reads the same one). */
  readonly definition: TableDefinition;
  readonly encryptionKey: IKey;
  readonly config: DeploymentConfig;
  /** Every change of an item also goes to this stream (the audit table's archive). */
  readonly kinesisStream?: IStream;
}

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

/**
 * "Our table": on-demand, point-in-time recovery, encrypted with the agency's key, and (when the
 * deployment retains data, always in prod) deletion-protected and retained. No table name:
 * CloudFormation generates one, so several deployments can share an account; functions get it
 * through `definition.envVar`. The data stack adds every table to the AWS Backup plan.
 */
export class RestoreTable extends Construct {
  readonly table: TableV2;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: RestoreTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey ? attribute(definition.sortKey) : undefined,
      globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType[index.projection],
      })),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      deletionProtection: protectsData(props.config),
      removalPolicy: removalPolicyFor(props.config),
      ...(props.kinesisStream ? { kinesisStream: props.kinesisStream } : {}),
    });
  }
}
