import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApprovedClaim,
  ClaimNotInPlanError,
  compareClaimIds,
  computeDistribution,
  DEFAULT_MINIMUM_PAYOUT_CENTS,
  type DistributionInput,
  DistributionOverflowError,
  type DistributionPlan,
  DuplicateClaimError,
  type ExcludedClaim,
  explainPayout,
  InvalidDistributionInputError,
  type Payout,
  sortByClaimId,
} from '../../shared/domain/distribution.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { type LedgerClaim, roundInput } from '../../shared/domain/rounds.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const RUNS = 2000;

const claim = (claimId: string, recognizedLossCents: number): ApprovedClaim => ({
  claimId,
  recognizedLossCents,
});
const payoutsById = (plan: DistributionPlan) =>
  Object.fromEntries(plan.payouts.map((p) => [p.claimId, p.payoutCents]));

/** UTF-8 byte order, computed the obvious (slow) way, to check the engine's fast comparison. */
const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

// ---------------------------------------------------------------------------------------------
// Worked examples. The arithmetic is written out so a reviewer can check it with a pencil.

describe('computeDistribution: worked examples', () => {
  it('pays everyone in full when the pool covers every loss, even losses below the minimum', () => {
    // S = 40,000 + 500 + 25,000 = 65,500 <= P = 100,000: rule 1, nobody is cut.
    // bob's $5 loss is below the $10 minimum but is still paid: the minimum only applies to
    // pro-rata shares (nothing would be redistributed by holding it back).
    // Leftover = 100,000 - 65,500 = 34,500 stays in the pool.
    const plan = computeDistribution({
      poolAmountCents: 100_000,
      minimumPayoutCents: 1000,
      claims: [claim('carol', 25_000), claim('alice', 40_000), claim('bob', 500)],
    });
    expect(plan).toEqual({
      poolAmountCents: 100_000,
      minimumPayoutCents: 1000,
      basis: 'FULL',
      totalRecognizedLossCents: 65_500,
      totalPayoutCents: 65_500,
      payouts: [
        { claimId: 'alice', recognizedLossCents: 40_000, payoutCents: 40_000 },
        { claimId: 'bob', recognizedLossCents: 500, payoutCents: 500 },
        { claimId: 'carol', recognizedLossCents: 25_000, payoutCents: 25_000 },
      ],
      excluded: [],
      leftoverCents: 34_500,
      rounds: 0,
    });
  });

  it('shares pro rata, gives the leftover cents to the largest remainders and breaks a tie by claim id', () => {
    // P = 1,002, M = 100, S = 1,000 + 1,000 + 1,500 + 700 = 4,200 > P: pro rata.
    // Every share is >= 167 > M = 100, so nobody is excluded.
    //   claim  L      P x L       floor(P x L / S)  remainder (P x L) - floor x S
    //   alice  1,500  1,503,000   357               1,503,000 - 1,499,400 = 3,600
    //   bob    1,000  1,002,000   238               1,002,000 -   999,600 = 2,400
    //   carol    700    701,400   167                 701,400 -   701,400 =     0
    //   dave   1,000  1,002,000   238               1,002,000 -   999,600 = 2,400
    // Floors sum to 357 + 238 + 167 + 238 = 1,000; leftover = 1,002 - 1,000 = 2 cents.
    // Cent 1: alice (remainder 3,600, the largest). Cent 2: bob and dave tie at 2,400; 'bob' <
    // 'dave' in byte order, so bob. dave, with the same loss as bob, gets one cent less.
    const plan = computeDistribution({
      poolAmountCents: 1002,
      minimumPayoutCents: 100,
      claims: [claim('dave', 1000), claim('bob', 1000), claim('alice', 1500), claim('carol', 700)],
    });
    expect(plan.basis).toBe('PRO_RATA');
    expect(plan.payouts).toEqual([
      { claimId: 'alice', recognizedLossCents: 1500, payoutCents: 358 },
      { claimId: 'bob', recognizedLossCents: 1000, payoutCents: 239 },
      { claimId: 'carol', recognizedLossCents: 700, payoutCents: 167 },
      { claimId: 'dave', recognizedLossCents: 1000, payoutCents: 238 },
    ]);
    expect(plan.totalRecognizedLossCents).toBe(4200);
    expect(plan.totalPayoutCents).toBe(1002);
    expect(plan.leftoverCents).toBe(0);
    expect(plan.excluded).toEqual([]);
    expect(plan.rounds).toBe(0);
  });

  it('excludes every claim below the minimum at once; the exclusion never cascades into a second round', () => {
    // P = 10,000, M = 1,000, S = 3,700 + 3,500 + 20,000 + 10,000 = 37,200 > P.
    // Round 1: a share is below M when P x L < M x S, i.e. L < M x S / P = 1,000 x 37,200 /
    // 10,000 = 3,720.
    //   small-a  3,700 < 3,720: share 10,000 x 3,700 / 37,200 = 994.623... -> '994.62', excluded
    //   small-b  3,500 < 3,720: share 10,000 x 3,500 / 37,200 = 940.860... -> '940.86', excluded
    // Both go in the same round. (Had they been removed one at a time, smallest first, small-b's
    // removal would have lifted small-a to 10,000 x 3,700 / 33,700 = 1,097.9 >= M and kept it:
    // the rule compares every share against the same S, so that does not happen.)
    // New S = 30,000 > P, still pro rata. Round 2 would need a share below M, but removing
    // claims only lowers S and so only raises shares: big-b's 10,000 x 10,000 / 30,000 =
    // 3,333.33 >= M. No second round can ever exclude anything; rounds = 1.
    //   big-a 20,000: 200,000,000 / 30,000 = 6,666 r 20,000
    //   big-b 10,000: 100,000,000 / 30,000 = 3,333 r 10,000
    // Floors 9,999, leftover 1 cent -> big-a (larger remainder): 6,667 + 3,333 = 10,000.
    const plan = computeDistribution({
      poolAmountCents: 10_000,
      minimumPayoutCents: 1000,
      claims: [
        claim('big-a', 20_000),
        claim('small-a', 3700),
        claim('big-b', 10_000),
        claim('small-b', 3500),
      ],
    });
    expect(plan).toEqual({
      poolAmountCents: 10_000,
      minimumPayoutCents: 1000,
      basis: 'PRO_RATA',
      totalRecognizedLossCents: 30_000,
      totalPayoutCents: 10_000,
      payouts: [
        { claimId: 'big-a', recognizedLossCents: 20_000, payoutCents: 6667 },
        { claimId: 'big-b', recognizedLossCents: 10_000, payoutCents: 3333 },
      ],
      excluded: [
        {
          claimId: 'small-a',
          recognizedLossCents: 3700,
          reason: 'BELOW_MINIMUM_PAYOUT',
          exactShareCents: '994.62',
          round: 1,
        },
        {
          claimId: 'small-b',
          recognizedLossCents: 3500,
          reason: 'BELOW_MINIMUM_PAYOUT',
          exactShareCents: '940.86',
          round: 1,
        },
      ],
      leftoverCents: 0,
      rounds: 1,
    });
  });

  it('pays the remaining claims in full when the exclusions bring their losses within the pool', () => {
    // P = 1,000, M = 100, S = 50 + 109 + 941 = 1,100 > P.
    // Round 1 threshold: L < M x S / P = 100 x 1,100 / 1,000 = 110.
    //   a  50 < 110: share 1,000 x 50 / 1,100 = 45.4545... -> '45.45', excluded
    //   b 109 < 110: share 1,000 x 109 / 1,100 = 99.0909... -> '99.09', excluded
    // New S = 941 <= P = 1,000: rule 1 for what is left, c is paid its 941 in full.
    // Leftover 1,000 - 941 = 59 stays in the pool (a and b stay excluded: the rule excluded them,
    // and the leftover is there for a later distribution).
    const plan = computeDistribution({
      poolAmountCents: 1000,
      minimumPayoutCents: 100,
      claims: [claim('a', 50), claim('b', 109), claim('c', 941)],
    });
    expect(plan.basis).toBe('FULL');
    expect(plan.payouts).toEqual([{ claimId: 'c', recognizedLossCents: 941, payoutCents: 941 }]);
    expect(plan.excluded.map((e) => [e.claimId, e.exactShareCents, e.round])).toEqual([
      ['a', '45.45', 1],
      ['b', '99.09', 1],
    ]);
    expect(plan.totalRecognizedLossCents).toBe(941);
    expect(plan.totalPayoutCents).toBe(941);
    expect(plan.leftoverCents).toBe(59);
    expect(plan.rounds).toBe(1);
  });

  it('handles a single claim: it takes the whole pool, or its loss, or nothing when the pool is below the minimum', () => {
    // P = 5,000 < L = 8,000: share = 5,000 x 8,000 / 8,000 = 5,000 >= M = 1,000 -> 5,000.
    const short = computeDistribution({ poolAmountCents: 5000, claims: [claim('only', 8000)] });
    expect(payoutsById(short)).toEqual({ only: 5000 });
    expect(short.leftoverCents).toBe(0);
    // P = 9,000 >= L = 8,000: paid in full, 1,000 left over.
    const covered = computeDistribution({ poolAmountCents: 9000, claims: [claim('only', 8000)] });
    expect(payoutsById(covered)).toEqual({ only: 8000 });
    expect(covered.leftoverCents).toBe(1000);
    // P = 900: share = 900 < M = 1,000 -> excluded; nothing paid, the 900 stays in the pool.
    const tooSmall = computeDistribution({ poolAmountCents: 900, claims: [claim('only', 8000)] });
    expect(tooSmall.payouts).toEqual([]);
    expect(tooSmall.excluded).toEqual([
      {
        claimId: 'only',
        recognizedLossCents: 8000,
        reason: 'BELOW_MINIMUM_PAYOUT',
        exactShareCents: '900.00',
        round: 1,
      },
    ]);
    expect(tooSmall.totalPayoutCents).toBe(0);
    expect(tooSmall.leftoverCents).toBe(900);
  });

  it('with a minimum of 0 excludes nobody, so a claim can be paid 0 cents', () => {
    // P = 2, S = 1 + 1 + 1 = 3: each share is 2/3 of a cent; floors 0, remainders 2 each.
    // Leftover 2 cents go to the two smallest ids of the three-way tie: x and y.
    const plan = computeDistribution({
      poolAmountCents: 2,
      minimumPayoutCents: 0,
      claims: [claim('z', 1), claim('y', 1), claim('x', 1)],
    });
    expect(payoutsById(plan)).toEqual({ x: 1, y: 1, z: 0 });
    expect(plan.excluded).toEqual([]);
    // An empty pool with M = 0: every share is 0, every claim stays in the plan with 0.
    const empty = computeDistribution({ poolAmountCents: 0, minimumPayoutCents: 0, claims: [claim('x', 5)] });
    expect(payoutsById(empty)).toEqual({ x: 0 });
    expect(empty.basis).toBe('PRO_RATA');
  });

  it('excludes everyone from an empty pool when there is a minimum', () => {
    // P = 0: every share is 0 < M, all excluded in round 1; the (empty) rest is "covered".
    const plan = computeDistribution({ poolAmountCents: 0, claims: [claim('x', 5), claim('y', 7)] });
    expect(plan.payouts).toEqual([]);
    expect(plan.excluded.map((e) => e.exactShareCents)).toEqual(['0.00', '0.00']);
    expect(plan.totalPayoutCents).toBe(0);
    expect(plan.leftoverCents).toBe(0);
  });

  it('accepts no claims at all: the whole pool is left over', () => {
    const plan = computeDistribution({ poolAmountCents: 12_345, claims: [] });
    expect(plan).toMatchObject({
      payouts: [],
      excluded: [],
      totalPayoutCents: 0,
      leftoverCents: 12_345,
      rounds: 0,
    });
  });

  it('uses the FTC $10 minimum by default', () => {
    expect(DEFAULT_MINIMUM_PAYOUT_CENTS).toBe(1000);
    // P = 10,000, S = 100,000 + 9,000 = 109,000: the small share is 10,000 x 9,000 / 109,000 =
    // 825.68 cents < 1,000.
    const plan = computeDistribution({
      poolAmountCents: 10_000,
      claims: [claim('a', 100_000), claim('b', 9000)],
    });
    expect(plan.minimumPayoutCents).toBe(1000);
    expect(plan.excluded.map((e) => [e.claimId, e.exactShareCents])).toEqual([['b', '825.68']]);
    // S = 100,000 > P: a takes the whole pool.
    expect(payoutsById(plan)).toEqual({ a: 10_000 });
  });

  it('stays exact where doubles would not: a pool of 10^13 cents against losses near 2^53 / 1000', () => {
    // P = 10,000,000,000,000 (a $100bn pool), L_a = L_b = 9,007,199,254,740 (floor(2^53 / 1000)),
    // L_c = L_a - 1. S = 3 L_a - 1 = 27,021,597,764,219 > P; every share is about P / 3.
    // P x L_a = 90,071,992,547,400,000,000,000,000 (~9 x 10^25, far past 2^53)
    //   = 3,333,333,333,333 x S + 12,340,532,588,073
    // P x L_c = P x L_a - 10^13: same quotient, remainder 2,340,532,588,073.
    // Floors sum to 9,999,999,999,999: 1 cent left, a and b tie on the largest remainder, a wins.
    const L = Math.floor(MAX_SAFE / 1000);
    const plan = computeDistribution({
      poolAmountCents: 10_000_000_000_000,
      claims: [claim('c', L - 1), claim('b', L), claim('a', L)],
    });
    expect(payoutsById(plan)).toEqual({ a: 3_333_333_333_334, b: 3_333_333_333_333, c: 3_333_333_333_333 });
    expect(plan.totalRecognizedLossCents).toBe(27_021_597_764_219);
    expect(plan.totalPayoutCents).toBe(10_000_000_000_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Typed errors

describe('computeDistribution: invalid input', () => {
  const ok: DistributionInput = { poolAmountCents: 1000, claims: [claim('a', 10)] };

  it.each([
    ['poolAmountCents', { ...ok, poolAmountCents: -1 }],
    ['poolAmountCents', { ...ok, poolAmountCents: 10.5 }],
    ['poolAmountCents', { ...ok, poolAmountCents: Number.NaN }],
    ['poolAmountCents', { ...ok, poolAmountCents: Number.POSITIVE_INFINITY }],
    ['poolAmountCents', { ...ok, poolAmountCents: 2 ** 53 }],
    ['poolAmountCents', { ...ok, poolAmountCents: '1000' as unknown as number }],
    ['minimumPayoutCents', { ...ok, minimumPayoutCents: -1 }],
    ['minimumPayoutCents', { ...ok, minimumPayoutCents: 0.5 }],
    ['claims', { ...ok, claims: 'a' as unknown as ApprovedClaim[] }],
    ['claims.1', { ...ok, claims: [claim('a', 1), null as unknown as ApprovedClaim] }],
    ['claims.0.claimId', { ...ok, claims: [claim('', 1)] }],
    [
      'claims.0.claimId',
      { ...ok, claims: [{ claimId: 7, recognizedLossCents: 1 } as unknown as ApprovedClaim] },
    ],
    ['claims.1.recognizedLossCents', { ...ok, claims: [claim('a', 1), claim('b', 0)] }],
    ['claims.0.recognizedLossCents', { ...ok, claims: [claim('a', -5)] }],
    ['claims.0.recognizedLossCents', { ...ok, claims: [claim('a', 1.5)] }],
    ['claims.0.recognizedLossCents', { ...ok, claims: [claim('a', 2 ** 53)] }],
    ['claims.0.recognizedLossCents', { ...ok, claims: [claim('a', Number.NaN)] }],
  ])('rejects a bad %s', (path, input) => {
    const error = catchError(() => computeDistribution(input));
    expect(error).toBeInstanceOf(InvalidDistributionInputError);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as InvalidDistributionInputError).path).toBe(path);
    expect((error as InvalidDistributionInputError).code).toBe('INVALID_DISTRIBUTION_INPUT');
  });

  it('rejects a claim id that appears twice, in a short list and in a long one', () => {
    const short = [claim('a', 10), claim('b', 20), claim('a', 30)];
    expect(() => computeDistribution({ poolAmountCents: 5, claims: short })).toThrow(DuplicateClaimError);
    const long = Array.from({ length: 5000 }, (_, i) => claim(`CLM-${String(i).padStart(6, '0')}`, 100 + i));
    long.push(claim('CLM-003141', 1));
    const error = catchError(() => computeDistribution({ poolAmountCents: 5, claims: long }));
    expect(error).toBeInstanceOf(DuplicateClaimError);
    expect((error as DuplicateClaimError).claimId).toBe('CLM-003141');
    expect((error as DuplicateClaimError).code).toBe('DUPLICATE_CLAIM');
  });

  it('refuses a plan whose total recognised loss cannot be reported exactly', () => {
    // M = 0 keeps both claims; S = 2 (2^53 - 1) > 2^53.
    const input = {
      poolAmountCents: 1000,
      minimumPayoutCents: 0,
      claims: [claim('a', MAX_SAFE), claim('b', MAX_SAFE)],
    };
    expect(() => computeDistribution(input)).toThrow(DistributionOverflowError);
    // With the default minimum both shares (500 cents) are excluded and nothing overflows.
    expect(computeDistribution({ ...input, minimumPayoutCents: 1000 }).excluded).toHaveLength(2);
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

// ---------------------------------------------------------------------------------------------
// explainPayout

describe('explainPayout', () => {
  const plan = computeDistribution({
    poolAmountCents: 10_000,
    minimumPayoutCents: 1000,
    claims: [claim('big-a', 20_000), claim('small-a', 3700), claim('big-b', 10_000), claim('small-b', 3500)],
  });

  it('gives the figures for a pro-rata payout', () => {
    // big-b: 10,000 / 30,000 = 33.333...% of the losses in the plan; 3,333 / 10,000 = 33.33% of its loss.
    expect(explainPayout(plan, 'big-b')).toEqual({
      outcome: 'PAID_PRO_RATA',
      claimId: 'big-b',
      poolAmountCents: 10_000,
      totalRecognizedLossCents: 30_000,
      recognizedLossCents: 10_000,
      sharePercent: '33.33',
      payoutCents: 3333,
      percentOfLossPaid: '33.33',
      minimumPayoutCents: 1000,
    });
  });

  it('explains an exclusion with the total the share was computed against', () => {
    // small-b was excluded in round 1, when S was 37,200: 3,500 / 37,200 = 9.408...%.
    expect(explainPayout(plan, 'small-b')).toEqual({
      outcome: 'EXCLUDED',
      claimId: 'small-b',
      poolAmountCents: 10_000,
      totalRecognizedLossCents: 37_200,
      recognizedLossCents: 3500,
      sharePercent: '9.40',
      payoutCents: 0,
      reason: 'BELOW_MINIMUM_PAYOUT',
      exactShareCents: '940.86',
      minimumPayoutCents: 1000,
    });
  });

  it('says when a claim was paid in full', () => {
    const full = computeDistribution({ poolAmountCents: 100, claims: [claim('a', 30), claim('b', 10)] });
    expect(explainPayout(full, 'b')).toMatchObject({
      outcome: 'PAID_IN_FULL',
      sharePercent: '25.00',
      payoutCents: 10,
      percentOfLossPaid: '100.00',
    });
  });

  it('refuses a claim that is not in the plan', () => {
    expect(() => explainPayout(plan, 'nobody')).toThrow(ClaimNotInPlanError);
  });
});

// ---------------------------------------------------------------------------------------------
// Claim id order

describe('claim id order', () => {
  it('is UTF-8 byte order, not UTF-16 code unit or locale order', () => {
    // U+FF61 is EF BD A1 in UTF-8; U+1F600 is F0 9F 98 80. In UTF-16 the emoji starts with
    // 0xD83D < 0xFF61, so code-unit order would put it first.
    expect(compareClaimIds('\uFF61', '\u{1F600}')).toBeLessThan(0);
    expect(compareClaimIds('B', 'a')).toBeLessThan(0); // byte order: uppercase first
    expect(compareClaimIds('ab', 'abc')).toBeLessThan(0);
    expect(compareClaimIds('abc', 'abc')).toBe(0);
  });

  it('agrees with a byte-by-byte comparison of the UTF-8 encodings', () => {
    const text = fc.string({ unit: 'binary', maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareClaimIds(a, b))).toBe(Math.sign(byteCompare(a, b)));
      }),
      { numRuns: RUNS },
    );
  });

  it('sorts id sets with shared prefixes and prefixes of other ids, and finds duplicates', () => {
    const idText = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('x', '\u00e9', '\uFF61', '\u{1F600}', '-'), maxLength: 12 }),
      fc.nat(3000).map((n) => `POOL-${n % 3}-CLAIM-${String(n).padStart(5, '0')}`),
    );
    fc.assert(
      fc.property(fc.array(idText, { minLength: 0, maxLength: 400 }), (ids) => {
        const { order, duplicate } = sortByClaimId(ids);
        const sorted = Array.from(order, (i) => ids[i]!);
        expect([...order].sort((x, y) => x - y)).toEqual(ids.map((_, i) => i));
        expect(sorted).toEqual([...ids].sort(byteCompare));
        const unique = new Set(ids).size === ids.length;
        expect(duplicate === undefined).toBe(unique);
        if (duplicate !== undefined) expect(ids.filter((id) => id === duplicate).length).toBeGreaterThan(1);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Generators

const SAFE_THOUSANDTH = Math.floor(MAX_SAFE / 1000); // 9,007,199,254,740: 1,000 of them still fit

const claimIdArb = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
  fc.nat(99_999).map((n) => `CLM-${String(n).padStart(5, '0')}`),
);

/** Loss profiles, one per generated case, so cases have many equal, tiny or huge losses. */
const lossArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }), // tiny
  fc.integer({ min: 100, max: 100_000_000 }), // ordinary, up to $1M
  fc.integer({ min: SAFE_THOUSANDTH - 1_000_000, max: SAFE_THOUSANDTH }), // near 2^53 / 1000
  fc.integer({ min: 1, max: SAFE_THOUSANDTH }),
);

function claimsArb(maxLength: number): fc.Arbitrary<ApprovedClaim[]> {
  const ids = fc.uniqueArray(claimIdArb, { minLength: 1, maxLength });
  return fc.oneof(
    // Independent losses from one profile.
    fc
      .tuple(ids, lossArb)
      .chain(([list, profile]) =>
        fc.tuple(
          fc.constant(list),
          fc.array(profileOf(profile), { minLength: list.length, maxLength: list.length }),
        ),
      )
      .map(([list, losses]) => list.map((id, i) => claim(id, losses[i]!))),
    // Everyone lost the same amount: every remainder ties, the id decides.
    fc.tuple(ids, lossArb).map(([list, loss]) => list.map((id) => claim(id, loss))),
    // Only a couple of distinct amounts.
    fc
      .tuple(ids, lossArb, lossArb)
      .chain(([list, a, b]) =>
        fc
          .array(fc.boolean(), { minLength: list.length, maxLength: list.length })
          .map((picks) => list.map((id, i) => claim(id, picks[i] ? a : b))),
      ),
  );
}

/** The same magnitude as the sample loss: tiny stays tiny, huge stays huge. */
function profileOf(sample: number): fc.Arbitrary<number> {
  if (sample <= 100) return fc.integer({ min: 1, max: 100 });
  if (sample >= SAFE_THOUSANDTH - 1_000_000)
    return fc.integer({ min: SAFE_THOUSANDTH - 1_000_000, max: SAFE_THOUSANDTH });
  return fc.integer({ min: 1, max: Math.min(SAFE_THOUSANDTH, sample * 10) });
}

/** Many tiny claims: most of them fall below any minimum. */
const manyTinyClaimsArb = fc
  .uniqueArray(
    fc.nat(1_000_000).map((n) => `T${n}`),
    { minLength: 50, maxLength: 600 },
  )
  .chain((list) =>
    fc
      .array(fc.integer({ min: 1, max: 2000 }), { minLength: list.length, maxLength: list.length })
      .map((losses) => list.map((id, i) => claim(id, losses[i]!))),
  );

/** Absolute minimums, and minimums scaled to the average share P / n so that some claims fall below. */
const minimumSpecArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('absolute' as const), value: fc.constant(0) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('absolute' as const), value: fc.constant(1000) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('absolute' as const),
      value: fc.integer({ min: 0, max: 100_000 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('absolute' as const),
      value: fc.integer({ min: 0, max: 10_000_000_000_000 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('relative' as const),
      value: fc.integer({ min: 0, max: 1500 }).map((x) => x / 1000),
    }),
    weight: 4,
  },
);

function inputArb(claims: fc.Arbitrary<ApprovedClaim[]>): fc.Arbitrary<DistributionInput> {
  // Mostly a pool short of the losses (the interesting case), sometimes absolute amounts.
  const poolSpec = fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('fraction' as const),
        value: fc.integer({ min: 1, max: 1200 }).map((x) => x / 1000),
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('absolute' as const),
        value: fc.integer({ min: 0, max: 100_000 }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('absolute' as const),
        value: fc.integer({ min: 10_000_000_000_000 - 1_000_000, max: 10_000_000_000_000 }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('absolute' as const),
        value: fc.integer({ min: 0, max: MAX_SAFE }),
      }),
      weight: 1,
    },
  );
  return fc.tuple(claims, poolSpec, minimumSpecArb).map(([list, spec, minimum]) => {
    const total = list.reduce((sum, c) => sum + c.recognizedLossCents, 0);
    const poolAmountCents =
      spec.kind === 'fraction' ? Math.min(MAX_SAFE, Math.floor(total * spec.value)) : spec.value;
    const minimumPayoutCents =
      minimum.kind === 'absolute'
        ? minimum.value
        : Math.min(MAX_SAFE, Math.floor((poolAmountCents / Math.max(1, list.length)) * minimum.value));
    return { poolAmountCents, claims: list, minimumPayoutCents };
  });
}

const anyInputArb = fc.oneof(
  { arbitrary: inputArb(claimsArb(200)), weight: 4 },
  { arbitrary: inputArb(manyTinyClaimsArb), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Properties

describe('computeDistribution: properties', () => {
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

  it('pays out exactly min(pool, losses in the plan), accounts for every claim and leaves the rest in the pool', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        const paid = sum(plan.payouts.map((p) => p.payoutCents));
        expect(paid).toBe(plan.totalPayoutCents);
        expect(plan.totalRecognizedLossCents).toBe(sum(plan.payouts.map((p) => p.recognizedLossCents)));
        expect(plan.totalPayoutCents).toBe(Math.min(input.poolAmountCents, plan.totalRecognizedLossCents));
        expect(plan.leftoverCents).toBe(input.poolAmountCents - plan.totalPayoutCents);
        const accounted = [...plan.payouts, ...plan.excluded].map((c) => c.claimId).sort();
        expect(accounted).toEqual(input.claims.map((c) => c.claimId).sort());
      }),
      { numRuns: RUNS },
    );
  });

  it('never pays less than 0 or more than the loss; pays the loss itself when the basis is FULL', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        for (const p of plan.payouts) {
          expect(p.payoutCents).toBeGreaterThanOrEqual(0);
          expect(p.payoutCents).toBeLessThanOrEqual(p.recognizedLossCents);
          if (plan.basis === 'FULL') expect(p.payoutCents).toBe(p.recognizedLossCents);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is monotone: a larger loss never gets a smaller payment (excluded claims count as 0)', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        const all = [
          ...plan.payouts.map((p) => [p.recognizedLossCents, p.payoutCents] as const),
          ...plan.excluded.map((e) => [e.recognizedLossCents, 0] as const),
        ].sort((a, b) => a[0] - b[0]);
        let bestOfSmallerLosses = Number.NEGATIVE_INFINITY;
        let i = 0;
        while (i < all.length) {
          let j = i;
          let bestHere = Number.NEGATIVE_INFINITY;
          while (j < all.length && all[j]![0] === all[i]![0]) {
            expect(all[j]![1]).toBeGreaterThanOrEqual(bestOfSmallerLosses);
            bestHere = Math.max(bestHere, all[j]![1]);
            j++;
          }
          bestOfSmallerLosses = Math.max(bestOfSmallerLosses, bestHere);
          i = j;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same plan whatever the order of the claims, and the same plan on every run', () => {
    const shuffled = anyInputArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray([...input.claims], {
          minLength: input.claims.length,
          maxLength: input.claims.length,
        }),
      ),
    );
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        const plan = computeDistribution(input);
        expect(computeDistribution({ ...input, claims: reordered })).toEqual(plan);
        expect(computeDistribution(structuredClone(input))).toEqual(plan);
      }),
      { numRuns: RUNS },
    );
  });

  it('pays at least the minimum to every claim once money is short (exactly: floor of a share >= M is >= M)', () => {
    // When the pool is short, every claim kept has P x L >= M x S, so floor(P x L / S) >= M as M
    // is a whole number of cents. When exclusions made the rest fit, each kept L >= M x S_before
    // / P > M. Only a pool that covered everything from the start can pay below M.
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        const M = plan.minimumPayoutCents;
        if (plan.basis === 'PRO_RATA' || plan.rounds > 0) {
          for (const p of plan.payouts) expect(p.payoutCents).toBeGreaterThanOrEqual(M);
        }
        if (plan.rounds > 0 && M > 0) {
          for (const p of plan.payouts) expect(p.recognizedLossCents).toBeGreaterThan(M);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('excludes exactly the claims whose exact share was below the minimum, with the share it had then', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        const P = BigInt(plan.poolAmountCents);
        const M = BigInt(plan.minimumPayoutCents);
        const totalAtRound = (round: number) =>
          plan.excluded
            .filter((e) => e.round >= round)
            .reduce((s, e) => s + BigInt(e.recognizedLossCents), BigInt(plan.totalRecognizedLossCents));
        for (const e of plan.excluded) {
          const S = totalAtRound(e.round);
          expect(S > P).toBe(true); // exclusions only happen when money is short
          expect(P * BigInt(e.recognizedLossCents) < M * S).toBe(true);
          const hundredths = (P * BigInt(e.recognizedLossCents) * 100n) / S;
          expect(e.exactShareCents).toBe(
            `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`,
          );
        }
        // The fixpoint: nobody left in a pro-rata plan is below the minimum.
        const S = BigInt(plan.totalRecognizedLossCents);
        if (plan.basis === 'PRO_RATA') {
          for (const p of plan.payouts) expect(P * BigInt(p.recognizedLossCents) >= M * S).toBe(true);
        }
        // Excluding claims only raises the others' shares, so one round always settles it.
        expect(plan.rounds).toBeLessThanOrEqual(1);
        expect(plan.rounds).toBe(plan.excluded.length > 0 ? 1 : 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('hands the leftover cents to the largest remainders, ties to the smaller claim id', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        if (plan.basis !== 'PRO_RATA') return;
        const P = BigInt(plan.poolAmountCents);
        const S = BigInt(plan.totalRecognizedLossCents);
        const withCent: { r: bigint; id: string }[] = [];
        const without: { r: bigint; id: string }[] = [];
        for (const p of plan.payouts) {
          const product = P * BigInt(p.recognizedLossCents);
          const extra = BigInt(p.payoutCents) - product / S;
          expect(extra === 0n || extra === 1n).toBe(true);
          (extra === 1n ? withCent : without).push({ r: product % S, id: p.claimId });
        }
        // Every claim that got a cent ranks above every claim that did not.
        const ranksAbove = (a: { r: bigint; id: string }, b: { r: bigint; id: string }) =>
          a.r > b.r || (a.r === b.r && byteCompare(a.id, b.id) < 0);
        if (withCent.length > 0 && without.length > 0) {
          const weakestWinner = withCent.reduce((w, c) => (ranksAbove(w, c) ? c : w));
          const strongestLoser = without.reduce((s, c) => (ranksAbove(c, s) ? c : s));
          expect(ranksAbove(weakestWinner, strongestLoser)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('lists payouts and exclusions in UTF-8 byte order of claim id', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const plan = computeDistribution(input);
        for (const list of [plan.payouts, plan.excluded] as readonly (readonly { claimId: string }[])[]) {
          for (let i = 1; i < list.length; i++) {
            expect(byteCompare(list[i - 1]!.claimId, list[i]!.claimId)).toBeLessThan(0);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('matches a brute-force reference built from the rules in rational arithmetic', () => {
    const small = fc.oneof(
      inputArb(claimsArb(30)),
      inputArb(manyTinyClaimsArb.map((list) => list.slice(0, 30))),
    );
    fc.assert(
      fc.property(small, (input) => {
        expect(computeDistribution(input)).toEqual(referenceDistribution(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('explains every claim consistently with the plan', () => {
    fc.assert(
      fc.property(inputArb(claimsArb(40)), (input) => {
        const plan = computeDistribution(input);
        for (const p of plan.payouts) {
          const e = explainPayout(plan, p.claimId);
          expect(e.payoutCents).toBe(p.payoutCents);
          expect(e.outcome).toBe(plan.basis === 'FULL' ? 'PAID_IN_FULL' : 'PAID_PRO_RATA');
          expect(e.sharePercent).toMatch(/^\d+\.\d\d$/);
        }
        for (const x of plan.excluded) expect(explainPayout(plan, x.claimId).outcome).toBe('EXCLUDED');
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The reference: the rules read literally, no shortcuts. Exact shares are fractions (P x L) / S
// kept as BigInt numerator and denominator; rounds repeat until nobody is below the minimum.

function referenceDistribution(input: DistributionInput): DistributionPlan {
  const P = BigInt(input.poolAmountCents);
  const M = BigInt(input.minimumPayoutCents ?? 1000);
  const total = (list: readonly ApprovedClaim[]) =>
    list.reduce((s, c) => s + BigInt(c.recognizedLossCents), 0n);
  let inPlan = [...input.claims];
  const excluded: ExcludedClaim[] = [];
  let rounds = 0;
  for (;;) {
    const S = total(inPlan);
    if (S <= P) break;
    // share = P x L / S < M  <=>  P x L < M x S
    const below = inPlan.filter((c) => P * BigInt(c.recognizedLossCents) < M * S);
    if (below.length === 0) break;
    rounds++;
    for (const c of below) {
      const hundredths = (P * BigInt(c.recognizedLossCents) * 100n) / S;
      excluded.push({
        claimId: c.claimId,
        recognizedLossCents: c.recognizedLossCents,
        reason: 'BELOW_MINIMUM_PAYOUT',
        exactShareCents: `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`,
        round: rounds,
      });
    }
    inPlan = inPlan.filter((c) => !below.includes(c));
  }
  const S = total(inPlan);
  let payouts: Payout[];
  if (S <= P) {
    payouts = inPlan.map((c) => ({ ...c, payoutCents: c.recognizedLossCents }));
  } else {
    const shares = inPlan.map((c) => {
      const product = P * BigInt(c.recognizedLossCents);
      return { c, floor: product / S, remainder: product % S };
    });
    let leftover = P - shares.reduce((s, x) => s + x.floor, 0n);
    const ranked = [...shares].sort((a, b) =>
      a.remainder !== b.remainder
        ? a.remainder > b.remainder
          ? -1
          : 1
        : byteCompare(a.c.claimId, b.c.claimId),
    );
    const extra = new Set<ApprovedClaim>();
    for (const x of ranked) {
      if (leftover === 0n) break;
      extra.add(x.c);
      leftover--;
    }
    payouts = shares.map((x) => ({
      claimId: x.c.claimId,
      recognizedLossCents: x.c.recognizedLossCents,
      payoutCents: Number(x.floor) + (extra.has(x.c) ? 1 : 0),
    }));
  }
  payouts.sort((a, b) => byteCompare(a.claimId, b.claimId));
  excluded.sort((a, b) => byteCompare(a.claimId, b.claimId));
  const totalLoss = Number(S);
  const totalPayout = Math.min(input.poolAmountCents, totalLoss);
  return {
    poolAmountCents: input.poolAmountCents,
    minimumPayoutCents: Number(M),
    basis: S <= P ? 'FULL' : 'PRO_RATA',
    totalRecognizedLossCents: totalLoss,
    totalPayoutCents: totalPayout,
    payouts: payouts.map((p) => ({
      claimId: p.claimId,
      recognizedLossCents: p.recognizedLossCents,
      payoutCents: p.payoutCents,
    })),
    excluded,
    leftoverCents: input.poolAmountCents - totalPayout,
    rounds,
  };
}

// ---------------------------------------------------------------------------------------------
// Later rounds: never more than the loss, across every round

describe('later rounds (domain/rounds.ts)', () => {
  const DAY = 86_400_000;
  const WAIT = 90;
  type Outcome = 'PAID' | 'RETURNED_UPDATED' | 'RETURNED_SILENT' | 'VOID_SILENT';
  const outcomeArb = fc.constantFrom<Outcome>(
    'PAID',
    'PAID',
    'RETURNED_UPDATED',
    'RETURNED_SILENT',
    'VOID_SILENT',
  );

  /**
   * Up to four rounds over one pool. Each round is computed from the claims' ledgers exactly as
   * the plan job does, checked against the brute-force reference, then every payment gets a
   * random result (paid, returned and re-addressed in time, returned or voided and never
   * answered) and 100 days pass. After every round: nobody has more paid or on its way than
   * their loss, and the pool never pays out more than it holds.
   */
  it('pays no claim more than its loss and the pool no more than its amount, whatever comes back', () => {
    const scenario = fc.record({
      pool: fc.integer({ min: 0, max: 5_000_000 }),
      minimum: fc.integer({ min: 0, max: 5_000 }),
      losses: fc.array(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 1, maxLength: 25 }),
      outcomes: fc.array(fc.array(outcomeArb, { minLength: 25, maxLength: 25 }), {
        minLength: 4,
        maxLength: 4,
      }),
      lateApprovals: fc.array(fc.integer({ min: 1, max: 500_000 }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(scenario, ({ pool, minimum, losses, outcomes, lateApprovals }) => {
        const ledger = new Map<string, LedgerClaim & { payout?: LedgerClaim['payout'] }>();
        losses.forEach((loss, i) => {
          const id = `C${String(i).padStart(3, '0')}`;
          ledger.set(id, { claimId: id, status: 'APPROVED', version: 1, recognizedLossCents: loss });
        });
        let now = Date.UTC(2027, 0, 1);
        for (let round = 0; round < 4; round++) {
          const late = lateApprovals[round];
          if (late !== undefined) {
            const id = `L${round}`;
            ledger.set(id, { claimId: id, status: 'APPROVED', version: 1, recognizedLossCents: late });
          }
          const input = roundInput(pool, [...ledger.values()], new Date(now), WAIT);
          expect(input.moneyLeftCents).toBe(Math.max(0, pool - input.paidCents - input.committedCents));
          const payments: { claimId: string; cents: number; reissueOf?: string }[] = [];
          if (input.moneyLeftCents > 0 && input.claims.length > 0) {
            const plan = computeDistribution({
              poolAmountCents: input.moneyLeftCents,
              minimumPayoutCents: minimum,
              claims: input.claims.map((c) => ({
                claimId: c.claimId,
                recognizedLossCents: c.recognizedLossCents,
              })),
            });
            expect(plan).toEqual(
              referenceDistribution({
                poolAmountCents: input.moneyLeftCents,
                minimumPayoutCents: minimum,
                claims: input.claims.map((c) => ({
                  claimId: c.claimId,
                  recognizedLossCents: c.recognizedLossCents,
                })),
              }),
            );
            for (const p of plan.payouts)
              if (p.payoutCents > 0) payments.push({ claimId: p.claimId, cents: p.payoutCents });
            for (const x of plan.excluded) {
              const c = ledger.get(x.claimId)!;
              if (c.status === 'APPROVED')
                ledger.set(x.claimId, { ...c, status: 'CLOSED', version: c.version + 1 });
            }
          }
          for (const r of input.reissues)
            payments.push({ claimId: r.claimId, cents: r.payoutCents, reissueOf: r.reissueOf });
          // Approval schedules every payment.
          for (const p of payments) {
            const c = ledger.get(p.claimId)!;
            ledger.set(p.claimId, {
              ...c,
              status: 'PAYMENT_SCHEDULED',
              version: c.version + 1,
              payout: { distributionId: `D${round}`, payoutCents: p.cents, state: 'SCHEDULED' },
            });
          }
          checkLedger(ledger, pool, new Date(now));
          // The bank reports; some claimants answer in time, some never.
          payments.forEach((p, i) => {
            const c = ledger.get(p.claimId)!;
            const outcome = outcomes[round]![i % 25]!;
            const at = new Date(now + DAY).toISOString();
            if (outcome === 'PAID') {
              ledger.set(p.claimId, {
                ...c,
                status: 'PAID',
                version: c.version + 1,
                paidCents: (c.paidCents ?? 0) + p.cents,
                payout: { ...c.payout!, state: 'PAID' },
              });
            } else {
              ledger.set(p.claimId, {
                ...c,
                status: 'PAYMENT_RETURNED',
                version: c.version + 1,
                payout: { ...c.payout!, state: 'RETURNED', returnedAt: at },
                ...(outcome === 'RETURNED_UPDATED'
                  ? { paymentDetailsUpdatedAt: new Date(now + 2 * DAY).toISOString() }
                  : {}),
              });
            }
          });
          checkLedger(ledger, pool, new Date(now + 2 * DAY));
          now += 100 * DAY;
          checkLedger(ledger, pool, new Date(now));
        }
      }),
      { numRuns: 500 },
    );
  });

  function checkLedger(ledger: ReadonlyMap<string, LedgerClaim>, pool: number, now: Date) {
    const input = roundInput(pool, [...ledger.values()], now, WAIT);
    expect(input.paidCents + input.committedCents).toBeLessThanOrEqual(pool);
    for (const c of ledger.values()) {
      const single = roundInput(pool, [c], now, WAIT);
      expect(single.paidCents + single.committedCents).toBeLessThanOrEqual(c.recognizedLossCents!);
    }
  }

  it('tells a returned payment to wait, to be reissued, or to lapse, by the days since it came back', () => {
    const returnedAt = '2027-01-01T00:00:00.000Z';
    const base: LedgerClaim = {
      claimId: 'C1',
      status: 'PAYMENT_RETURNED',
      version: 3,
      recognizedLossCents: 10_000,
      payout: { distributionId: 'D1', payoutCents: 6_000, state: 'RETURNED', returnedAt },
    };
    const at = (days: number) => new Date(Date.parse(returnedAt) + days * DAY);
    // Waiting: its money stays committed, nothing is reissued yet.
    expect(roundInput(6_000, [base], at(30), WAIT)).toMatchObject({
      moneyLeftCents: 0,
      reissues: [],
      claims: [],
    });
    // New details in time: reissued as it was.
    const updated = { ...base, paymentDetailsUpdatedAt: at(10).toISOString() };
    expect(roundInput(6_000, [updated], at(200), WAIT).reissues).toEqual([
      { claimId: 'C1', payoutCents: 6_000, version: 3, reissueOf: 'D1' },
    ]);
    // No answer in time: the money is free and the claimant joins no round until they answer.
    expect(roundInput(6_000, [base], at(91), WAIT)).toMatchObject({ moneyLeftCents: 6_000, claims: [] });
    // A late answer: they join the next round for what they are still short.
    const late = { ...base, paymentDetailsUpdatedAt: at(120).toISOString() };
    expect(roundInput(6_000, [late], at(121), WAIT)).toMatchObject({
      moneyLeftCents: 6_000,
      claims: [{ claimId: 'C1', recognizedLossCents: 10_000, version: 3 }],
    });
  });
});
