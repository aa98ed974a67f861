/** docs/sharing-sample-bundle.json is what the code emits today, and valid. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#local/lambda.ts';
import { SAMPLE_PATH, sampleBundle } from '#test/support/stix/sample.ts';
import { bundleProblems, newTally } from '#test/support/stix/validate.ts';

describe('the sample bundle in docs/', () => {
  it('matches what the code builds (run `npm run sample:bundle` after changing the STIX builder)', async () => {
    const file = await readFile(join(repoRoot, SAMPLE_PATH), 'utf8');
    expect(JSON.parse(file)).toEqual(JSON.parse(await sampleBundle()));
  });

  it('is a valid STIX 2.1 bundle with one indicator of each shared kind', async () => {
    const tally = newTally();
    const bundle = JSON.parse(await readFile(join(repoRoot, SAMPLE_PATH), 'utf8'));
    expect(bundleProblems(bundle, tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(7);
  });
});
