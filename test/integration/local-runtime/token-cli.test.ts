/**
 * `npm run token` as a developer uses it: run in its own process, it prints only a token that
 * the server's identity provider (same data directory) accepts; bad input exits 2.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider } from '#local/auth.ts';
import { repoRoot } from '#local/lambda.ts';

const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'restore-token-'));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'local', 'token.ts'), ...args], {
      env: { ...process.env, LOCAL_DATA_DIR: dataDir },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run token', () => {
  it('prints only a token the server accepts, with the requested role, subject and lifetime', async () => {
    const result = await token('--role', 'admin', '--sub', 'dana', '--ttl', '600');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const server = await createLocalIdentityProvider({ dataDir });
    const claims = await server.verifyToken(result.stdout.trim());
    expect(claims).toMatchObject({ 'cognito:groups': ['admin'], sub: 'dana', token_use: 'access' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('prints a partner client-credentials token: sub is the client, scope taxii/read, no groups', async () => {
    const result = await token('--client', 'state-police', '--ttl', '900');
    expect(result.code).toBe(0);
    const server = await createLocalIdentityProvider({ dataDir });
    const claims = await server.verifyToken(result.stdout.trim());
    expect(claims).toMatchObject({ sub: 'state-police', client_id: 'state-police', scope: 'taxii/read' });
    expect(claims['cognito:groups']).toBeUndefined();
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
  });

  it('exits 2 for a client combined with a role, or a malformed client id', async () => {
    for (const args of [
      ['--client', 'fbi', '--role', 'admin'],
      ['--client', 'has spaces'],
      ['--scope', 'taxii/read', '--role', 'admin'],
    ]) {
      const result = await token(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
    }
  });

  it('prints a client-credentials token for a TAXII partner: scope taxii/read, no staff role', async () => {
    const result = await token('--client', 'partner-one');
    expect(result.code).toBe(0);
    const server = await createLocalIdentityProvider({ dataDir });
    const claims = await server.verifyToken(result.stdout.trim());
    expect(claims).toMatchObject({ sub: 'partner-one', client_id: 'partner-one', scope: 'taxii/read' });
    expect(claims['cognito:groups']).toBeUndefined();
    expect((await token('--client', 'bad name!')).code).toBe(2);
    expect((await token('--client', 'p', '--role', 'admin')).code).toBe(2);
  });

  it('exits 2 with a message for a missing or unknown role, printing no token', async () => {
    for (const args of [
      [],
      ['--role', 'superuser'],
      ['--role', 'reviewer', '--ttl', '-5'],
      ['--rol', 'admin'],
    ]) {
      const result = await token(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toMatch(/Usage: npm run -s token/);
    }
  });
});
