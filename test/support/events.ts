/** Minimal but faithful API Gateway HTTP API (payload v2.0) events and Lambda contexts for handler tests. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context, SQSEvent, SQSRecord } from 'aws-lambda';

export function lambdaContext(functionName = 'test-fn', timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface ApiEventOptions {
  routeKey: string;
  path?: string;
  body?: string | object;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  /** Claims as API Gateway passes them: strings, with `cognito:groups` like "[reviewer]". */
  claims?: Record<string, string>;
}

export function apiEvent(o: ApiEventOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method, routePath] = o.routeKey.split(' ') as [string, string];
  const path = o.path ?? routePath;
  const body =
    o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers = { 'content-type': 'application/json', ...(o.headers ?? {}) };
  return {
    version: '2.0',
    routeKey: o.routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(o.queryStringParameters ?? {}).toString(),
    headers,
    ...(o.queryStringParameters ? { queryStringParameters: o.queryStringParameters } : {}),
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: o.routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: o.claims ?? {}, scopes: [] } },
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const staffClaims = (role: 'reviewer' | 'admin' | 'none') => ({
  sub: 'staff-1',
  'cognito:groups': role === 'none' ? '[]' : `[${role}]`,
});

export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:restore-enrichment',
    awsRegion: 'us-east-1',
    ...overrides,
  };
}

export const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records });
