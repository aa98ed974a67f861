/** `npm run sample:bundle`: rewrites docs/sharing-sample-bundle.json from the code that builds it. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '#local/lambda.ts';
import { SAMPLE_PATH, sampleBundle } from '#test/support/stix/sample.ts';

await writeFile(join(repoRoot, SAMPLE_PATH), await sampleBundle());
console.log(`wrote ${SAMPLE_PATH}`);
