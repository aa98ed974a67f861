/**
 * Every server of the local runtime (API, DynamoDB, SQS) answers this machine only: queued and
 * stored reports must not be readable from the network a laptop is on. Read from the kernel's
 * socket table, so a server that binds all interfaces fails here whatever the machine's network.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider } from '#local/auth.ts';
import { localSettings, loopbackHost } from '#local/settings.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ consumers: [] });
});
afterAll(async () => stack?.stop());

/** Local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on `port`. */
async function listeningAddresses(port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const table = await readFile(file, 'utf8').catch(() => '');
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, hexPort] = (local ?? '').split(':');
      // State 0A is LISTEN.
      if (state === '0A' && hexPort !== undefined && Number.parseInt(hexPort, 16) === port)
        addresses.push(address!);
    }
  }
  return addresses;
}

const IPV4_LOOPBACK = '0100007F';
const IPV6_LOOPBACK = '00000000000000000000000001000000';

describe('local servers listen on loopback only', () => {
  it('the API, DynamoDB and SQS servers', async () => {
    const ports = {
      api: stack.runtime.port,
      dynamodb: Number(new URL(stack.runtime.aws.endpoints.dynamodb).port),
      sqs: Number(new URL(stack.runtime.aws.endpoints.sqs).port),
    };
    for (const [name, port] of Object.entries(ports)) {
      const addresses = await listeningAddresses(port);
      expect(addresses.length, `${name} is listening`).toBeGreaterThan(0);
      for (const address of addresses) expect([IPV4_LOOPBACK, IPV6_LOOPBACK], name).toContain(address);
    }
  });

  it('the check above would see a server on every interface', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '0.0.0.0', done));
    try {
      const addresses = await listeningAddresses((server.address() as AddressInfo).port);
      expect(addresses).toEqual(['00000000']);
    } finally {
      server.close();
    }
  });

  it('refuses a HOST that is not loopback', () => {
    expect(() => loopbackHost('0.0.0.0')).toThrow(/loopback/);
    expect(() => loopbackHost('192.168.1.10')).toThrow(/loopback/);
    expect(loopbackHost('127.0.0.1')).toBe('127.0.0.1');
  });

  it('gives the local S3 a fixed port (LOCAL_S3_PORT, 4572 by default), as the pages name its origin', () => {
    expect(localSettings({}).s3Port).toBe(4572);
    expect(localSettings({ LOCAL_S3_PORT: '14568' }).s3Port).toBe(14568);
    expect(() => localSettings({ LOCAL_S3_PORT: 'x' })).toThrow(/LOCAL_S3_PORT/);
  });
});

describe('the local token verifier refuses what the deployed issuer never signs', () => {
  it('a token issued in the future', async () => {
    const idp = await createLocalIdentityProvider();
    const future = await idp.issueToken({
      role: 'reviewer',
      issuedAt: Math.floor(Date.now() / 1000) + 3_600,
    });
    await expect(idp.verifyToken(future)).rejects.toThrow(/future/);
    const now = await idp.issueToken({ role: 'reviewer' });
    await expect(idp.verifyToken(now)).resolves.toMatchObject({ token_use: 'access' });
  });

  it('a token valid for more than a day, though correctly signed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'restore-idp-'));
    try {
      const idp = await createLocalIdentityProvider({ dataDir });
      const jwk = JSON.parse(await readFile(join(dataDir, 'auth', 'signing-key.jwk.json'), 'utf8')) as JWK & {
        kid: string;
      };
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        'cognito:groups': ['admin'],
        client_id: idp.clientId,
        token_use: 'access',
      })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer(idp.issuer)
        .setSubject('long-lived')
        .setIssuedAt(now)
        .setExpirationTime(now + 2 * 86_400)
        .sign(await importJWK(jwk, 'ES256'));
      await expect(idp.verifyToken(token)).rejects.toThrow(/over a day/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
