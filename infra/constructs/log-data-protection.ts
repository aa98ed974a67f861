/**
 * Defence in depth for logs: every log group of the app gets a CloudWatch Logs data-protection
 * policy that masks e-mail addresses, phone numbers and card and bank account numbers, should a
 * log line ever carry one (the code logs ids, routes and error names only: docs/security.md).
 * An aspect, so log groups that CDK or a future construct creates are covered too.
 */
import { type IAspect, Stack } from 'aws-cdk-lib';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** CloudWatch Logs managed data identifiers (names as AWS spells them). */
export const MASKED_DATA_IDENTIFIERS = [
  'EmailAddress',
  'PhoneNumber-US',
  'CreditCardNumber',
  'BankAccountNumber-US',
] as const;

export class LogDataProtection implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnLogGroup) || node.dataProtectionPolicy !== undefined) return;
    const { partition } = Stack.of(node);
    const identifiers = MASKED_DATA_IDENTIFIERS.map(
      (name) => `arn:${partition}:dataprotection::aws:data-identifier/${name}`,
    );
    node.dataProtectionPolicy = {
      Name: 'restore-mask-personal-data',
      Description: 'Masks e-mail addresses, phone numbers and card and account numbers in log events',
      Version: '2021-06-01',
      Statement: [
        // The audit statement is required; findings go to the log group's own metrics only.
        { Sid: 'audit', DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
        { Sid: 'mask', DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
      ],
    };
  }
}
