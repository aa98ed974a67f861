/**
 * Agency admins export the shared indicators added or changed in a date range as STIX 2.1:
 * - POST /v1/admin/sharing/exports {from, to}: start an export job (202); a worker writes ONE
 *   bundle for the whole range to S3 (shared/use-cases/export-job.ts).
 * - GET /v1/admin/sharing/exports/{exportId}: its state and progress; when ready, a short-lived
 *   download link, the size and the SHA-256.
 * - GET /v1/admin/sharing/bundle?from=&to=[&cursor=]: the synchronous export, kept for scripts. A
 *   Lambda behind an HTTP API cannot answer past 6 MB, so a large range comes in parts: each part
 *   is a complete bundle, and the `Restore-Export-*` headers carry the progress and next cursor.
 */
import { exportPart, parseRange } from '#shared/use-cases/export-bundle.ts';
import { getExport, startExport } from '#shared/use-cases/export-job.ts';
import { STIX_MEDIA_TYPE } from '#shared/use-cases/taxii.ts';
import { exportJobDeps } from '../export-jobs.ts';
import { apiHandler } from '../http/api-handler.ts';
import { readJsonObject } from '../http/request.ts';
import { json, securityHeaders } from '../http/response.ts';
import { logger } from '../observability.ts';
import { sharedIndicatorRepository } from '../repositories.ts';
import { sharingContext } from '../sharing.ts';

/** Indicators per part: about 1.2 KB each keeps a part well under Lambda's 6 MB response. */
export const PART_SIZE = 2_000;

const source = sharedIndicatorRepository();
const jobs = exportJobDeps();

export const handler = apiHandler({
  'POST /v1/admin/sharing/exports': async ({ event, caller }) => {
    const started = await startExport(readJsonObject(event), caller!.sub, jobs);
    logger.info('sharing export started', { exportId: started.exportId });
    return json(202, started, { location: `/v1/admin/sharing/exports/${started.exportId}` });
  },

  'GET /v1/admin/sharing/exports/{exportId}': async ({ event }) =>
    json(200, await getExport(event.pathParameters?.['exportId'] ?? '', jobs)),

  'GET /v1/admin/sharing/bundle': async ({ event }) => {
    const q = event.queryStringParameters ?? {};
    const range = parseRange(q['from'], q['to']);
    const part = await exportPart(range, q['cursor'], source, sharingContext(), {
      at: new Date().toISOString(),
      maxIndicators: PART_SIZE,
    });
    const file = `restore-indicators-${range.from.slice(0, 10)}-to-${range.to.slice(0, 10)}.json`;
    return {
      statusCode: 200,
      headers: {
        ...securityHeaders,
        'content-type': STIX_MEDIA_TYPE,
        'content-disposition': `attachment; filename="${file}"`,
        'restore-export-total': String(part.progress.total),
        'restore-export-exported': String(part.progress.exported),
        ...(part.cursor ? { 'restore-export-next': part.cursor } : {}),
      },
      body: part.bundle,
    };
  },
});
