/**
 * A client generated from the contract by openapi-typescript type-checks a partner's program
 * (examples/client/flows.ts: report, staff reads, pool, claim, status, decision), and its types are
 * precise enough to refuse what the API would refuse: a text `limit`, an unknown identifier type.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#local/lambda.ts';
import { generateClientTypes } from '../../../scripts/openapi-client.ts';

const run = promisify(execFile);
const example = join(repoRoot, 'examples', 'client');
let dir: string;

/** The project's own tsc on a tsconfig in `dir`; its diagnostics, empty when it compiles. */
async function typecheck(tsconfig: string): Promise<string> {
  try {
    await run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, tsconfig)], { cwd: dir });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

beforeAll(async () => {
  // Inside the repository (git-ignored .local/), so the program resolves openapi-fetch.
  await mkdir(join(repoRoot, '.local'), { recursive: true });
  dir = await mkdtemp(join(repoRoot, '.local', 'client-check-'));
  await generateClientTypes(join(dir, 'restore-api.ts'));
  await copyFile(join(example, 'flows.ts'), join(dir, 'flows.ts'));
  await copyFile(join(example, 'tsconfig.json'), join(dir, 'tsconfig.json'));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a client generated from the contract', () => {
  it('type-checks the report, claim, status and staff flows', async () => {
    expect(await typecheck('tsconfig.json')).toBe('');
  }, 60_000);

  it('refuses a text limit and an unknown identifier type at compile time', async () => {
    const flows = await readFile(join(dir, 'flows.ts'), 'utf8');
    const broken = flows
      .replace('query: { limit: 50 }', "query: { limit: '50' }")
      .replace("type: 'crypto-wallet', value: WALLET }, query", "type: 'wallet', value: WALLET }, query");
    expect(broken).not.toBe(flows);
    await writeFile(join(dir, 'broken.ts'), broken);
    const config = JSON.parse(await readFile(join(dir, 'tsconfig.json'), 'utf8')) as { files: string[] };
    await writeFile(
      join(dir, 'broken.json'),
      JSON.stringify({ ...config, files: ['broken.ts', 'restore-api.ts'] }),
    );
    const diagnostics = await typecheck('broken.json');
    expect(diagnostics).toMatch(/"wallet"' is not assignable/);
    expect(diagnostics).toMatch(/Type 'string' is not assignable to type 'number'/);
  }, 60_000);
});
