/** Repositories wired to this function's table and settings, built once per cold start. */
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { documentClient } from './clients.ts';
import { config, required } from './config.ts';

export const reportRepository = (): ReportRepository =>
  new ReportRepository(documentClient, required('TABLE_NAME'), {
    ...(config().REPORT_RETENTION_DAYS !== undefined
      ? { retentionDays: config().REPORT_RETENTION_DAYS }
      : {}),
  });
