/**
 * GET /v1/admin/sharing/bundle?from=&to=[&cursor=] — agency admins export the shared indicators
 * added or changed in a date range as STIX 2.1. A Lambda behind an HTTP API cannot stream its
 * answer past 6 MB, so a large range comes in parts: each part is a complete bundle, and the
 * `Restore-Export-*` headers carry the progress and the cursor of the next part.
 */
import { exportPart, parseRange } from '#shared/use-cases/export-bundle.ts';
import { STIX_MEDIA_TYPE } from '#shared/use-cases/taxii.ts';
import { apiHandler } from '../http/api-handler.ts';
import { securityHeaders } from '../http/response.ts';
import { sharedIndicatorRepository } from '../repositories.ts';
import { sharingContext } from '../sharing.ts';

/** Indicators per part: about 1.2 KB each keeps a part well under Lambda's 6 MB response. */
export const PART_SIZE = 2_000;

const source = sharedIndicatorRepository();

export const handler = apiHandler({
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
