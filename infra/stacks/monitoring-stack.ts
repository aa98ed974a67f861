import type { StackProps } from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { consumers, functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { distributionQueue, enrichmentQueue, mailQueue, sharingExportQueue } from '#shared/storage/tables.ts';
import { type DeploymentConfig, EDGE_REGION } from '../config/deployment.ts';
import { AlarmTopic } from '../constructs/alarm-topic.ts';
import { constructIdFor } from '../constructs/function-access.ts';
import { CUSTOM_METRICS, METRICS_NAMESPACE, serviceNameFor } from '../constructs/metrics.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';
import type { DistributionStack } from './distribution-stack.ts';
import type { EnrichmentStack } from './enrichment-stack.ts';
import type { MailStack } from './mail-stack.ts';
import type { SharingStack } from './sharing-stack.ts';
import type { UploadsStack } from './uploads-stack.ts';
import { wafMetricNames } from './waf-stack.ts';

/** Alarm when more than this share of API requests fail with a 5xx (in 2 of 3 five-minute periods). */
export const API_5XX_RATE_PERCENT = 5;
/** ...but only once there is enough traffic for a rate to mean something. */
export const API_5XX_MIN_REQUESTS = 10;

/** Days after first sending when a dead-lettered report raises its own alarm (SQS keeps 14). */
export const DLQ_AGE_ALARM_DAYS = 3;

/** Visibility timeouts a healthy consumer never lets a message wait (15 minutes today). */
const BACKLOG_ALARM_VISIBILITY_TIMEOUTS = 5;

/**
 * A message older than five visibility timeouts is not being worked on: the consumer is failing
 * to start, throttled, far behind, or backing off through an outage (retry-schedule.ts), which
 * someone should know about long before the ~20 hours of receives run out.
 */
export function oldestMessageAlarmSeconds(): number {
  const longestTimeout = Math.max(
    ...consumers.filter((c) => c.queue === 'enrichmentQueue').map((c) => functions[c.fn].timeoutSeconds),
  );
  return VISIBILITY_TIMEOUT_FACTOR * longestTimeout * BACKLOG_ALARM_VISIBILITY_TIMEOUTS;
}

export interface MonitoringStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly api: ApiStack;
  /** Where the deployment sends e-mail. */
  readonly mail?: MailStack | undefined;
  readonly enrichment: EnrichmentStack;
  readonly distribution: DistributionStack;
  readonly sharing: SharingStack;
  readonly uploads: UploadsStack;
}

/**
 * The operators' view of one deployment: the alarm topic (e-mailing the configured address),
 * the alarms of docs/runbook.md, and a dashboard of reports, claims, queues, API and functions.
 * The WAF's alarm lives in the WAF stack (us-east-1, where CloudFront's WAF metrics are).
 */
export class MonitoringStack extends Stack {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, api, enrichment, distribution } = props;
    const fiveMinutes = Duration.minutes(5);
    const runbook = (section: string) => `See docs/runbook.md, "${section}". (Restore ${config.envName})`;

    this.topic = new AlarmTopic(this, 'AlarmTopic', {
      config,
      key: props.data.opsKey,
      displayName: `Restore ${config.envName} alarms`,
    }).topic;
    const notify = new SnsAction(this.topic);
    const addAlarm = (alarm: Alarm) => {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
    };

    // Queues.
    const dlqDepth = enrichment.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: fiveMinutes,
      statistic: Stats.MAXIMUM,
    });
    addAlarm(
      dlqDepth.createAlarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription: `Reports failed enrichment ${enrichmentQueue.maxReceiveCount} times and wait in the dead-letter queue. ${runbook('Dead-letter queue not empty')}`,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    // SQS drops a dead-lettered message dlqRetentionDays after it was first sent: say so while
    // most of that time is left (the enrich function also archives it: runbook).
    const dlqOldest = enrichment.deadLetterQueue.metricApproximateAgeOfOldestMessage({
      period: Duration.hours(1),
      statistic: Stats.MAXIMUM,
    });
    addAlarm(
      dlqOldest.createAlarm(this, 'DeadLetterQueueAging', {
        alarmDescription: `A dead-lettered report is over ${DLQ_AGE_ALARM_DAYS} days old; SQS deletes it at ${enrichmentQueue.dlqRetentionDays} days. ${runbook('Dead-letter queue not empty')}`,
        threshold: DLQ_AGE_ALARM_DAYS * 86_400,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    addAlarm(
      distribution.deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM })
        .createAlarm(this, 'DistributionJobStuck', {
          alarmDescription: `A distribution job step failed ${distributionQueue.maxReceiveCount} times: the plan or results file it belongs to has stopped (its header shows where). ${runbook('Distribution job stuck')}`,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
    addAlarm(
      props.sharing.deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM })
        .createAlarm(this, 'SharingExportStuck', {
          alarmDescription: `A sharing export step failed ${sharingExportQueue.maxReceiveCount} times: the export it belongs to has stopped (GET the export to see where). ${runbook('Sharing export stuck')}`,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
    if (props.mail) {
      addAlarm(
        props.mail.deadLetterQueue
          .metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: Stats.MAXIMUM })
          .createAlarm(this, 'MailStuck', {
            alarmDescription: `A promised e-mail failed ${mailQueue.maxReceiveCount} times and waits in the dead-letter queue. ${runbook('Mail stuck')}`,
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    const oldest = enrichment.queue.metricApproximateAgeOfOldestMessage({
      period: fiveMinutes,
      statistic: Stats.MAXIMUM,
    });
    addAlarm(
      oldest.createAlarm(this, 'EnrichmentBacklogOld', {
        alarmDescription: `A report has waited over ${oldestMessageAlarmSeconds()} s for enrichment. ${runbook('Enrichment backlog is old')}`,
        threshold: oldestMessageAlarmSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // API.
    const requests = api.api.metricCount({ period: fiveMinutes, statistic: Stats.SUM });
    const serverErrors = api.api.metricServerError({ period: fiveMinutes, statistic: Stats.SUM });
    const errorRate = new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx rate (%)',
      period: fiveMinutes,
    });
    addAlarm(
      errorRate.createAlarm(this, 'ApiServerErrorRate', {
        alarmDescription: `More than ${API_5XX_RATE_PERCENT}% of API requests failed with a server error. ${runbook('API 5xx rate')}`,
        threshold: API_5XX_RATE_PERCENT,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // Functions: every one the route table and the consumers list deploy.
    const allFunctions: [FunctionName, RestoreFunction][] = [
      ...api.functions,
      ...enrichment.consumers,
      ...distribution.consumers,
      ...props.sharing.consumers,
      ['uploadScan', props.uploads.scanner],
      ...(props.mail
        ? [...props.mail.consumers, ['mailEvents', props.mail.events] as [FunctionName, RestoreFunction]]
        : []),
    ];
    for (const [name, fn] of allFunctions) {
      const id = constructIdFor(name);
      addAlarm(
        fn.fn.metricErrors({ period: fiveMinutes, statistic: Stats.SUM }).createAlarm(this, `${id}Errors`, {
          alarmDescription: `Function ${name} failed (uncaught error or timeout). ${runbook('Function errors')}`,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      addAlarm(
        fn.fn
          .metricThrottles({ period: fiveMinutes, statistic: Stats.SUM })
          .createAlarm(this, `${id}Throttles`, {
            alarmDescription: `Function ${name} reached its reserved concurrency (${config.reservedConcurrency}) and refused invocations. ${runbook('Function throttles')}`,
            threshold: 0,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    const custom = (metricName: string, label: string, statistic: string = Stats.SUM): Metric =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: serviceNameFor(config) },
        statistic,
        period: Duration.hours(1),
        label,
      });
    const waf = wafMetricNames(config);
    const wafMetric = (metricName: string, label: string): IMetric =>
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName,
        dimensionsMap: { WebACL: waf.webAcl, Rule: 'ALL' },
        statistic: Stats.SUM,
        period: fiveMinutes,
        region: EDGE_REGION,
        label,
      });
    const perFunction = (metric: (fn: RestoreFunction) => IMetric) =>
      allFunctions.map(([, fn]) => metric(fn));

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Restore: ${config.agencyName} (${config.envName})\nAlarms and what to do: docs/runbook.md. Custom metrics: namespace \`${METRICS_NAMESPACE}\`, service \`${serviceNameFor(config)}\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Reports and claims per hour',
        left: [
          custom(CUSTOM_METRICS.reportsReceived, 'Reports received'),
          custom(CUSTOM_METRICS.reportsEnriched, 'Reports enriched'),
          custom(CUSTOM_METRICS.enrichmentFailures, 'Enrichment failures'),
          custom(CUSTOM_METRICS.claimsFiled, 'Claims filed'),
          custom(CUSTOM_METRICS.reconsiderationsRequested, 'Reconsiderations requested'),
        ],
        width: 12,
      }),
      new SingleValueWidget({
        title: 'Losses reported (USD cents, last 7 days)',
        metrics: [custom(CUSTOM_METRICS.lossesReportedCents, 'Losses reported (cents)')],
        setPeriodToTimeRange: true,
        width: 6,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 6, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Enrichment queue',
        left: [
          enrichment.queue.metricApproximateNumberOfMessagesVisible({
            label: 'Waiting',
            period: fiveMinutes,
          }),
          enrichment.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: 'Dead letters',
            period: fiveMinutes,
          }),
        ],
        right: [oldest.with({ label: 'Oldest message (s)' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: [
          api.api.metricLatency({ statistic: Stats.percentile(50), period: fiveMinutes, label: 'p50' }),
          api.api.metricLatency({ statistic: Stats.percentile(99), period: fiveMinutes, label: 'p99' }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'API requests and errors',
        left: [requests.with({ label: 'Requests' })],
        right: [
          api.api.metricClientError({ statistic: Stats.SUM, period: fiveMinutes, label: '4xx' }),
          serverErrors.with({ label: '5xx' }),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: perFunction((fn) =>
          fn.fn.metricErrors({ statistic: Stats.SUM, period: fiveMinutes, label: fn.node.id }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Function throttles',
        left: perFunction((fn) =>
          fn.fn.metricThrottles({ statistic: Stats.SUM, period: fiveMinutes, label: fn.node.id }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Function duration p99 (ms)',
        left: perFunction((fn) =>
          fn.fn.metricDuration({ statistic: Stats.percentile(99), period: fiveMinutes, label: fn.node.id }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Degraded paths and abuse signals per hour',
        left: [
          custom(CUSTOM_METRICS.receivedWriteFailed, 'Intake write deferred to enrichment'),
          custom(CUSTOM_METRICS.claimMatchFailed, 'Claim matching failed'),
          custom(CUSTOM_METRICS.guessLimitReached, 'Claim-status guess limit reached'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: `WAF requests (${EDGE_REGION})`,
        left: [
          wafMetric('AllowedRequests', 'Allowed'),
          wafMetric('BlockedRequests', 'Blocked'),
          wafMetric('CountedRequests', 'Counted'),
        ],
        width: 12,
      }),
    );
  }
}
