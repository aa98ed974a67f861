/** GET /v1/admin/reports and GET /v1/admin/reports/{reportId} — staff read and search reports. */

import { getReport, searchReports } from '#shared/use-cases/read-reports.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { reportRepository } from '../repositories.ts';

const reader = reportRepository();

export const handler = apiHandler({
  'GET /v1/admin/reports/{reportId}': async ({ event }) =>
    json(200, await getReport(event.pathParameters?.['reportId'] ?? '', reader)),
  'GET /v1/admin/reports': async ({ event }) =>
    json(200, await searchReports(event.queryStringParameters ?? {}, reader, await indicatorKey())),
});
