/**
 * Generates TypeScript types for the API from its contract with openapi-typescript:
 * `npm run client:generate [-- <out.ts>]` (default examples/client/restore-api.ts). openapi-typescript
 * needs the TypeScript 5 compiler API, which the project's TypeScript 7 lacks, so it lives in its
 * own package (scripts/openapi-typegen) with its own TypeScript.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '#functions/meta/openapi.ts';
import { repoRoot } from '#local/lambda.ts';

const GENERATOR = join(repoRoot, 'scripts', 'openapi-typegen', 'node_modules', '.bin', 'openapi-typescript');

/** Writes the generated types to `out`. */
export async function generateClientTypes(out: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'restore-openapi-'));
  try {
    const spec = join(dir, 'openapi.json');
    await writeFile(spec, JSON.stringify(openApiDocument()));
    await promisify(execFile)(GENERATOR, [spec, '--output', out], { cwd: repoRoot });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const out = resolve(process.argv[2] ?? join(repoRoot, 'examples', 'client', 'restore-api.ts'));
  await generateClientTypes(out);
  console.log(`Wrote ${out}`);
}
