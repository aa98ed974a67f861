/**
 * Once per `vitest --project e2e` run: build the website from the current source into a
 * temporary directory (so a stale web/dist can never be tested) and check Chromium is installed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

export const CHROMIUM = '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    siteDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}: run \`bash scripts/install-browser.sh\` ` +
        '(or `apt-get install -y chromium fonts-liberation`).',
    );
  }
  const siteDir = await mkdtemp(join(tmpdir(), 'restore-site-'));
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    build: { outDir: siteDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  project.provide('siteDir', siteDir);
  return async () => {
    await rm(siteDir, { recursive: true, force: true });
  };
}
