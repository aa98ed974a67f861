/**
 * The local runtime for integration tests: real DynamoDB and SQS servers (in memory, random
 * ports), the local API Gateway and queue pollers, and helpers to observe them. One stack per
 * test file (beforeAll/afterAll): handlers read the environment once, when first imported.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Role } from '#functions/routes.ts';
import type { IssueTokenOptions } from '#local/auth.ts';
import type { FunctionSettings, HandlerLoader, LocalLogger } from '#local/lambda.ts';
import {
  type LocalRuntime,
  type LocalRuntimeOptions,
  type ServedConsumer,
  startLocalRuntime,
} from '#local/runtime.ts';
import type { ServedRoute } from '#local/server.ts';
import type { QueueDefinition, TableDefinition } from '#shared/storage/tables.ts';
import * as storage from '#shared/storage/tables.ts';
import { contractChecker, type Exchange } from './contract.ts';

type Storage = typeof storage;
/** Tables by their name in tables.ts without "Table": `main`, `idempotency`. */
export type TableKey = {
  [K in keyof Storage]: Storage[K] extends TableDefinition
    ? K extends `${infer Name}Table`
      ? Name
      : never
    : never;
}[keyof Storage];
type QueueBaseKey = {
  [K in keyof Storage]: Storage[K] extends QueueDefinition
    ? K extends `${infer Name}Queue`
      ? Name
      : never
    : never;
}[keyof Storage];
/** Queues by their name in tables.ts without "Queue", and their DLQs: `enrichment`, `enrichmentDlq`. */
export type QueueKey = QueueBaseKey | `${QueueBaseKey}Dlq`;

const DEFAULT_WAIT_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_INTERVAL_MS = 50;

export interface LocalStackOptions {
  /** Defaults to the real route table, functions and consumers (real handlers, imported lazily). */
  readonly routes?: readonly ServedRoute[];
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  readonly consumers?: readonly ServedConsumer[];
  readonly loadHandler?: HandlerLoader;
  readonly staticDir?: string;
  /** Short, so failing messages come back (and reach the DLQ) within a test. Default 2 s. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll wait of the pollers; pausing takes up to this long. Default 1 s. */
  readonly pollWaitTimeSeconds?: number;
  /** Base64 INDICATOR_KEY for handlers; a random one by default. */
  readonly indicatorKey?: string;
  /** Start with the pollers paused. */
  readonly pollerPaused?: boolean;
  /** Default: errors to the console, nothing else. */
  readonly logger?: LocalLogger;
  /** Routes the handlers' DynamoDB/SQS calls (e.g. through a fault proxy). */
  readonly handlerEndpoints?: LocalRuntimeOptions['handlerEndpoints'];
  /**
   * Check every API answer against the served contract (default: on with the real route table).
   * `stop()` fails with every broken promise: an undeclared status, header, content type or field.
   */
  readonly checkContract?: boolean;
}

export interface WaitForOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Said when the wait times out: what did not happen. */
  readonly message?: string;
}

export interface LocalStack {
  readonly baseUrl: string;
  /** The environment the handlers were given (also set in process.env until stop()). */
  readonly env: Readonly<Record<string, string>>;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tableNames: Readonly<Record<TableKey, string>>;
  readonly queueUrls: Readonly<Record<QueueKey, string>>;
  /** Everything underneath, for the rare test that needs more. */
  readonly runtime: LocalRuntime;
  /** A bearer token from the local identity provider (as `npm run token` prints). */
  token(role: Role, options?: Omit<IssueTokenOptions, 'role'>): Promise<string>;
  /**
   * Polls `check` until it returns something other than false/undefined/null, and returns that;
   * fails with `message` after `timeoutMs` (default 10 s). A throw from `check` counts as "not yet".
   */
  waitFor<T>(
    check: () => T | Promise<T>,
    options?: WaitForOptions,
  ): Promise<Exclude<T, false | undefined | null>>;
  /**
   * Stops the pollers; effective at once (messages already being received are handed back), the
   * promise settles when they are idle. Await it before inspecting queues.
   */
  pausePoller(): Promise<void>;
  resumePoller(): void;
  /** Messages in the queue: visible, in flight and delayed. */
  queueDepth(queue: QueueKey): Promise<number>;
  /** The body of the oldest visible message, without receiving it; waits for one (bounded). */
  peekMessage(queue: QueueKey, options?: WaitForOptions): Promise<string>;
  /**
   * Checks every answer so far against GET /openapi.json (as stop() does): the distinct
   * `METHOD /path status` answers it checked and the promises broken. Empty when not recording.
   */
  checkContract(): Promise<{ checked: string[]; problems: string[] }>;
  stop(): Promise<void>;
}

function keyedByName<Definition, Key extends string>(
  definitions: readonly Definition[],
  suffix: string,
  value: (definition: Definition) => Record<string, string>,
): Record<Key, string> {
  const keyed: Record<string, string> = {};
  for (const [exportName, exported] of Object.entries(storage)) {
    const definition = definitions.find((d) => d === exported);
    if (definition === undefined || !exportName.endsWith(suffix)) continue;
    for (const [key, v] of Object.entries(value(definition)))
      keyed[`${exportName.slice(0, -suffix.length)}${key}`] = v;
  }
  return keyed as Record<Key, string>;
}

export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | undefined | null>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null)
        return value as Exclude<T, false | undefined | null>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const because = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`${options.message ?? 'Condition not met'} within ${timeoutMs} ms${because}`);
    }
    await new Promise((wake) => setTimeout(wake, options.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS));
  }
}

/** Files each report through the public API and waits until enrichment has stored them all. */
export async function fileEnrichedReports(stack: LocalStack, bodies: readonly unknown[]): Promise<string[]> {
  const ids: string[] = [];
  for (const body of bodies) {
    const res = await fetch(`${stack.baseUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 202) throw new Error(`filing a report: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { reportId: string }).reportId);
  }
  const reviewer = await stack.token('reviewer');
  await stack.waitFor(
    async () => {
      for (const id of ids) {
        const r = await fetch(`${stack.baseUrl}/v1/admin/reports/${id}`, {
          headers: { authorization: `Bearer ${reviewer}` },
        });
        if (r.status !== 200 || ((await r.json()) as { status?: string }).status !== 'ENRICHED') return false;
      }
      return true;
    },
    { timeoutMs: 30_000, message: 'reports were not enriched' },
  );
  return ids;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const runtime = await startLocalRuntime({
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
    pollWaitTimeSeconds: options.pollWaitTimeSeconds ?? 1,
    indicatorKey: options.indicatorKey ?? randomBytes(32).toString('base64'),
    routes: options.routes,
    functions: options.functions,
    consumers: options.consumers,
    loadHandler: options.loadHandler,
    staticDir: options.staticDir,
    logger: options.logger,
    handlerEndpoints: options.handlerEndpoints,
  });
  if (options.pollerPaused) await runtime.poller.pause();
  const exchanges = (options.checkContract ?? options.routes === undefined) ? record(runtime) : undefined;
  const { aws } = runtime;
  const dynamo = aws.dynamoClient();
  const sqs = aws.sqsClient();
  const tableNames = keyedByName<TableDefinition, TableKey>(storage.tables, 'Table', (t) => ({
    '': t.localName,
  }));
  const queueUrls = keyedByName<QueueDefinition, QueueKey>(
    storage.queues,
    'Queue',
    (q): Record<string, string> => {
      const queue = aws.queues.find((local) => local.definition === q);
      return queue ? { '': queue.url, Dlq: queue.dlqUrl } : {};
    },
  );

  return {
    baseUrl: runtime.baseUrl,
    env: runtime.env,
    dynamo,
    sqs,
    tableNames,
    queueUrls,
    runtime,
    token: (role, tokenOptions) => runtime.identityProvider.issueToken({ ...tokenOptions, role }),
    waitFor,
    pausePoller: () => runtime.poller.pause(),
    resumePoller: () => runtime.poller.start(),
    async queueDepth(queue) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrls[queue],
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    },
    peekMessage: (queue, waitOptions) =>
      waitFor(() => aws.peekMessages(queueUrls[queue]).find((m) => !m.inFlight)?.body, {
        timeoutMs: 5_000,
        message: `No visible message in ${queue}`,
        ...waitOptions,
      }),
    checkContract: () =>
      exchanges ? checkExchanges(runtime.baseUrl, exchanges) : Promise.resolve({ checked: [], problems: [] }),
    async stop() {
      const broken = exchanges ? (await checkExchanges(runtime.baseUrl, exchanges)).problems : [];
      await runtime.stop();
      if (broken.length > 0) {
        throw new Error(
          `${broken.length} answers broke the contract (GET /openapi.json):\n${[...new Set(broken)].join('\n')}`,
        );
      }
    },
  };
}

/** Every exchange with the server, as the client saw it. */
function record(runtime: LocalRuntime): Exchange[] {
  const exchanges: Exchange[] = [];
  runtime.server.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const requestChunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => requestChunks.push(chunk));
    let status = 0;
    let headers: Record<string, string> = {};
    const bodyChunks: Buffer[] = [];
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((code: number, ...rest: unknown[]) => {
      status = code;
      const given = rest.find((r) => r !== null && typeof r === 'object') as
        | Record<string, unknown>
        | undefined;
      headers = Object.fromEntries(
        Object.entries(given ?? {}).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(', ') : String(v),
        ]),
      );
      return writeHead(code, ...rest);
    }) as typeof response.writeHead;
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) bodyChunks.push(Buffer.from(chunk as Uint8Array));
      return write(chunk, ...rest);
    }) as typeof response.write;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') bodyChunks.push(Buffer.from(chunk as Uint8Array));
      return end(chunk, ...rest);
    }) as typeof response.end;
    response.on('finish', () =>
      exchanges.push({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        requestHeaders: request.headers,
        requestBody: Buffer.concat(requestChunks),
        status,
        headers,
        body: Buffer.concat(bodyChunks),
      }),
    );
  });
  return exchanges;
}

async function checkExchanges(
  baseUrl: string,
  exchanges: readonly Exchange[],
): Promise<{ checked: string[]; problems: string[] }> {
  const seen = [...exchanges];
  const served = await fetch(`${baseUrl}/openapi.json`);
  if (served.status !== 200) {
    // Usually a route in functions/routes.ts that functions/meta/openapi.ts does not declare.
    return { checked: [], problems: [`GET /openapi.json answered ${served.status}: ${await served.text()}`] };
  }
  const checker = contractChecker(await served.json());
  const checked = new Set<string>();
  const problems: string[] = [];
  for (const exchange of seen) {
    const result = checker.check(exchange);
    if (!result) continue;
    checked.add(`${result.operation} ${exchange.status}`);
    problems.push(...result.problems);
  }
  return { checked: [...checked].sort(), problems };
}
