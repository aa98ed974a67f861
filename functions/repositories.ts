/** Repositories wired to this function's table and settings, built once per cold start. */
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { ClaimantIndex } from '#shared/storage/claimant-index.ts';
import { DistributionRepository } from '#shared/storage/distribution-repository.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { RateLimitRepository } from '#shared/storage/rate-limit-repository.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { StatsRepository } from '#shared/storage/stats-repository.ts';
import { countClaimChanges } from '#shared/use-cases/dashboard.ts';
import { documentClient } from './clients.ts';
import { config, required } from './config.ts';
import { describeError, logger } from './observability.ts';

export const reportRepository = (): ReportRepository =>
  new ReportRepository(documentClient, required('TABLE_NAME'), {
    ...(config().REPORT_RETENTION_DAYS !== undefined
      ? { retentionDays: config().REPORT_RETENTION_DAYS }
      : {}),
  });

export const poolRepository = (): PoolRepository =>
  new PoolRepository(documentClient, required('TABLE_NAME'));

/** Every claim write also moves the dashboard's claim counts (shared/use-cases/dashboard.ts). */
export const claimRepository = (): ClaimRepository =>
  countClaimChanges(new ClaimRepository(documentClient, required('TABLE_NAME')), statsRepository(), (e) =>
    logger.warn('dashboard claim count not moved', describeError(e)),
  );

export const claimantIndex = (): ClaimantIndex => new ClaimantIndex(documentClient, required('TABLE_NAME'));

export const statsRepository = (): StatsRepository =>
  new StatsRepository(documentClient, required('TABLE_NAME'));

export const distributionRepository = (): DistributionRepository =>
  new DistributionRepository(documentClient, required('TABLE_NAME'));

export const rateLimitRepository = (): RateLimitRepository =>
  new RateLimitRepository(documentClient, required('TABLE_NAME'));
