/**
 * Repositories wired to this function's table and settings, built once per cold start, each typed
 * as the use-case interfaces it serves (provided.ts; a test may provide stand-ins).
 */
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { ClaimantIndex } from '#shared/storage/claimant-index.ts';
import { DistributionRepository } from '#shared/storage/distribution-repository.ts';
import { FollowUpRepository } from '#shared/storage/follow-up-repository.ts';
import { MailRepository } from '#shared/storage/mail-repository.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { RateLimitRepository } from '#shared/storage/rate-limit-repository.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { SharedIndicatorRepository } from '#shared/storage/shared-indicator-repository.ts';
import { StatsRepository } from '#shared/storage/stats-repository.ts';
import type { ClaimContactIndex } from '#shared/use-cases/claim-flags.ts';
import { countClaimChanges } from '#shared/use-cases/dashboard.ts';
import type { DistributionStore } from '#shared/use-cases/distribute.ts';
import type { FollowUpStore } from '#shared/use-cases/follow-up.ts';
import type { FailureCounter } from '#shared/use-cases/guess-guard.ts';
import type { MailLedger } from '#shared/use-cases/send-mail.ts';
import { documentClient } from './clients.ts';
import { config, required } from './config.ts';
import { describeError, logger } from './observability.ts';
import {
  type ClaimStore,
  type PoolsStore,
  providedOr,
  type ReportStore,
  type SharedIndicatorStore,
  type StatsStore,
} from './provided.ts';

export const reportRepository = (): ReportStore =>
  providedOr(
    'reports',
    () =>
      new ReportRepository(documentClient, required('TABLE_NAME'), {
        ...(config().REPORT_RETENTION_DAYS !== undefined
          ? { retentionDays: config().REPORT_RETENTION_DAYS }
          : {}),
      }),
  );

export const poolRepository = (): PoolsStore =>
  providedOr('pools', () => new PoolRepository(documentClient, required('TABLE_NAME')));

/** Every claim write also moves the dashboard's claim counts (shared/use-cases/dashboard.ts). */
export const claimRepository = (): ClaimStore =>
  providedOr('claims', () =>
    countClaimChanges(new ClaimRepository(documentClient, required('TABLE_NAME')), statsRepository(), (e) =>
      logger.warn('dashboard claim count not moved', describeError(e)),
    ),
  );

export const claimantIndex = (): ClaimContactIndex =>
  providedOr('contacts', () => new ClaimantIndex(documentClient, required('TABLE_NAME')));

export const statsRepository = (): StatsStore =>
  providedOr('stats', () => new StatsRepository(documentClient, required('TABLE_NAME')));

export const distributionRepository = (): DistributionStore =>
  providedOr('distributions', () => new DistributionRepository(documentClient, required('TABLE_NAME')));

export const rateLimitRepository = (): FailureCounter =>
  providedOr('failures', () => new RateLimitRepository(documentClient, required('TABLE_NAME')));

export const sharedIndicatorRepository = (): SharedIndicatorStore =>
  providedOr(
    'sharedIndicators',
    () =>
      new SharedIndicatorRepository(documentClient, required('TABLE_NAME'), {
        ...(config().REPORT_RETENTION_DAYS !== undefined
          ? { retentionDays: config().REPORT_RETENTION_DAYS }
          : {}),
      }),
  );
export const followUpRepository = (): FollowUpStore =>
  providedOr('followUps', () => new FollowUpRepository(documentClient, required('TABLE_NAME')));

/** The mail ledger and the suppression list (docs/email.md). */
export const mailRepository = (): MailLedger =>
  providedOr('mailLedger', () => new MailRepository(documentClient, required('TABLE_NAME')));
