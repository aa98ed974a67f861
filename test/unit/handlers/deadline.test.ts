/**
 * AWS calls stop at the invocation's deadline: the SDK's HTTP handler cuts each attempt to the
 * time left and refuses to start one when none is left.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest } from '@smithy/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineHttpHandler, timeLeftMs, withDeadline } from '#functions/deadline.ts';

let server: Server;
let port: number;
beforeAll(async () => {
  // Answers only after 5 s: a table that has become slow.
  server = createServer((_req, res) => setTimeout(() => res.end('late'), 5_000).unref());
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const request = () =>
  new HttpRequest({ protocol: 'http:', hostname: '127.0.0.1', port, method: 'GET', path: '/' });

describe('DeadlineHttpHandler', () => {
  it('gives up at the deadline, well before its own request timeout', async () => {
    const handler = new DeadlineHttpHandler({ connectionTimeout: 1_000, requestTimeout: 4_000 });
    const started = Date.now();
    await expect(withDeadline(Date.now() + 300, () => handler.handle(request()))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
    handler.destroy();
  });

  it('refuses to start a call when no time is left', async () => {
    const handler = new DeadlineHttpHandler({ connectionTimeout: 1_000, requestTimeout: 4_000 });
    await expect(withDeadline(Date.now() - 1, () => handler.handle(request()))).rejects.toMatchObject({
      name: 'AbortError',
    });
    handler.destroy();
  });

  it('knows the time left only inside a deadline', async () => {
    expect(timeLeftMs()).toBeUndefined();
    await withDeadline(Date.now() + 10_000, async () => {
      expect(timeLeftMs()).toBeGreaterThan(9_000);
    });
  });
});
