/**
 * The one way Restore acknowledges a cdk-nag finding: one rule id (with its bracketed detail when
 * the rule reports one, e.g. `AwsSolutions-IAM5[Resource::*]`) on one construct, with a reason a
 * security reviewer can check. cdk-nag also honours acknowledgements on ancestors, so never call
 * this on a Stack or the App: that would hide the finding for everything below it.
 */
import { Stack, Stage, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rules that report details: their findings must be acknowledged with the detail in brackets. */
const RULES_WITH_DETAIL = ['AwsSolutions-IAM4', 'AwsSolutions-IAM5'];

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  if (Stack.isStack(construct) || Stage.isStage(construct)) {
    throw new Error(
      `acknowledge(${id}): acknowledge on the construct concerned, not on ${construct.node.path}`,
    );
  }
  if (RULES_WITH_DETAIL.includes(id)) {
    throw new Error(`acknowledge(${id}): name the finding, e.g. ${id}[Resource::*], not the whole rule`);
  }
  if (reason.trim().length < 40) {
    throw new Error(`acknowledge(${id}) on ${construct.node.path}: give a reason a reviewer can check`);
  }
  Validations.of(construct).acknowledge({ id, reason });
}
