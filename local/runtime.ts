/**
 * The whole local runtime in one call, shared by `npm start` and the integration tests:
 *
 * 1. Start local DynamoDB, SQS and S3 with Restore's tables, queues and buckets.
 * 2. Give this process the environment the handlers read in Lambda.
 * 3. Start the HTTP server (API routes, JWKS, website) and the queue pollers.
 * 4. Mail goes to `.eml` files under `<dataDir>/outbox/` (a temporary folder without a dataDir),
 *    listed at `/_local/outbox/` (local/outbox.ts).
 * `stop()` undoes it in reverse and puts the environment back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provide } from '#functions/provided.ts';
import { consumers as defaultConsumers, routes as defaultRoutes, functions } from '#functions/routes.ts';
import { createLocalIdentityProvider, type LocalIdentityProvider } from './auth.ts';
import { type LocalAws, type QueueKey, startLocalAws } from './aws.ts';
import {
  type FunctionSettings,
  type HandlerLoader,
  importFunctionHandler,
  type LocalLogger,
  quietLogger,
} from './lambda.ts';
import { createLocalOpenIdProvider, OIDC_MOUNT_PATH } from './oidc.ts';
import { FileMailTransport, OUTBOX_MOUNT_PATH, outboxHandler } from './outbox.ts';
import { createPoller, type Poller } from './poller.ts';
import { createLocalScanner, type LocalScanner } from './scanner.ts';
import { createLocalServer, type LocalServer, type ServedRoute } from './server.ts';
import { loopbackHost } from './settings.ts';

/** A queue consumer as the runtime needs it; `ConsumerDefinition` from routes.ts satisfies it. */
export interface ServedConsumer {
  readonly fn: string;
  readonly queue: QueueKey;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

export interface LocalRuntimeOptions {
  /** Persist data (tables, queues, signing key) here; in memory when absent. */
  readonly dataDir?: string;
  readonly httpPort?: number;
  readonly httpHost?: string;
  readonly dynamoPort?: number;
  readonly sqsPort?: number;
  readonly s3Port?: number;
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll wait of the pollers (1-20 s); pausing them takes up to this long. */
  readonly pollWaitTimeSeconds?: number;
  /** Base64 HMAC key handed to handlers as INDICATOR_KEY. */
  readonly indicatorKey: string;
  /**
   * Base64 AES-256 key handed to handlers as PAYOUT_LOCAL_KEY (the local stand-in for the KMS
   * payout key); `npm start` keeps one in the data directory, tests get a fresh one.
   */
  readonly payoutKey?: string;
  readonly routes?: readonly ServedRoute[];
  readonly consumers?: readonly ServedConsumer[];
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  readonly loadHandler?: HandlerLoader;
  readonly staticDir?: string;
  readonly logger?: LocalLogger;
  readonly logRequests?: boolean;
  /**
   * Where the handlers (not the pollers) reach DynamoDB and SQS, given the local servers'
   * endpoints: the chaos evidence and the outage tests put a fault proxy here.
   */
  readonly handlerEndpoints?: (endpoints: LocalAws['endpoints']) => { dynamodb?: string; sqs?: string };
  /** As the deployment's `corsAllowedOrigins`; default `*` (any origin). */
  readonly corsAllowOrigins?: readonly string[];
}

export interface LocalRuntime {
  readonly baseUrl: string;
  readonly port: number;
  readonly aws: LocalAws;
  readonly identityProvider: LocalIdentityProvider;
  readonly server: LocalServer;
  readonly poller: Poller;
  /** Marks every upload clean, as GuardDuty would report a clean file (docs/follow-up.md). */
  readonly scanner: LocalScanner;
  /** Where the mailer writes `.eml` files instead of calling SES. */
  readonly outboxDir: string;
  /** Everything set in process.env for the handlers. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * The environment a handler gets locally. Values the developer already set for Powertools are
 * kept; the rest is forced so handlers never reach real AWS from a laptop.
 */
export function handlerEnvironment(
  aws: LocalAws,
  identityProvider: LocalIdentityProvider,
  indicatorKey: string,
  payoutKey: string,
): { forced: Record<string, string>; defaults: Record<string, string> } {
  return {
    forced: {
      ...aws.env,
      // Handlers read the key from here locally and from INDICATOR_KEY_SECRET_ARN in AWS.
      INDICATOR_KEY: indicatorKey,
      // Sealed account numbers: a raw AES keyring here, the KMS payout key (PAYOUT_KEY_ARN) in AWS.
      PAYOUT_LOCAL_KEY: payoutKey,
      AUTH_GROUPS_CLAIM: 'cognito:groups',
      LOCAL_ISSUER: identityProvider.issuer,
      // No X-Ray daemon locally.
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
    defaults: {
      POWERTOOLS_SERVICE_NAME: 'restore',
      // No CloudWatch locally.
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'restore-local',
    },
  };
}

function applyEnvironment(values: { forced: Record<string, string>; defaults: Record<string, string> }): {
  applied: Record<string, string>;
  restore(): void;
} {
  const previous = new Map<string, string | undefined>();
  const applied: Record<string, string> = {};
  const set = (name: string, value: string) => {
    if (!previous.has(name)) previous.set(name, process.env[name]);
    process.env[name] = value;
    applied[name] = value;
  };
  for (const [name, value] of Object.entries(values.forced)) set(name, value);
  for (const [name, value] of Object.entries(values.defaults)) set(name, process.env[name] ?? value);
  return {
    applied,
    restore() {
      for (const [name, value] of previous) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const logger = options.logger ?? quietLogger;
  const functionSettings = options.functions ?? functions;
  const loadHandler = options.loadHandler ?? importFunctionHandler;
  const aws = await startLocalAws({
    dataDir: options.dataDir,
    dynamoPort: options.dynamoPort,
    sqsPort: options.sqsPort,
    s3Port: options.s3Port,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
  });
  const cleanups: (() => Promise<void> | void)[] = [() => aws.stop()];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  try {
    const identityProvider = await createLocalIdentityProvider({ dataDir: options.dataDir });
    // Before any handler is imported: they read their configuration at module load.
    const values = handlerEnvironment(
      aws,
      identityProvider,
      options.indicatorKey,
      options.payoutKey ?? randomBytes(32).toString('base64'),
    );
    const routed = options.handlerEndpoints?.(aws.endpoints);
    if (routed?.dynamodb) values.forced['AWS_ENDPOINT_URL_DYNAMODB'] = routed.dynamodb;
    if (routed?.sqs) values.forced['AWS_ENDPOINT_URL_SQS'] = routed.sqs;
    const environment = applyEnvironment(values);
    cleanups.push(() => environment.restore());

    // The mailer's transport: files instead of SES (the handlers' composition seam, provided.ts).
    const outboxDir = options.dataDir
      ? join(options.dataDir, 'outbox')
      : await mkdtemp(join(tmpdir(), 'restore-outbox-'));
    if (!options.dataDir) cleanups.push(() => rm(outboxDir, { recursive: true, force: true }));
    provide({ mailTransport: new FileMailTransport(outboxDir) });

    const poller = createPoller({
      sqs: aws.sqsClient(),
      sources: (options.consumers ?? defaultConsumers).map((consumer) => {
        const queue = aws.queueFor(consumer.queue);
        return {
          fn: consumer.fn,
          queueUrl: queue.url,
          queueArn: queue.arn,
          batchSize: consumer.batchSize,
          maxBatchingWindowSeconds: consumer.maxBatchingWindowSeconds,
        };
      }),
      functions: functionSettings,
      loadHandler,
      waitTimeSeconds: options.pollWaitTimeSeconds,
      logger,
    });
    const server = createLocalServer({
      routes: options.routes ?? defaultRoutes,
      functions: functionSettings,
      auth: identityProvider,
      loadHandler,
      staticDir: options.staticDir,
      // The status page posts claimants' documents straight to the bucket (docs/follow-up.md).
      pageConnectOrigins: [aws.endpoints.s3],
      logger,
      logRequests: options.logRequests,
      // Any origin locally, so a partner's page on its own dev server can call the API.
      corsAllowOrigins: options.corsAllowOrigins ?? ['*'],
    });
    const scanner = createLocalScanner({
      s3: aws.s3Client(),
      bucket: aws.bucketNames['UploadBucket']!,
      settings: functionSettings['uploadScan'] ?? functions.uploadScan,
      loadHandler,
      logger,
    });
    // Cleanups run in reverse: the server closes before the poller's receive is aborted, so no
    // request can enqueue a message that fauxqs would hand to the abandoned long poll.
    cleanups.push(() => poller.stop());
    cleanups.push(() => scanner.stop());
    server.mount(OIDC_MOUNT_PATH, createLocalOpenIdProvider(identityProvider).handler);
    server.mount(OUTBOX_MOUNT_PATH, outboxHandler(outboxDir));
    const host = loopbackHost(options.httpHost ?? '127.0.0.1');
    const port = await server.listen(options.httpPort ?? 0, host);
    cleanups.push(() => server.close());
    const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Mails link to this server; known only now that it listens (handlers load after this).
    const siteUrl = applyEnvironment({ forced: {}, defaults: { MAIL_SITE_URL: baseUrl } });
    cleanups.push(() => siteUrl.restore());
    poller.start();
    scanner.start();

    return {
      baseUrl,
      port,
      aws,
      identityProvider,
      server,
      poller,
      scanner,
      outboxDir,
      env: { ...environment.applied, ...siteUrl.applied },
      stop: runCleanups,
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
