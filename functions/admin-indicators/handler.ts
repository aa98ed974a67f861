/** GET /v1/admin/indicators/{type}/{value} — one scammer identifier and every report linked to it. */

import { lookupIndicator } from '#shared/use-cases/read-reports.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { reportRepository } from '../repositories.ts';

const reader = reportRepository();

export const handler = apiHandler({
  'GET /v1/admin/indicators/{type}/{value}': async ({ event }) => {
    const q = event.queryStringParameters ?? {};
    const view = await lookupIndicator(
      event.pathParameters?.['type'] ?? '',
      event.pathParameters?.['value'] ?? '',
      { limit: q['limit'], cursor: q['cursor'] },
      reader,
      await indicatorKey(),
    );
    return json(200, view);
  },
});
