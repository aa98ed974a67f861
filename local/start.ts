/**
 * `npm start`: Restore on a laptop. The real handlers behind a local API Gateway, local
 * DynamoDB and SQS, and a local identity provider; data kept in `.local/` across restarts.
 */
import { relative } from 'node:path';
import { functions } from '#functions/routes.ts';
import { LOCAL_PASSWORD, localAccounts } from './auth.ts';
import { consoleLogger, importFunctionHandler, repoRoot } from './lambda.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { loadOrCreateSecrets, localSettings } from './settings.ts';

const startedAt = performance.now();
const settings = localSettings();

function explainStartupFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    const port = (error as { port?: number }).port;
    return (
      `Port ${port ?? '(unknown)'} is already in use: is another \`npm start\` running? ` +
      'Stop it, or choose other ports with PORT, LOCAL_DYNAMODB_PORT, LOCAL_SQS_PORT and LOCAL_S3_PORT.'
    );
  }
  return `Could not start Restore locally: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

let runtime: LocalRuntime;
try {
  const { indicatorKey, payoutKey } = await loadOrCreateSecrets(settings.dataDir);
  runtime = await startLocalRuntime({
    dataDir: settings.dataDir,
    httpHost: settings.httpHost,
    httpPort: settings.httpPort,
    dynamoPort: settings.dynamoPort,
    sqsPort: settings.sqsPort,
    s3Port: settings.s3Port,
    indicatorKey,
    payoutKey,
    staticDir: settings.staticDir,
    logger: consoleLogger,
    logRequests: process.env['LOG_REQUESTS'] !== 'false',
  });
} catch (error) {
  console.error(explainStartupFailure(error));
  process.exit(1);
}

for (const warning of runtime.aws.warnings) console.warn(`Warning: ${warning}`);

// Import every handler now (after the environment is set) so a broken one shows at startup,
// not on the first request; the others keep working.
for (const fn of Object.keys(functions)) {
  try {
    await importFunctionHandler(fn);
  } catch (error) {
    console.error(`Function "${fn}" failed to load; its routes will answer 500 until it is fixed:`, error);
  }
}

// settings.ts accepts loopback hosts only; an IPv6 one needs brackets in a URL.
const shownHost =
  settings.httpHost === '127.0.0.1'
    ? 'localhost'
    : settings.httpHost.includes(':')
      ? `[${settings.httpHost}]`
      : settings.httpHost;
console.log(
  `Restore is running at http://${shownHost}:${runtime.port} (data in ${relative(repoRoot, settings.dataDir) || '.'}/, ` +
    `ready in ${Math.round(performance.now() - startedAt)} ms). Staff token: TOKEN=$(npm run -s token -- --role reviewer)`,
);
console.log(
  `Agency console: http://${shownHost}:${runtime.port}/staff/ — sign in (local accounts only) as ` +
    `${localAccounts.map((a) => a.email).join(', ')} with password ${LOCAL_PASSWORD}.`,
);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    console.error(`Second ${signal}: exiting without waiting.`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal} received, stopping…`);
  const forced = setTimeout(() => {
    console.error('Still stopping after 30 s: exiting anyway.');
    process.exit(1);
  }, 30_000);
  forced.unref();
  try {
    await runtime.stop();
  } catch (error) {
    console.error('Error while stopping:', error);
    process.exitCode = 1;
  }
  clearTimeout(forced);
}

process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
