import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Sha256Js } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSecretString, SecretReadError, secretsManagerEndpoint } from '#functions/secrets-client.ts';

// readSecretString replaces @aws-sdk/client-secrets-manager for its one call (see the file's
// header). The generated client, a dev dependency, is the reference: same endpoints, and the same
// request on the wire, checked against a local server standing in for the service.

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:restore-indicator-key-AbCdEf';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
/** What the stand-in answers, one entry per request; the last one repeats. */
let answers: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  answers = [{ status: 200, body: { ARN, Name: 'restore-indicator-key', SecretString: 'c2VjcmV0LWtleQ==' } }];
});

const read = (env: NodeJS.ProcessEnv = {}) =>
  readSecretString(ARN, {
    env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: url, ...env },
    credentials: async () => credentials,
    sleep: async () => {},
  });

describe('secretsManagerEndpoint', () => {
  const regions = [
    'us-east-1',
    'eu-west-2',
    'ap-southeast-5',
    'us-gov-west-1',
    'us-gov-east-1',
    'cn-north-1',
    'cn-northwest-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
  ];
  const flags = [
    { useFips: false, useDualStack: false },
    { useFips: true, useDualStack: false },
    { useFips: false, useDualStack: true },
    { useFips: true, useDualStack: true },
  ];
  it.each(regions.flatMap((region) => flags.map((f) => ({ region, ...f }))))(
    'matches the generated client for %o',
    ({ region, useFips, useDualStack }) => {
      const provider = new SecretsManagerClient({ region, credentials }).config.endpointProvider;
      let expected: string;
      try {
        expected = provider({ Region: region, UseFIPS: useFips, UseDualStack: useDualStack }).url.origin;
      } catch (e) {
        expect(() => secretsManagerEndpoint(region, { useFips, useDualStack })).toThrow((e as Error).message);
        return;
      }
      expect(secretsManagerEndpoint(region, { useFips, useDualStack })).toBe(expected);
    },
  );
});

describe('readSecretString', () => {
  it('sends the request the generated client sends, signed for the secret’s region', async () => {
    expect(await read()).toBe('c2VjcmV0LWtleQ==');
    const client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: url,
      credentials,
      maxAttempts: 1,
    });
    await client.send(new GetSecretValueCommand({ SecretId: ARN }));
    expect(seen).toHaveLength(2);
    const [ours, sdk] = seen as [Seen, Seen];
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe(sdk.url);
    expect(JSON.parse(ours.body)).toEqual(JSON.parse(sdk.body));
    for (const h of ['content-type', 'x-amz-target', 'host']) expect(ours.headers[h], h).toBe(sdk.headers[h]);
    const scope = (h: Seen) =>
      /Credential=AKIDEXAMPLE\/\d{8}\/([^,]+),/.exec(String(h.headers.authorization))?.[1];
    expect(scope(ours)).toBe('us-east-1/secretsmanager/aws4_request');
    expect(scope(ours)).toBe(scope(sdk));
  });

  it('signs exactly what it sends (an independent SHA-256 re-signs the received request identically)', async () => {
    await read();
    const got = seen[0]!;
    const auth = String(got.headers.authorization);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
    expect(signedHeaders).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type']),
    );
    const date = String(got.headers['x-amz-date']);
    const signingDate = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const { hostname, port } = new URL(url);
    const request = new HttpRequest({
      method: got.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: got.url,
      headers: Object.fromEntries(signedHeaders.map((h) => [h, String(got.headers[h])])),
      body: got.body,
    });
    const verifier = new SignatureV4({
      service: 'secretsmanager',
      region: 'us-east-1',
      credentials,
      sha256: Sha256Js,
    });
    const resigned = await verifier.sign(request, { signingDate });
    expect(resigned.headers['authorization']).toBe(auth);
  });

  it('reads the region from the secret’s ARN rather than the function’s', async () => {
    await readSecretString(ARN.replace('us-east-1', 'eu-west-2'), {
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: url },
      credentials: async () => credentials,
    });
    expect(String(seen[0]!.headers.authorization)).toContain('/eu-west-2/secretsmanager/aws4_request');
  });

  it('retries the service’s own faults and throttling, then succeeds', async () => {
    answers = [
      { status: 500, body: { __type: 'InternalServiceError', message: 'try again' } },
      {
        status: 400,
        body: { __type: 'com.amazonaws.secretsmanager#ThrottlingException', message: 'slow down' },
      },
      { status: 200, body: { SecretString: 'third time' } },
    ];
    expect(await read()).toBe('third time');
    expect(seen).toHaveLength(3);
  });

  it('gives up after three attempts', async () => {
    answers = [{ status: 503, body: {} }];
    await expect(read()).rejects.toBeInstanceOf(SecretReadError);
    expect(seen).toHaveLength(3);
  });

  it('does not retry a request that cannot succeed, and names the error', async () => {
    answers = [
      {
        status: 400,
        body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find it" },
      },
    ];
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretReadError);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      code: 'ResourceNotFoundException',
      retryable: false,
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a connection that fails, then reports it', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let waits = 0;
    const error = await readSecretString(ARN, {
      env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}` },
      credentials: async () => credentials,
      sleep: async () => {
        waits++;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(waits).toBe(2); // three attempts
  });

  it('returns undefined for a binary-only secret', async () => {
    answers = [{ status: 200, body: { SecretBinary: 'AAEC' } }];
    expect(await read()).toBeUndefined();
  });
});
