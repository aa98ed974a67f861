/**
 * How long a distribution plan takes for a million claims.
 *
 * Losses follow a log-normal fitted to the FTC Consumer Sentinel 2024 figures
 * (bench/data/ftc-csn-2024/amount_lost.csv): median $497, 63% of losses at or below $1,000,
 * 25% at or below $100, 13% above $10,000. A median of $500 with sigma 2.2 gives 62%, 23% and
 * 9%: close enough, a little light in the tail. Losses are clamped to the $1 - $999,999 range
 * the FTC reports. The pool covers 30% of the losses and the minimum payment is $10, so claims
 * below about $33 are excluded. Claim ids look like the portal's (`CLM-XXXX-XXXX-XXXX-XXXX`,
 * random), so the input arrives in no useful order. Everything is seeded: runs are comparable.
 *
 * Run directly: `npx node bench/distribution.ts`.
 */

import {
  type ApprovedClaim,
  computeDistribution,
  type DistributionPlan,
} from '../shared/domain/distribution.ts';
import { rng } from './synthetic-reports.ts';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const CLAIMS = 1_000_000;
const RUNS = 5;
const MEDIAN_LOSS_CENTS = 50_000;
const SIGMA = 2.2;
const POOL_COVERAGE = 0.3;
const MINIMUM_PAYOUT_CENTS = 1000;
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function makeClaims(count: number, seed = 2024): ApprovedClaim[] {
  const random = rng(seed);
  const claims: ApprovedClaim[] = new Array(count);
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    let id: string;
    do {
      // Built in one go, so the id is a flat string, as JSON.parse or the DynamoDB client gives.
      const units = [67, 76, 77]; // CLM
      for (let g = 0; g < 4; g++) {
        units.push(45); // -
        for (let c = 0; c < 4; c++) units.push(ID_ALPHABET.charCodeAt(Math.floor(random() * 32)));
      }
      id = String.fromCharCode(...units);
    } while (seen.has(id));
    seen.add(id);
    // Box-Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const cents = Math.round(MEDIAN_LOSS_CENTS * Math.exp(SIGMA * z));
    claims[i] = { claimId: id, recognizedLossCents: Math.min(99_999_900, Math.max(100, cents)) };
  }
  return claims;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

export async function benchDistribution(): Promise<BenchResult[]> {
  const claims = makeClaims(CLAIMS);
  let totalLoss = 0;
  for (const c of claims) totalLoss += c.recognizedLossCents;
  const input = {
    poolAmountCents: Math.round(totalLoss * POOL_COVERAGE),
    claims,
    minimumPayoutCents: MINIMUM_PAYOUT_CENTS,
  };

  let plan: DistributionPlan = computeDistribution(input); // warm-up
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    plan = computeDistribution(input);
    times.push(performance.now() - start);
  }
  return [
    {
      name: `distribution plan, ${CLAIMS.toLocaleString('en-US')} claims (p50 of ${RUNS})`,
      value: round1(median(times)),
      unit: 'ms',
    },
    { name: 'distribution plan, slowest run', value: round1(Math.max(...times)), unit: 'ms' },
    { name: 'distribution exclusion rounds', value: plan.rounds, unit: 'rounds' },
    { name: 'distribution claims excluded below $10', value: plan.excluded.length, unit: 'claims' },
    { name: 'distribution claims paid', value: plan.payouts.length, unit: 'claims' },
    { name: 'distribution pool (30% of losses)', value: plan.poolAmountCents, unit: 'cents' },
  ];
}

if (import.meta.main) {
  const results = await benchDistribution();
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const value = Number.isInteger(r.value) ? r.value.toLocaleString('en-US') : r.value.toFixed(1);
    console.log(`${r.name.padEnd(width)}  ${value.padStart(16)} ${r.unit}`);
  }
}
