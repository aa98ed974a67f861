/**
 * The TAXII 2.1 API (read-only) partner agencies poll: discovery, the API Root, its one
 * collection, objects, manifest and versions. TAXII answers errors in its own format (an error
 * message resource, TAXII 2.1 section 3.6.1), so this handler does not use the staff API's
 * error mapping; it maps only TaxiiError and turns anything else into a bare 500.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  acceptsTaxii,
  apiRoot,
  collection,
  collections,
  discovery,
  getObject,
  type ListResult,
  listManifest,
  listObjects,
  listVersions,
  parseObjectsQuery,
  TAXII_MEDIA_TYPE,
  TaxiiError,
} from '#shared/use-cases/taxii.ts';
import { config } from '../config.ts';
import { securityHeaders } from '../http/response.ts';
import { describeError, logger } from '../observability.ts';
import { sharedIndicatorRepository } from '../repositories.ts';
import { sharingContext } from '../sharing.ts';

const source = sharedIndicatorRepository();

function respond(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { ...securityHeaders, 'content-type': TAXII_MEDIA_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

function listResponse(result: ListResult<unknown>): APIGatewayProxyStructuredResultV2 {
  return respond(200, result.body, {
    ...(result.dateAddedFirst ? { 'x-taxii-date-added-first': result.dateAddedFirst } : {}),
    ...(result.dateAddedLast ? { 'x-taxii-date-added-last': result.dateAddedLast } : {}),
  });
}

/**
 * The public base URL for discovery: the configured site URL when there is a custom domain
 * (CloudFront does not pass the viewer's Host to the API), otherwise the host that was called.
 */
function baseUrl(event: APIGatewayProxyEventV2): string {
  const configured = config().PUBLIC_BASE_URL;
  if (configured) return configured.replace(/\/$/, '');
  const host = event.headers['x-forwarded-host'] ?? event.headers['host'] ?? event.requestContext.domainName;
  const proto = event.headers['x-forwarded-proto']?.split(',')[0]?.trim() === 'http' ? 'http' : 'https';
  return `${proto}://${host}`;
}

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const ctx = sharingContext();
  const path = event.pathParameters ?? {};
  const collectionId = path['collectionId'] ?? '';
  const objectId = path['objectId'] ?? '';
  const query = () => parseObjectsQuery(event.queryStringParameters ?? {});
  const root = '/taxii2/restore';
  const inCollection = `${root}/collections/{collectionId}`;
  switch (event.routeKey) {
    case 'GET /taxii2':
      return respond(200, discovery(baseUrl(event), ctx));
    case `GET ${root}`:
      return respond(200, apiRoot(ctx));
    case `GET ${root}/collections`:
      return respond(200, collections(ctx));
    case `GET ${inCollection}`:
      return respond(200, collection(collectionId, ctx));
    case `GET ${inCollection}/objects`:
      return listResponse(await listObjects(collectionId, query(), source, ctx));
    case `GET ${inCollection}/manifest`:
      return listResponse(await listManifest(collectionId, query(), source, ctx));
    case `GET ${inCollection}/objects/{objectId}`:
      return listResponse(await getObject(collectionId, objectId, query(), source, ctx));
    case `GET ${inCollection}/objects/{objectId}/versions`:
      return listResponse(await listVersions(collectionId, objectId, query(), source, ctx));
    default:
      throw new TaxiiError(404, 'Not found', `Nothing is served at ${event.rawPath}.`);
  }
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    if (!acceptsTaxii(event.headers['accept'])) {
      throw new TaxiiError(
        406,
        'Not acceptable',
        `Send Accept: ${TAXII_MEDIA_TYPE}. This server speaks TAXII 2.1 only.`,
      );
    }
    return await route(event);
  } catch (error) {
    if (error instanceof TaxiiError) return respond(error.httpStatus, error.body());
    logger.error('TAXII request failed', { routeKey: event.routeKey, ...describeError(error) });
    return respond(500, {
      title: 'Internal error',
      description: 'Something went wrong on our side. Try again later.',
      http_status: '500',
    });
  }
}
