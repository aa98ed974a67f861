/**
 * Keys of the failure counters that rate-limit guessing (claim status lookups, invitation codes):
 * one item per (scope, client, fixed window), removed by TTL after the window.
 *
 *   pk = RATE#<scope>#<keyed hash of the client address>   sk = W#<window start, epoch seconds>
 */
export const rateLimitKey = (scope: string, clientHash: string, windowStart: number) => ({
  pk: `RATE#${scope}#${clientHash}`,
  sk: `W#${windowStart}`,
});
