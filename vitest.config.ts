import { defineConfig } from 'vitest/config';

// Handlers under test trace nothing, publish no metrics, and log errors only.
const quietPowertools = {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

// One config, one project per test layer; `npm test` runs them in order (see package.json).
export default defineConfig({
  test: {
    // Handlers log JSON lines (Powertools); show them only for failing tests.
    silent: 'passed-only',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests run hundreds of cases; on a busy 2-core machine one can pass 5 s.
          testTimeout: 30_000,
          env: quietPowertools,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The suites share one local DynamoDB and one SQS server; run files one at a time so
          // queue assertions (e.g. "the DLQ holds exactly this message") stay exact.
          fileParallelism: false,
          env: quietPowertools,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Builds the website once into a temporary directory (and checks Chromium is there).
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One headless Chromium and one local stack at a time: the machine has 2 cores.
          fileParallelism: false,
          env: quietPowertools,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
