/**
 * Reads one secret string from Secrets Manager (GetSecretValue), once per cold start, for the
 * indicator key.
 *
 * Why not @aws-sdk/client-secrets-manager: for this single call, the generated client added
 * 33 KB and about 7 ms of import to each of the five functions that hash bank and gift-card
 * numbers (measured with `npm run bench`), even when loaded lazily. This file builds the same
 * request from parts that every bundle already carries for DynamoDB: the SDK's SigV4 signer and
 * SHA-256, its Node HTTP handler, its partition table and the env credential provider. The
 * endpoint rules are the generated client's (secrets-client.test.ts compares them across
 * partitions, FIPS and dual-stack), and so is the request; `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 * `AWS_ENDPOINT_URL` override the endpoint as they do for the SDK.
 */
import { partition } from '@aws-sdk/core/client';
import { fromEnv } from '@aws-sdk/credential-provider-env';
// The SHA-256 the DynamoDB client signs with (node:crypto), so it is in every bundle already.
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { DeadlineHttpHandler } from './deadline.ts';

const SERVICE = 'secretsmanager';
const MAX_ATTEMPTS = 3;

/** A failed read, named after the service's error type (ResourceNotFoundException, …). */
export class SecretReadError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.name = code;
    this.code = code;
    this.retryable = retryable;
  }
}

export interface SecretReaderOptions {
  env?: NodeJS.ProcessEnv;
  credentials?: AwsCredentialIdentityProvider;
  /** Waits between attempts; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** The Secrets Manager endpoint for a region, following the generated client's rules. */
export function secretsManagerEndpoint(
  region: string,
  options: { useFips?: boolean; useDualStack?: boolean } = {},
): string {
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`Not an AWS region: ${region}`);
  const p = partition(region);
  const { useFips = false, useDualStack = false } = options;
  if (useFips && !p.supportsFIPS) throw new Error('FIPS is enabled but this partition does not support FIPS');
  if (useDualStack && !p.supportsDualStack) {
    throw new Error('DualStack is enabled but this partition does not support DualStack');
  }
  // Secrets Manager's own hostnames already answer over IPv6 in these partitions (for FIPS
  // hostnames, not in China).
  const nativeDualStack = p.name === 'aws' || p.name === 'aws-us-gov' || (p.name === 'aws-cn' && !useFips);
  const suffix = useDualStack && !nativeDualStack ? p.dualStackDnsSuffix : p.dnsSuffix;
  return `https://${SERVICE}${useFips ? '-fips' : ''}.${region}.${suffix}`;
}

const flag = (value: string | undefined) => value?.toLowerCase() === 'true';

/** The region a secret lives in: the one in its ARN, else the function's own. */
function regionOf(secretId: string, env: NodeJS.ProcessEnv): string {
  const fromArn = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secretId)?.[1];
  const region = fromArn ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new Error('No AWS region to read the secret from');
  return region;
}

// Error types worth another attempt: throttling and the service's own faults.
const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
]);

export async function readSecretString(
  secretId: string,
  options: SecretReaderOptions = {},
): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const region = regionOf(secretId, env);
  const endpoint = new URL(
    env['AWS_ENDPOINT_URL_SECRETS_MANAGER'] ??
      env['AWS_ENDPOINT_URL'] ??
      secretsManagerEndpoint(region, {
        useFips: flag(env['AWS_USE_FIPS_ENDPOINT']),
        useDualStack: flag(env['AWS_USE_DUALSTACK_ENDPOINT']),
      }),
  );
  const signer = new SignatureV4({
    service: SERVICE,
    region,
    credentials: options.credentials ?? fromEnv(),
    sha256: Sha256,
  });
  // Three attempts must fit well inside the shortest function timeout that reads the key (10 s),
  // with time left for the request that needed it; the service answers in tens of milliseconds.
  // Cut to the invocation's time left (deadline.ts); it also turns requestTimeout into an error.
  const http = new DeadlineHttpHandler({ connectionTimeout: 1_000, requestTimeout: 2_000 });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify({ SecretId: secretId });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await getSecretValue(http, signer, endpoint, body);
      } catch (e) {
        const retryable = e instanceof SecretReadError ? e.retryable : true; // network errors
        if (!retryable || attempt >= MAX_ATTEMPTS) throw e;
        // Full jitter on 100 ms, 200 ms, … (the SDK's standard retry base).
        await sleep(Math.random() * 100 * 2 ** (attempt - 1));
      }
    }
  } finally {
    http.destroy();
  }
}

async function getSecretValue(
  http: NodeHttpHandler,
  signer: SignatureV4,
  endpoint: URL,
  body: string,
): Promise<string | undefined> {
  const request = new HttpRequest({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: endpoint.pathname,
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const signed = await signer.sign(request);
  const { response } = await http.handle(signed as HttpRequest);
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    // A proxy's HTML error page, say: handled below by status.
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    const secret = parsed['SecretString'];
    return typeof secret === 'string' ? secret : undefined;
  }
  // `__type` may carry a namespace (`com.amazonaws.secretsmanager#ResourceNotFoundException`).
  const rawType = parsed['__type'] ?? response.headers['x-amzn-errortype'] ?? `HTTP${response.statusCode}`;
  const code = String(rawType).replace(/^.*#/, '').replace(/:.*$/, '');
  const message = String(
    parsed['message'] ?? parsed['Message'] ?? `Secrets Manager answered ${response.statusCode}`,
  );
  throw new SecretReadError(
    code,
    message,
    response.statusCode >= 500 || response.statusCode === 429 || RETRYABLE.has(code),
  );
}
