/**
 * `npm run fuzz`: generated bodies against every public POST route of the local runtime, derived
 * from the routes' zod schemas (scripts/evidence/arbitraries.ts): valid, near-valid and hostile.
 * Prints, per route: requests, answers by class, 5xx (goal 0), bodies that should have been
 * refused but were accepted (goal 0), and afterwards every stored string that is malformed
 * (broken Unicode, control characters, not NFC; goal 0).
 *
 *   npm run fuzz                    # 10,000 bodies per route
 *   npm run fuzz -- --per-route 500 --seed 42
 *
 * Runs as deployed behind CloudFront (the origin secret set, a random viewer address per
 * request), so the guess limits of the code routes do not stop the fuzz after ten tries.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { ORIGIN_HEADER, VIEWER_ADDRESS_HEADER } from '../functions/http/edge.ts';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.ts';
import { claimInputSchema, reconsiderationSchema } from '../shared/domain/claim-schema.ts';
import { reportInputSchema } from '../shared/domain/report-schema.ts';
import { statusRequestSchema } from '../shared/use-cases/claim-status.ts';
import { type FuzzBody, fuzzBodies, isMalformedStoredText } from './evidence/arbitraries.ts';

const CLAIMANT = {
  name: 'Rosa Martínez',
  email: 'rosa@example.com',
  address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
};
const VALID_CLAIM = {
  claimant: CLAIMANT,
  payments: [
    {
      amountCents: 7_000,
      currency: 'USD',
      method: 'cryptocurrency',
      recipient: {
        kind: 'crypto-wallet',
        asset: 'BTC',
        address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      },
    },
  ],
  recoveriesCents: 0,
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
};
const VALID_REPORT = {
  filer: { role: 'victim', contact: { name: 'Rosa Martínez', email: 'rosa@example.com' } },
  incident: {
    category: 'imposter-government',
    narrative: 'He said he was from the IRS.\nI paid in Bitcoin.',
  },
  payments: VALID_CLAIM.payments,
  scammer: { phones: ['(202) 555-0143'], websites: ['irs-payments.co.uk'], namesUsed: ['Officer Brooks'] },
  consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
};

export const FUZZ_ROUTES = [
  { path: '/v1/reports', schema: reportInputSchema, examples: [VALID_REPORT] },
  { path: '/v1/claims', schema: claimInputSchema, examples: [VALID_CLAIM] },
  { path: '/v1/claims/status', schema: statusRequestSchema, examples: [] },
  { path: '/v1/claims/reconsideration', schema: reconsiderationSchema, examples: [] },
  { path: '/v1/invitations/verify', schema: z.object({ code: z.string() }), examples: [] },
] as const;

export interface RouteFigures {
  route: string;
  requests: number;
  byClass: Record<string, number>;
  serverErrors: number;
  /** Bodies carrying something that must be refused, answered 2xx. */
  wronglyAccepted: number;
  /** Examples, for the person reading a failure (bodies truncated). */
  examples: string[];
}

export interface FuzzFigures {
  routes: RouteFigures[];
  storedItems: number;
  malformedStored: number;
}

export interface FuzzOptions {
  perRoute: number;
  seed?: number;
  concurrency?: number;
  /** Reuse a running runtime (tests); otherwise one is started in memory and stopped after. */
  runtime?: LocalRuntime;
}

const ORIGIN_SECRET = randomBytes(24).toString('hex');

async function send(baseUrl: string, path: string, body: FuzzBody, i: number): Promise<number> {
  try {
    return await sendOnce(baseUrl, path, body, i);
  } catch {
    // A kept-alive connection the server closed just as it was reused: send once more.
    return sendOnce(baseUrl, path, body, i);
  }
}

async function sendOnce(baseUrl: string, path: string, body: FuzzBody, i: number): Promise<number> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ORIGIN_HEADER]: ORIGIN_SECRET,
      // A different viewer per request: 10.x addresses from the request number.
      [VIEWER_ADDRESS_HEADER]: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
    body: body.text,
  });
  await res.arrayBuffer();
  return res.status;
}

async function fuzzRoute(
  baseUrl: string,
  route: (typeof FUZZ_ROUTES)[number],
  options: FuzzOptions,
): Promise<RouteFigures> {
  const bodies = fc.sample(fuzzBodies(route.schema, route.examples), {
    numRuns: options.perRoute,
    seed: options.seed ?? 1,
  });
  const figures: RouteFigures = {
    route: `POST ${route.path}`,
    requests: 0,
    byClass: {},
    serverErrors: 0,
    wronglyAccepted: 0,
    examples: [],
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const body = bodies[i]!;
      const status = await send(baseUrl, route.path, body, i);
      figures.requests += 1;
      const cls = `${Math.floor(status / 100)}xx`;
      figures.byClass[cls] = (figures.byClass[cls] ?? 0) + 1;
      const wrong = status >= 500 || (body.mustRefuse && status < 300);
      if (status >= 500) figures.serverErrors += 1;
      if (body.mustRefuse && status < 300) figures.wronglyAccepted += 1;
      if (wrong && figures.examples.length < 5)
        figures.examples.push(`${status} ${body.kind}: ${body.text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return figures;
}

/** Every string in every stored item that breaks the storage rules. */
async function scanStorage(runtime: LocalRuntime): Promise<{ items: number; malformed: number }> {
  const dynamo = runtime.aws.dynamoClient();
  let items = 0;
  let malformed = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (isMalformedStoredText(v)) malformed += 1;
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const table of Object.values(runtime.aws.tableNames)) {
    let start: Record<string, never> | undefined;
    do {
      const res = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) {
        items += 1;
        walk(unmarshall(item));
      }
      start = res.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
  }
  return { items, malformed };
}

async function drained(runtime: LocalRuntime, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = runtime.aws.queueFor('enrichmentQueue').url;
  while (runtime.aws.peekMessages(url).some((m) => m.receiveCount === 0 || !m.inFlight)) {
    if (Date.now() > deadline) return;
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzFigures> {
  const previous = process.env['ORIGIN_VERIFY'];
  process.env['ORIGIN_VERIFY'] = ORIGIN_SECRET;
  const runtime =
    options.runtime ??
    (await startLocalRuntime({ indicatorKey: randomBytes(32).toString('base64'), pollWaitTimeSeconds: 1 }));
  try {
    const routes: RouteFigures[] = [];
    for (const route of FUZZ_ROUTES) routes.push(await fuzzRoute(runtime.baseUrl, route, options));
    await drained(runtime);
    const stored = await scanStorage(runtime);
    return { routes, storedItems: stored.items, malformedStored: stored.malformed };
  } finally {
    if (!options.runtime) await runtime.stop();
    if (previous === undefined) delete process.env['ORIGIN_VERIFY'];
    else process.env['ORIGIN_VERIFY'] = previous;
  }
}

export function fuzzTable(figures: FuzzFigures): string {
  const lines = [
    '| Route | Bodies | 2xx | 4xx | 5xx | Accepted that should be refused |',
    '|---|---|---|---|---|---|',
    ...figures.routes.map(
      (r) =>
        `| ${r.route} | ${r.requests} | ${r.byClass['2xx'] ?? 0} | ${r.byClass['4xx'] ?? 0} | ${r.serverErrors} | ${r.wronglyAccepted} |`,
    ),
    '',
    `Stored items scanned: ${figures.storedItems}; malformed strings in storage: ${figures.malformedStored}`,
  ];
  return lines.join('\n');
}

if (import.meta.main) {
  // Tens of thousands of requests: only errors in the console (handlers read this when loaded).
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'ERROR';
  const { values } = parseArgs({
    options: { 'per-route': { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } },
  });
  const started = Date.now();
  const figures = await runFuzz({ perRoute: Number(values['per-route']), seed: Number(values.seed) });
  console.log(fuzzTable(figures));
  for (const r of figures.routes) for (const e of r.examples) console.log(`  ${r.route}: ${e}`);
  console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
  const failed =
    figures.malformedStored > 0 || figures.routes.some((r) => r.serverErrors > 0 || r.wronglyAccepted > 0);
  process.exit(failed ? 1 : 0);
}
