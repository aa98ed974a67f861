/**
 * A fault-injecting HTTP proxy between the handlers and a local AWS server (dynalite, fauxqs),
 * for the chaos evidence and the outage tests: each request passes, is refused (an AWS-style 503,
 * or a dropped connection) or is held back before it passes. Rules match on the AWS JSON
 * protocol's operation (`X-Amz-Target`, e.g. `DynamoDB_20120810.PutItem`, `AmazonSQS.SendMessage`).
 *
 * Written here rather than taken from a library: the proxies on npm (http-proxy and kin) forward
 * faithfully but inject no faults, and toxiproxy is a separate Go server; this is ~100 lines.
 * Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { readonly kind: 'pass' }
  /** An AWS-style 503 ServiceUnavailable: the SDK sees a retryable service error. */
  | { readonly kind: 'unavailable' }
  /** The connection is dropped before any answer: the SDK sees a network error. */
  | { readonly kind: 'reset' }
  /** Held `ms` before being forwarded (a slow table). */
  | { readonly kind: 'slow'; readonly ms: number };

export interface FaultRule {
  /** Operation names (`PutItem`, `SendMessage`...); all operations when absent. */
  readonly operations?: readonly string[];
  readonly fault: Fault;
  /** 0-1: the share of matching requests that get the fault (default 1). */
  readonly probability?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Where passing requests go (the local server's endpoint); until set, requests answer 502. */
  setTarget(url: string): void;
  /** Replaces the rules; the first matching rule wins, no match passes. */
  setRules(rules: readonly FaultRule[]): void;
  /** Requests seen and faults injected, by operation. */
  readonly stats: { requests: number; faults: number };
  close(): Promise<void>;
}

function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? '';
}

export async function startFaultProxy(random: () => number = Math.random): Promise<FaultProxy> {
  let upstream: URL | undefined;
  let rules: readonly FaultRule[] = [];
  const stats = { requests: 0, faults: 0 };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    if (!upstream) {
      res.writeHead(502).end();
      return;
    }
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests += 1;
      const operation = operationOf(req);
      const rule = rules.find(
        (r) =>
          (r.operations === undefined || r.operations.includes(operation)) &&
          (r.probability === undefined || random() < r.probability),
      );
      const fault = rule?.fault ?? { kind: 'pass' };
      if (fault.kind !== 'pass') stats.faults += 1;
      const body = Buffer.concat(chunks);
      switch (fault.kind) {
        case 'pass':
          return forward(req, res, body);
        case 'slow':
          setTimeout(() => forward(req, res, body), fault.ms).unref();
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'unavailable': {
          const payload = JSON.stringify({ __type: 'ServiceUnavailable', message: 'injected fault' });
          res.writeHead(503, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-errortype': 'ServiceUnavailable',
            'content-length': Buffer.byteLength(payload),
          });
          res.end(payload);
          return;
        }
      }
    });
  });

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget(url) {
      upstream = new URL(url);
    },
    setRules(next) {
      rules = [...next];
    },
    stats,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
