/**
 * Every AWS call made for an invocation ends before the invocation must answer. A handler runs
 * its work inside `withDeadline`; the SDK clients' HTTP handler (clients.ts) gives each attempt
 * at most the time left, and refuses to start one when none is left, so a slow table turns into
 * a timely error (mapped to 503, or ignored for best-effort steps) instead of a Lambda timeout.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` with a deadline (epoch ms) for every AWS call it makes. */
export function withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(deadline, work);
}

/** Milliseconds left before the current deadline; undefined outside `withDeadline`. */
export function timeLeftMs(): number | undefined {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : deadline - Date.now();
}

export class DeadlineExceededError extends Error {
  override readonly name = 'AbortError'; // the SDK's retry strategy treats AbortError as final
  constructor() {
    super('No time left in this invocation for another AWS call');
  }
}

/** The SDK's Node HTTP handler, with each request's timeout cut to the invocation's time left. */
export class DeadlineHttpHandler extends NodeHttpHandler {
  readonly #requestTimeout: number;

  constructor(options: { connectionTimeout: number; requestTimeout: number }) {
    // Without throwOnRequestTimeout, this SDK version only logs a warning when a request takes
    // longer than requestTimeout, and keeps waiting.
    super({ ...options, throwOnRequestTimeout: true });
    this.#requestTimeout = options.requestTimeout;
  }

  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}) {
    const left = timeLeftMs();
    if (left === undefined) return super.handle(request, options);
    if (left <= 0) return Promise.reject(new DeadlineExceededError());
    return super.handle(request, {
      ...options,
      requestTimeout: Math.min(options.requestTimeout ?? this.#requestTimeout, left),
    });
  }
}
