/**
 * Realistic synthetic fraud reports for benchmarks, load and demo data. Categories, payment and
 * contact methods, ages and loss sizes follow the FTC Consumer Sentinel Network Data Book 2024
 * (counts copied from its CSV tables; see bench/data/ftc-csn-2024/). Deterministic for a seed.
 */
import type { AgeRange, Category, ContactMethod, PaymentMethod } from '#shared/domain/enums.ts';

type Weights<T extends string> = readonly (readonly [T, number])[];

export const ftc2024 = {
  categories: [
    ['imposter-business', 450_104],
    ['online-shopping', 384_946],
    ['imposter-government', 265_975],
    ['investment', 118_960],
    ['job-scam', 104_946],
    ['prizes-sweepstakes-lotteries', 97_350],
    ['imposter-tech-support', 69_221],
    ['imposter-romance', 59_490],
    ['imposter-family-friend', 34_377],
    ['business-opportunity', 25_129],
    ['fake-check', 18_663],
    ['charity', 11_019],
  ] as Weights<Category>,
  paymentMethods: [
    ['credit-card', 108_881],
    ['payment-app', 90_571],
    ['debit-card', 76_285],
    ['bank-transfer', 47_336],
    ['cryptocurrency', 46_899],
    ['gift-card', 41_120],
    ['wire-transfer', 40_448],
    ['cash', 13_609],
    ['check', 8_098],
    ['money-order', 2_658],
  ] as Weights<PaymentMethod>,
  contactMethods: [
    ['email', 371_651],
    ['phone-call', 284_659],
    ['text', 246_784],
    ['social-media', 186_826],
    ['website-or-app', 186_663],
    ['other', 148_288],
    ['mail', 42_108],
    ['online-ad-or-popup', 42_023],
  ] as Weights<ContactMethod>,
  ages: [
    ['under-20', 30_330],
    ['20-29', 155_346],
    ['30-39', 203_764],
    ['40-49', 191_508],
    ['50-59', 175_898],
    ['60-69', 208_896],
    ['70-79', 159_550],
    ['80-plus', 51_713],
  ] as Weights<AgeRange>,
  /** Median reported loss in dollars (all fraud reports with a loss). */
  medianLossDollars: 497,
} as const;

/** mulberry32: small, fast, seedable; quality is ample for synthetic data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T extends string>(weights: Weights<T>, r: () => number): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of weights) {
    x -= w;
    if (x < 0) return v;
  }
  return weights[weights.length - 1]![0];
}

/** Log-normal loss around the FTC median ($497), clamped to $1..$999,999 like the data book. */
export function lossCents(r: () => number, medianDollars: number = ftc2024.medianLossDollars): number {
  const u = Math.max(r(), 1e-12);
  const v = r();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  const dollars = Math.min(999_999, Math.max(1, medianDollars * Math.exp(1.6 * normal)));
  return Math.round(dollars * 100);
}

const hex = (r: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

/** A valid-looking US phone number in the 555-01xx fictional range, from a small pool of "scammers". */
export const scammerPhone = (i: number) => `+1 202 555 01${String(i % 100).padStart(2, '0')}`;

/** What one synthetic scammer is paid through: what a seizure order would list. */
export const scammerAccounts = (scammer: number) => ({
  // An EVM address per scammer (lower-case: valid without a checksum).
  wallet: `0x${scammer.toString(16).padStart(8, '0')}${hex(rng(scammer), 32)}`,
  bank: { routingNumber: '011000015', accountNumber: String(10_000_000 + scammer) },
  handle: `$scam${scammer}`,
});

/** Which scammer a synthetic report's seed is about (its first draw). */
export const scammerOf = (seed: number, scammers = 50): number => Math.floor(rng(seed)() * scammers);

function recipientFor(method: PaymentMethod, r: () => number, scammer: number) {
  const accounts = scammerAccounts(scammer);
  switch (method) {
    case 'cryptocurrency':
      return { kind: 'crypto-wallet', asset: 'ETH', address: accounts.wallet };
    case 'gift-card':
      return {
        kind: 'gift-card',
        brand: 'Google Play',
        cardNumber: String(Math.floor(r() * 1e15)).padStart(16, '7'),
      };
    case 'payment-app':
      return { kind: 'payment-app', service: 'Cash App', handle: accounts.handle };
    case 'wire-transfer':
    case 'bank-transfer':
      return { kind: 'bank-account', bankName: 'Example Bank', ...accounts.bank };
    default:
      return undefined;
  }
}

/** A report body as the website sends it. `scammers` is how many distinct scammers to spread over. */
export function syntheticReport(seed: number, scammers = 50): Record<string, unknown> {
  const r = rng(seed);
  const scammer = Math.floor(r() * scammers);
  const paymentCount = r() < 0.38 ? 1 + Math.floor(r() * 2) : 0; // 38% of FTC fraud reports had a loss
  const payments = Array.from({ length: paymentCount }, () => {
    const method = pick(ftc2024.paymentMethods, r);
    const recipient = recipientFor(method, r, scammer);
    return { amountCents: lossCents(r), currency: 'USD', method, ...(recipient ? { recipient } : {}) };
  });
  return {
    filer: {
      role: r() < 0.85 ? 'victim' : 'caregiver',
      ageRange: pick(ftc2024.ages, r),
      language: r() < 0.13 ? 'es' : 'en',
    },
    incident: {
      category: pick(ftc2024.categories, r),
      contactMethod: pick(ftc2024.contactMethods, r),
      narrative: `Synthetic report ${seed}. They contacted me and asked for money. `.repeat(
        1 + Math.floor(r() * 8),
      ),
    },
    payments,
    scammer: {
      phones: [scammerPhone(scammer)],
      emails: r() < 0.5 ? [`agent${scammer}@scam-${scammer}.example.com`] : [],
      websites: r() < 0.3 ? [`https://www.scam-${scammer}.example.com/login`] : [],
    },
    consents: { shareWithLawEnforcement: true, contactAboutRecovery: r() < 0.8 },
  };
}
