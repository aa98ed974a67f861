/**
 * Names shared by the functions' Powertools metrics and the dashboard and alarms that read them.
 * Powertools tags every custom metric with `service`; the CDK app sets the service name per
 * deployment so two environments in one account never add up each other's reports.
 */
import type { DeploymentConfig } from '../config/deployment.ts';

export const METRICS_NAMESPACE = 'Restore';

/** POWERTOOLS_SERVICE_NAME for a deployment: also the `service` field of every log line. */
export function serviceNameFor(config: Pick<DeploymentConfig, 'envName'>): string {
  return `restore-${config.envName}`;
}

/**
 * Custom metrics the handlers emit (Count unless noted). The dashboard shows every one; a metric
 * a handler does not emit yet simply shows no data.
 */
export const CUSTOM_METRICS = {
  reportsReceived: 'ReportsReceived',
  reportsEnriched: 'ReportsEnriched',
  enrichmentFailures: 'EnrichmentFailures',
  claimsFiled: 'ClaimsFiled',
  reconsiderationsRequested: 'ReconsiderationsRequested',
  /** Sum of the amounts victims reported paying, in cents (to be emitted by intake). */
  lossesReportedCents: 'LossesReportedCents',
  /** Degraded paths and abuse signals. */
  receivedWriteFailed: 'ReceivedWriteFailed',
  claimMatchFailed: 'ClaimMatchFailed',
  guessLimitReached: 'GuessLimitReached',
} as const;
