import type { StackProps } from 'aws-cdk-lib';
import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.ts';
import { AlarmTopic } from '../constructs/alarm-topic.ts';
import { giveHelperFunctionsLogGroups } from '../constructs/helper-function-logs.ts';
import { RestoreKey } from '../constructs/restore-key.ts';
import { removalPolicyFor } from '../constructs/stage.ts';

/** AWS managed rule groups, in evaluation order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  // Addresses Amazon's threat intelligence has seen attacking (bots, scanners): cheap to check first.
  'AWSManagedRulesAmazonIpReputationList',
  // OWASP-style checks: XSS, path traversal, bad user agents, oversized parts of a request.
  'AWSManagedRulesCommonRuleSet',
  // Request patterns of known exploits (Log4j, Java deserialisation, ...).
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/**
 * Rules of the common rule set that only count. SizeRestrictions_BODY blocks bodies over 8 KB,
 * and a report with a long narrative and several payments can be larger: the API validates
 * body sizes itself. The two body rules below are re-applied by BODY_RULES_OUTSIDE_FORMS.
 */
export const COUNT_ONLY_RULES = [
  'SizeRestrictions_BODY',
  'CrossSiteScripting_BODY',
  'GenericLFI_BODY',
] as const;

/**
 * The public forms whose bodies are free text: a victim pasting a phishing e-mail's HTML or a
 * scammer's file path into the narrative must still be able to report. The API stores text as
 * data and escapes everything it shows, so these bodies are exempt from the XSS and path rules.
 */
export const FREE_TEXT_FORM_PATHS = ['/v1/reports', '/v1/claims', '/v1/claims/reconsideration'] as const;

/** The labels the two counted body rules add; blocked by our own rule everywhere but the forms. */
export const BODY_RULE_LABELS = [
  'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
  'awswaf:managed:aws:core-rule-set:GenericLFI_Body',
] as const;

/** Metric names are the WAF's CloudWatch dimensions, so the dashboard can find them by name. */
export function wafMetricNames(config: Pick<DeploymentConfig, 'envName'>) {
  const base = `restore-${config.envName}`;
  return { webAcl: `${base}-web`, rateLimit: `${base}-rate-limit` };
}

export interface WafStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * The web ACL in front of CloudFront. CloudFront only takes web ACLs created in us-east-1, so
 * this stack always deploys there, whatever the deployment's region; the edge stack reads the
 * ACL's ARN through CDK's cross-region references (SSM parameters written by this stack). Its
 * logs and its alarm live here too, because WAF logs and metrics for CloudFront are in us-east-1.
 */
export class WafStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly webAclArn: string;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WafStackProps) {
    super(scope, id, props);
    const { config } = props;
    const metrics = wafMetricNames(config);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    const key = new RestoreKey(this, 'WafKey', {
      config,
      description: 'encrypts WAF logs and WAF alarm notifications (us-east-1)',
      forLogs: true,
      forAlarms: true,
    }).key;

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: `Restore ${config.envName}: managed rules and a per-IP rate limit for the site and API`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(metrics.webAcl),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: config.wafRateLimit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          // 429 tells a well-behaved client (and the site) to slow down rather than that it is banned.
          action: { block: { customResponse: { responseCode: 429 } } },
          visibilityConfig: visibility(metrics.rateLimit),
        },
        ...MANAGED_RULE_GROUPS.map((name, index) => ({
          name,
          priority: index + 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ruleActionOverrides:
                name === 'AWSManagedRulesCommonRuleSet'
                  ? COUNT_ONLY_RULES.map((rule) => ({ name: rule, actionToUse: { count: {} } }))
                  : undefined,
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility(`restore-${config.envName}-${name}`),
        })),
        {
          // The common rule set's XSS and path-traversal body rules, outside the free-text forms.
          name: 'BodyRulesOutsideForms',
          priority: MANAGED_RULE_GROUPS.length + 1,
          statement: {
            andStatement: {
              statements: [
                {
                  orStatement: {
                    statements: BODY_RULE_LABELS.map((key) => ({
                      labelMatchStatement: { scope: 'LABEL', key },
                    })),
                  },
                },
                {
                  notStatement: {
                    statement: {
                      orStatement: {
                        statements: FREE_TEXT_FORM_PATHS.map((path) => ({
                          byteMatchStatement: {
                            fieldToMatch: { uriPath: {} },
                            positionalConstraint: 'EXACTLY',
                            searchString: path,
                            textTransformations: [{ priority: 0, type: 'NONE' }],
                          },
                        })),
                      },
                    },
                  },
                },
              ],
            },
          },
          action: { block: {} },
          visibilityConfig: visibility(`restore-${config.envName}-body-rules`),
        },
      ],
    });
    this.webAclArn = this.webAcl.attrArn;

    // WAF only writes to log groups whose name starts with aws-waf-logs-. The environment name
    // keeps it unique per deployment, like the stack names.
    const logGroupName = `aws-waf-logs-restore-${config.envName}`;
    this.logGroup = new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: config.logRetentionDays as RetentionDays,
      encryptionKey: key,
      removalPolicy: removalPolicyFor(config),
    });
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` that CloudFormation's Arn attribute adds.
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Tokens, cookies and search terms never reach the logs.
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { queryString: {} },
      ],
      // Only what the WAF blocked or counted: the requests someone needs to look at.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
              { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
            ],
          },
        ],
      },
    });
    logging.node.addDependency(this.logGroup);

    const topic = new AlarmTopic(this, 'AlarmTopic', {
      config,
      key,
      displayName: `Restore ${config.envName} edge alarms`,
    }).topic;
    new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: metrics.webAcl, Rule: 'ALL' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    })
      .createAlarm(this, 'BlockedRequestsSpike', {
        alarmDescription: `The WAF blocked more requests in 5 minutes than one address may make (${config.wafRateLimit}) (Restore ${config.envName}). See docs/runbook.md, "WAF blocked-request spike".`,
        threshold: config.wafRateLimit,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(new SnsAction(topic));

    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
    giveHelperFunctionsLogGroups(this, config, key);
  }
}
