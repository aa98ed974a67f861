import type { Stack } from 'aws-cdk-lib';
import { CfnResource } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { DeploymentConfig } from '../config/deployment.ts';
import { removalPolicyFor } from './stage.ts';

/**
 * CDK's custom-resource providers (S3 auto-delete in dev, the cross-region reference writer and
 * reader) are plain CloudFormation Lambda functions that would log to log groups Lambda creates
 * on first use: unencrypted and kept forever. This gives each one a log group with the
 * deployment's retention, encrypted with `key` (which must live in the same stack and let
 * CloudWatch Logs in), before it first runs.
 *
 * CDK adds the cross-region providers while it resolves references, after every construct and
 * aspect has run; a construct validation runs after that, so the log groups are added there
 * (idempotently, and also right away for providers that already exist). The infra tests check
 * that every function in every stack ends up with a retained, encrypted log group.
 */
export function giveHelperFunctionsLogGroups(stack: Stack, config: DeploymentConfig, key: IKey): void {
  const attach = () => {
    for (const construct of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(construct) || construct instanceof CfnFunction) continue;
      if (construct.cfnResourceType !== 'AWS::Lambda::Function') continue;
      const scope = construct.node.scope!;
      const id = `${construct.node.id}LogGroup`;
      if (scope.node.tryFindChild(id)) continue;
      const group = new LogGroup(scope, id, {
        retention: config.logRetentionDays as RetentionDays,
        encryptionKey: key,
        removalPolicy: removalPolicyFor(config),
      });
      construct.addPropertyOverride('LoggingConfig', { LogGroup: group.logGroupName });
    }
  };
  attach();
  stack.node.addValidation({
    validate: () => {
      attach();
      return [];
    },
  });
}
