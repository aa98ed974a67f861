/**
 * Logger and metrics shared by every function. Logs carry ids, routes, statuses and error
 * names only: never a request body, a name, an email, a phone number or an access code
 * (victims' data is PII). Do not enable POWERTOOLS_LOGGER_LOG_EVENT.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'restore' });

export const metrics = new Metrics({
  namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'Restore',
  serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'restore',
});

/** What may be logged about an error: its class and a bounded message, never its cause chain's data. */
export function describeError(e: unknown): { errorName: string; errorMessage: string } {
  if (e instanceof Error) return { errorName: e.name, errorMessage: e.message.slice(0, 300) };
  return { errorName: typeof e, errorMessage: '' };
}
