/** GET /v1/admin/audit — admins search the audit trail by person, record and time, newest first. */
import { AuditRepository } from '#shared/storage/audit-repository.ts';
import { searchAudit } from '#shared/use-cases/audit-trail.ts';
import { documentClient } from '../clients.ts';
import { required } from '../config.ts';
import { apiHandler } from '../http/api-handler.ts';
import { json } from '../http/response.ts';
import { providedOr } from '../provided.ts';

const store = providedOr('audit', () => new AuditRepository(documentClient, required('AUDIT_TABLE_NAME')));

export const handler = apiHandler({
  'GET /v1/admin/audit': async ({ event }) =>
    json(200, await searchAudit(event.queryStringParameters ?? {}, store)),
});
