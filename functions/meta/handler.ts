/** GET /health and GET /openapi.json. */

import { apiHandler } from '../http/api-handler.ts';
import { header } from '../http/request.ts';
import { cacheableJson, json } from '../http/response.ts';
import { openApiDocument } from './openapi.ts';

let document: Record<string, unknown> | undefined;

export const handler = apiHandler({
  'GET /health': async () => json(200, { status: 'ok' }),
  'GET /openapi.json': async ({ event }) => {
    document ??= openApiDocument();
    return cacheableJson(document, header(event, 'if-none-match'));
  },
});
