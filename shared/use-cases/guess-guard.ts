/**
 * Rate limit for lookups that take a secret (claim id + access code, invitation codes): at most
 * GUESS_LIMIT failures per client per fixed window. Each lookup first takes one attempt from the
 * client's counter in a single conditional write that refuses past the limit, so parallel guesses
 * cannot all read "under the limit" before any is counted; a lookup that succeeds gives its
 * attempt back. The client is its address under a keyed hash (behind CloudFront, the viewer's:
 * functions/http/edge.ts), so the table holds no IP addresses and the counter key cannot be
 * reversed by trying every IPv4 address.
 */
import { TooManyAttemptsError } from '../domain/errors.ts';
import { keyedHash } from '../domain/indicators/secret-hash.ts';

export const GUESS_LIMIT = 10;
export const GUESS_WINDOW_SECONDS = 15 * 60;

export interface FailureCounter {
  /**
   * Counts one attempt, atomically, unless `limit` are already counted in this window. Returns
   * the new count, or undefined when the client is at the limit (nothing counted).
   */
  tryAttempt(
    scope: string,
    clientHash: string,
    windowStart: number,
    limit: number,
    expiresAt: number,
  ): Promise<number | undefined>;
  /** Gives back an attempt that succeeded: only failures count against a client. */
  forgive(scope: string, clientHash: string, windowStart: number): Promise<void>;
}

export interface Guard {
  scope: string;
  clientHash: string;
  windowStart: number;
  windowEnd: number;
  /** Attempts counted in this window, this one included. */
  attempts: number;
}

export function clientHash(key: Uint8Array, address: string): string {
  return keyedHash(key, `client-address:${address}`).slice(0, 32);
}

/** Takes an attempt; throws TooManyAttemptsError when the client used up this window's. */
export async function checkGuard(
  counter: FailureCounter,
  scope: string,
  hash: string,
  now: Date,
): Promise<Guard> {
  const seconds = Math.floor(now.getTime() / 1000);
  const windowStart = seconds - (seconds % GUESS_WINDOW_SECONDS);
  const windowEnd = windowStart + GUESS_WINDOW_SECONDS;
  // Kept an hour past the window so TTL's lazy deletion never removes a live counter.
  const attempts = await counter.tryAttempt(scope, hash, windowStart, GUESS_LIMIT, windowEnd + 3600);
  if (attempts === undefined) throw new TooManyAttemptsError(windowEnd - seconds);
  return { scope, clientHash: hash, windowStart, windowEnd, attempts };
}

/** The lookup failed: its attempt stays counted. Returns the count (the caller may log the limit). */
export async function recordFailure(_counter: FailureCounter, guard: Guard): Promise<number> {
  return guard.attempts;
}

/** The lookup succeeded: give its attempt back (best effort; at worst one attempt stays counted). */
export async function recordSuccess(counter: FailureCounter, guard: Guard): Promise<void> {
  try {
    await counter.forgive(guard.scope, guard.clientHash, guard.windowStart);
  } catch {
    // A failed give-back costs the client one attempt of ten, never a wrong answer.
  }
}
