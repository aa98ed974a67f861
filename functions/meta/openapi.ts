/**
 * The served contract (GET /openapi.json), generated from the same zod schemas that validate
 * requests, and from the route table, so the document cannot drift from what the API accepts.
 */
import * as z from 'zod/mini';
import { categories, reportStatuses } from '#shared/domain/enums.ts';
import { indicatorTypes } from '#shared/domain/indicators/types.ts';
import { reportInputSchema } from '#shared/domain/report-schema.ts';
import { routes } from '../routes.ts';
import { err, type Operation, restorationOperations } from './openapi-restoration.ts';

const nextStep = z.object({ id: z.string(), title: z.string(), body: z.string() });

const acceptedReport = z.object({
  reportId: z.string(),
  status: z.literal('RECEIVED'),
  receivedAt: z.iso.datetime(),
  nextSteps: z.array(nextStep),
});

const indicatorLink = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  roles: z.array(z.enum(['payment', 'contact'])),
  paid: z.array(z.object({ currency: z.string(), amountCents: z.int() })),
  paymentIndexes: z.array(z.int()),
  href: z.string(),
});

const reportView = z.looseObject({
  reportId: z.string(),
  status: z.enum(reportStatuses),
  receivedAt: z.iso.datetime(),
  enrichedAt: z.optional(z.iso.datetime()),
  lossByCurrency: z.record(z.string(), z.int()),
  indicators: z.array(indicatorLink),
});

const indicatorView = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  reports: z.array(
    z.object({
      reportId: z.string(),
      receivedAt: z.string(),
      category: z.enum(categories),
      roles: z.array(z.string()),
      paid: z.array(z.object({ currency: z.string(), amountCents: z.int() })),
      contactAboutRecovery: z.boolean(),
      shareWithLawEnforcement: z.boolean(),
      href: z.string(),
    }),
  ),
  claims: z.array(
    z.object({
      claimId: z.string(),
      filedAt: z.string(),
      poolId: z.optional(z.string()),
      paid: z.array(z.object({ currency: z.string(), amountCents: z.int() })),
      href: z.string(),
    }),
  ),
  seizedBy: z.array(z.object({ poolId: z.string(), href: z.string() })),
  summary: z.object({
    reports: z.int(),
    paidByCurrency: z.record(z.string(), z.int()),
    consentingToContact: z.int(),
    claims: z.int(),
  }),
  cursor: z.optional(z.string()),
  claimsCursor: z.optional(z.string()),
});

const operations: Record<string, Operation> = {
  'GET /health': {
    summary: 'Liveness',
    responses: {
      '200': { description: 'The API can take reports', schema: z.object({ status: z.literal('ok') }) },
    },
  },
  'GET /openapi.json': {
    summary: 'This document',
    responses: { '200': { description: 'OpenAPI 3.1 document' } },
  },
  'POST /v1/reports': {
    summary: 'File a fraud report',
    request: reportInputSchema,
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'Optional. A retry with the same key returns the same answer and stores nothing twice.',
      },
    ],
    responses: {
      '202': { description: 'Report received and queued', schema: acceptedReport },
      '400': err('The report has problems; `fields` says where'),
      '409': err('A request with this Idempotency-Key is still in progress'),
      '413': err('Body over 256 KB'),
      '415': err('Body is not JSON'),
      '422': err('Idempotency-Key reused for a different report'),
      '503': err('Temporarily unavailable; nothing was kept'),
    },
  },
  'GET /v1/admin/reports': {
    summary: 'Search reports (staff)',
    parameters: [
      { name: 'indicator', in: 'query', description: 'TYPE:VALUE, e.g. phone:+12025550143' },
      { name: 'category', in: 'query', description: 'A report category' },
      { name: 'from', in: 'query', description: 'ISO date or instant (default: one year before `to`)' },
      { name: 'to', in: 'query', description: 'ISO date or instant (default: now)' },
      { name: 'limit', in: 'query', description: '1-100, default 25' },
      { name: 'cursor', in: 'query', description: 'From the previous page' },
    ],
    responses: {
      '200': {
        description: 'A page of reports',
        schema: z.object({ items: z.array(reportView), cursor: z.optional(z.string()) }),
      },
      '400': err('Bad query'),
      '401': { description: 'No valid token' },
      '403': err('Signed in without the reviewer or admin role'),
    },
  },
  'GET /v1/admin/reports/{reportId}': {
    summary: 'One report with its normalised indicators (staff)',
    parameters: [{ name: 'reportId', in: 'path', required: true, description: 'Reference number' }],
    responses: {
      '200': { description: 'The report', schema: reportView },
      '401': { description: 'No valid token' },
      '403': err('Wrong role'),
      '404': err('No such report'),
    },
  },
  'GET /v1/admin/indicators/{type}/{value}': {
    summary: 'One identifier with every report, claim and pool linked to it (staff)',
    parameters: [
      { name: 'type', in: 'path', required: true, description: indicatorTypes.join(' | ') },
      { name: 'value', in: 'path', required: true, description: 'Any spelling; normalised like a report' },
      { name: 'limit', in: 'query', description: '1-500, default 100' },
      { name: 'cursor', in: 'query', description: 'From the previous page' },
      { name: 'claimsCursor', in: 'query', description: 'Next page of linked claims' },
    ],
    responses: {
      '200': { description: 'The identifier and linked reports', schema: indicatorView },
      '400': err('The value does not parse as that type'),
      '401': { description: 'No valid token' },
      '403': err('Wrong role'),
    },
  },
  ...restorationOperations,
};

const jsonSchema = (s: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const op = operations[key] ?? { summary: key, responses: { '200': { description: 'OK' } } };
    const operation: Record<string, unknown> = {
      summary: op.summary,
      operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
      ...(r.auth === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-roles': r.auth.roles }),
      ...(op.parameters
        ? {
            parameters: op.parameters.map((p) => ({
              ...p,
              required: p.required ?? false,
              schema: { type: 'string' },
            })),
          }
        : {}),
      ...(op.request
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.request, 'input') } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, res]) => [
          status,
          {
            description: res.description,
            ...(res.schema
              ? { content: { 'application/json': { schema: jsonSchema(res.schema, 'output') } } }
              : {}),
          },
        ]),
      ),
    };
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Restore API',
      version: '1.0.0',
      description:
        'Report fraud, link reports that paid the same scammer, and return forfeited funds to victims.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
