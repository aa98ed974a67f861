/**
 * What the local runtime shares between HTTP and SQS invocations: loading a function's handler
 * from its `entry`, a Lambda-like `context`, and Lambda's timeout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '#functions/routes.ts';

export const LOCAL_REGION = 'us-east-1';
/** The account id fauxqs puts in its ARNs; used for every local ARN so they agree. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export const repoRoot = resolve(import.meta.dirname, '..');

/** The part of a function's spec the runtime needs; `FunctionSpec` from routes.ts satisfies it. */
export interface FunctionSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export type HandlerFunction = (event: unknown, context: Context) => unknown;
/** Returns the function's handler; typed loosely so test fixtures of any event type fit. */
export type HandlerLoader = (fn: string) => Promise<unknown>;

function isFunctionName(fn: string): fn is FunctionName {
  return Object.hasOwn(functions, fn);
}

/**
 * Imports `functions[fn].entry`. Call it only after the handlers' environment is set: handlers
 * build their AWS clients and read their config at module load, as they do in Lambda.
 */
export const importFunctionHandler: HandlerLoader = async (fn) => {
  if (!isFunctionName(fn)) throw new Error(`No function named "${fn}" in functions/routes.ts`);
  const module: Record<string, unknown> = await import(
    pathToFileURL(resolve(repoRoot, functions[fn].entry)).href
  );
  return module['handler'];
};

/** Wraps a loader so each handler loads once; a failed import is retried on the next call. */
export function cachedLoader(load: HandlerLoader): (fn: string) => Promise<HandlerFunction> {
  const cache = new Map<string, Promise<HandlerFunction>>();
  return (fn) => {
    let pending = cache.get(fn);
    if (!pending) {
      pending = load(fn).then((handler) => {
        if (typeof handler !== 'function')
          throw new Error(`The module of function "${fn}" exports no handler`);
        return handler as HandlerFunction;
      });
      pending.catch(() => cache.delete(fn));
      cache.set(fn, pending);
    }
    return pending;
  };
}

export function localFunctionName(fn: string): string {
  return `restore-local-${fn}`;
}

function createContext(fn: string, settings: FunctionSettings, deadline: number): Context {
  const functionName = localFunctionName(fn);
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style context methods are not supported by the Node.js 24 runtime');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(settings.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export class FunctionTimeoutError extends Error {
  constructor(fn: string, seconds: number) {
    super(`Function "${fn}" timed out after ${seconds} seconds`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Invokes a handler as Lambda would: with a fresh context and its timeout. Lambda would freeze
 * a timed-out invocation; here it keeps running in the background, but its result is ignored.
 */
export async function invokeFunction(
  fn: string,
  handler: HandlerFunction,
  event: unknown,
  settings: FunctionSettings,
): Promise<unknown> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const context = createContext(fn, settings, Date.now() + timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(fn, settings.timeoutSeconds)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the local runtime reports what a developer (or a test) needs to see. */
export interface LocalLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: LocalLogger = {
  info: (message) => console.log(message),
  error: (message, error) => (error === undefined ? console.error(message) : console.error(message, error)),
};

/** Errors only: what tests use by default so a passing run prints nothing. */
export const quietLogger: LocalLogger = {
  info: () => {},
  error: consoleLogger.error,
};
