/**
 * Cheap prerequisite check before any integration suite starts its local DynamoDB and SQS:
 * fail once, with the fix, instead of in every file with an obscure error.
 */
import { existsSync } from 'node:fs';

const MINIMUM_NODE_MAJOR = 24;
const EMULATORS = ['dynalite', 'fauxqs'];

export function setup(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MINIMUM_NODE_MAJOR) {
    throw new Error(
      `Integration tests need Node ${MINIMUM_NODE_MAJOR} (the Lambda runtime) but run on ${process.version}. ` +
        'Run them through npm (`npm run test:integration` or `npx vitest ...`), which puts Node 24 first on PATH.',
    );
  }
  for (const name of EMULATORS) {
    if (!existsSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url))) {
      throw new Error(`The local AWS emulator "${name}" is not installed: run \`npm ci\`.`);
    }
  }
}
