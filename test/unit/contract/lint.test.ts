/**
 * The served contract, linted the way an integrator's tooling would read it: Spectral (its OpenAPI
 * rules and the OWASP API Security ruleset, .spectral.yaml) and Redocly (redocly.yaml). Zero
 * problems of any severity: a rule that does not fit is switched off in its ruleset, with a reason.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument, operations } from '#functions/meta/openapi.ts';
import { routes } from '#functions/routes.ts';
import { repoRoot } from '#local/lambda.ts';
import { withFreshReference } from '../../../scripts/api-reference.ts';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
let dir: string;
let specPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'restore-contract-'));
  specPath = join(dir, 'openapi.json');
  await writeFile(specPath, JSON.stringify(openApiDocument(), null, 2));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a linter that exits non-zero on findings; its JSON report is on stdout either way. */
async function report(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trim()) return stdout;
    throw new Error(`${command} failed: ${stderr}`);
  }
}

describe('the served contract', () => {
  it('passes Spectral (spectral:oas + OWASP API Security) with no problems', async () => {
    const out = await report(bin('spectral'), [
      'lint',
      specPath,
      '--ruleset',
      join(repoRoot, '.spectral.yaml'),
      '--format',
      'json',
      '--quiet',
    ]);
    const problems = (out.trim() ? JSON.parse(out) : []) as {
      code: string;
      message: string;
      path: string[];
    }[];
    expect(problems.map((p) => `${p.code}: ${p.message} at ${p.path.join('.')}`)).toEqual([]);
  }, 60_000);

  it('passes Redocly with no errors or warnings', async () => {
    const out = await report(bin('redocly'), [
      'lint',
      specPath,
      '--config',
      join(repoRoot, 'redocly.yaml'),
      '--format',
      'json',
    ]);
    const result = JSON.parse(out) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(result.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('declares exactly the routes of functions/routes.ts', () => {
    expect(Object.keys(operations).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('names every domain shape and every error in components.schemas', () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'GatewayMessage',
        'Report',
        'Claim',
        'Pool',
        'ReportInput',
        'ClaimInput',
      ]),
    );
  });

  it('is what the reference in docs/api.md was generated from (run npm run docs:api after a change)', async () => {
    const { current, fresh } = await withFreshReference();
    expect(current).toBe(fresh);
  });
});
