/**
 * Rate limit for lookups that take a secret (claim id + access code, invitation codes): at most
 * GUESS_LIMIT failures per client per fixed window, counted atomically in the table. The client
 * is its source address under a keyed hash, so the table holds no IP addresses and the counter
 * key cannot be reversed by trying every IPv4 address.
 */
import { TooManyAttemptsError } from '../domain/errors.ts';
import { keyedHash } from '../domain/indicators/secret-hash.ts';

export const GUESS_LIMIT = 10;
export const GUESS_WINDOW_SECONDS = 15 * 60;

export interface FailureCounter {
  failures(scope: string, clientHash: string, windowStart: number): Promise<number>;
  recordFailure(scope: string, clientHash: string, windowStart: number, expiresAt: number): Promise<number>;
}

export interface Guard {
  scope: string;
  clientHash: string;
  windowStart: number;
  windowEnd: number;
}

export function clientHash(key: Uint8Array, address: string): string {
  return keyedHash(key, `client-address:${address}`).slice(0, 32);
}

/** Throws TooManyAttemptsError when the client used up its failures in this window. */
export async function checkGuard(
  counter: FailureCounter,
  scope: string,
  hash: string,
  now: Date,
): Promise<Guard> {
  const seconds = Math.floor(now.getTime() / 1000);
  const windowStart = seconds - (seconds % GUESS_WINDOW_SECONDS);
  const windowEnd = windowStart + GUESS_WINDOW_SECONDS;
  const failures = await counter.failures(scope, hash, windowStart);
  if (failures >= GUESS_LIMIT) throw new TooManyAttemptsError(windowEnd - seconds);
  return { scope, clientHash: hash, windowStart, windowEnd };
}

/** Counts a failure; returns the new count (the caller may log that a client hit the limit). */
export function recordFailure(counter: FailureCounter, guard: Guard): Promise<number> {
  // Kept an hour past the window so TTL's lazy deletion never removes a live counter.
  return counter.recordFailure(guard.scope, guard.clientHash, guard.windowStart, guard.windowEnd + 3600);
}
