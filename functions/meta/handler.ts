/** GET /health and GET /openapi.json. */

import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';

let document: Record<string, unknown> | undefined;

export const handler = apiHandler({
  'GET /health': async () => json(200, { status: 'ok' }),
  'GET /openapi.json': async () => {
    // Loaded on first use: the contract's schemas cost a cold health check about twice its floor
    // (npm run bench -- bundles), and health checks far outnumber reads of the contract.
    document ??= (await import('./openapi.ts')).openApiDocument();
    return json(200, document);
  },
});
