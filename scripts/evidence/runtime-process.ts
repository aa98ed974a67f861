/**
 * The local runtime in a process of its own, for the chaos evidence: it can be killed mid-request
 * (SIGKILL, like a Lambda host dying) and started again on the same data directory and ports.
 * The handlers reach DynamoDB and SQS through the fault proxies named in the environment.
 * Prints one line, `ready <baseUrl>`, once it serves.
 */
import { startLocalRuntime } from '../../local/runtime.ts';
import { loadOrCreateSecrets } from '../../local/settings.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const dataDir = env('CHAOS_DATA_DIR');
const { indicatorKey } = await loadOrCreateSecrets(dataDir);
const runtime = await startLocalRuntime({
  dataDir,
  indicatorKey,
  httpPort: Number(env('CHAOS_HTTP_PORT')),
  dynamoPort: Number(env('CHAOS_DYNAMODB_PORT')),
  sqsPort: Number(env('CHAOS_SQS_PORT')),
  pollWaitTimeSeconds: 1,
  // Short, so a message whose consumer died comes back within the run (AWS: 6 x the timeout).
  visibilityTimeoutSeconds: 5,
  handlerEndpoints: () => ({ dynamodb: env('CHAOS_DYNAMODB_PROXY'), sqs: env('CHAOS_SQS_PROXY') }),
});
console.log(`ready ${runtime.baseUrl}`);
process.on('SIGTERM', () => void runtime.stop().then(() => process.exit(0)));
