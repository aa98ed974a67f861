/**
 * Claim status lookups must not tell an unknown claim id from a wrong access code, in the answer
 * or in its timing. This runs the unmodified claims handler against local DynamoDB and times the
 * two kinds of failure, interleaved, from distinct client addresses (so the rate limit, which
 * would answer 429, stays out of the way), plus successful lookups for scale.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { startLocalAws } from '#local/aws.ts';
import { newReference } from '#shared/domain/ids.ts';
import { apiEvent, lambdaContext } from '#test/support/events.ts';

export interface StatusTimingFigures {
  name: string;
  value: number;
  unit: string;
}

const ROUNDS = 300;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * (xs.length - 1))]!;

export async function benchStatusTiming(): Promise<StatusTimingFigures[]> {
  const aws = await startLocalAws();
  Object.assign(process.env, aws.env, {
    INDICATOR_KEY: randomBytes(32).toString('base64'),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  try {
    const { handler } = (await import('#functions/claims/handler.ts')) as unknown as {
      handler: (e: unknown, c: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    let ip = 0;
    const call = (routeKey: string, body: object) => {
      const event = apiEvent({ routeKey, body });
      // A new address each time: this measures the lookup, not the guess limit.
      ip += 1;
      event.requestContext.http.sourceIp = `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
      return handler(event, lambdaContext('claims'));
    };
    const filed = await call('POST /v1/claims', {
      claimant: {
        name: 'Bench Claimant',
        email: 'bench@example.com',
        address: { line1: '1 Main St', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
      },
      payments: [
        { amountCents: 120_000, method: 'gift-card', recipient: { kind: 'gift-card', brand: 'Google Play' } },
      ],
      recoveriesCents: 0,
      attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Bench Claimant' },
    });
    if (filed.statusCode !== 201) throw new Error(`could not file the bench claim: ${filed.body}`);
    const { claimId, accessCode } = JSON.parse(filed.body!) as { claimId: string; accessCode: string };

    const times = { unknownId: [] as number[], wrongCode: [] as number[], correct: [] as number[] };
    const bodies = new Set<string>();
    const timed = async (kind: keyof typeof times, body: object, expected: number) => {
      const t = process.hrtime.bigint();
      const res = await call('POST /v1/claims/status', body);
      times[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.statusCode !== expected)
        throw new Error(`${kind}: expected ${expected}, got ${res.statusCode}`);
      if (expected === 404) bodies.add(JSON.stringify({ ...JSON.parse(res.body!), requestId: '' }));
    };
    for (let i = 0; i < ROUNDS; i++) {
      await timed('unknownId', { claimId: newReference('CLM'), accessCode }, 404);
      await timed(
        'wrongCode',
        { claimId, accessCode: `${accessCode.slice(0, -1)}${accessCode.endsWith('A') ? 'B' : 'A'}` },
        404,
      );
      if (i % 10 === 0) await timed('correct', { claimId, accessCode }, 200);
    }
    const diff = Math.abs(pct(times.unknownId, 50) - pct(times.wrongCode, 50));
    return [
      {
        name: `status lookup, unknown claim id (p50 of ${ROUNDS})`,
        value: round(pct(times.unknownId, 50)),
        unit: 'ms',
      },
      { name: 'status lookup, unknown claim id (p90)', value: round(pct(times.unknownId, 90)), unit: 'ms' },
      {
        name: `status lookup, wrong access code (p50 of ${ROUNDS})`,
        value: round(pct(times.wrongCode, 50)),
        unit: 'ms',
      },
      { name: 'status lookup, wrong access code (p90)', value: round(pct(times.wrongCode, 90)), unit: 'ms' },
      { name: 'status lookup, correct code (p50)', value: round(pct(times.correct, 50)), unit: 'ms' },
      { name: 'difference of the two failure p50s', value: round(diff), unit: 'ms' },
      { name: 'distinct 404 bodies (apart from requestId)', value: bodies.size, unit: '' },
    ];
  } finally {
    await aws.stop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
