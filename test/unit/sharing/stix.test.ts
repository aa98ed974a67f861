/**
 * Every STIX object Restore emits, checked against the STIX 2.1 property tables (our JSON
 * schemas), the pattern grammar, TLP 2.0 marking and the JSON schemas of our own extension
 * definitions: identifiers of every shared kind, normalised by the real normalisers, with
 * random counts, losses, categories and dates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categories } from '#shared/domain/enums.ts';
import { normaliseIndicator } from '#shared/domain/indicators/indicator.ts';
import {
  agencyIdentityId,
  extensionId,
  indicatorId,
  indicatorObject,
  patternFor,
  referenceObjects,
  type SharingContext,
  stixString,
  TLP_MARKING_IDS,
  tlpLevels,
} from '#shared/domain/sharing/stix.ts';
import {
  confidenceFor,
  lossBand,
  type ShareableType,
  type SharedIndicator,
  shareableTypes,
  summarise,
} from '#shared/domain/sharing/summary.ts';
import { bundleChunks } from '#shared/use-cases/export-bundle.ts';
import { TEST_KEY, wallets } from '#test/support/factories.ts';
import { parsePattern } from '#test/support/stix/pattern-grammar.ts';
import { bundleProblems, newTally, problemsOf } from '#test/support/stix/validate.ts';

/** Identifiers as victims type them, per shared kind; normalised by the real code below. */
const RAW: Readonly<Record<ShareableType, readonly string[]>> = {
  phone: ['(202) 555-0143', '+44 20 7946 0958', '+63 917 123 4567'],
  email: ['agent@irs-payments.example.com', "o'brien+refund@scam-refunds.com"],
  // A public address: documentation ranges (203.0.113.0/24) are refused as reserved since issue 10.
  domain: ['https://www.irs-payments.co.uk/pay', 'secure-login.example.com', '93.184.216.34'],
  'crypto-wallet': [wallets.btc, wallets.eth, wallets.tron],
  'bank-account': ['011000015:123456789', 'DE89 3704 0044 0532 0130 00', 'DEUTDEFF/0532013000'],
  'payment-app': [
    'cash-app:$ScamKing',
    'zelle:pay@scam-refunds.com',
    'venmo:@fake-agent',
    'zelle:(202) 555-0143',
  ],
  'social-handle': [
    'https://www.instagram.com/fake.agent',
    'https://x.com/irs_helpdesk',
    'https://t.me/refund_desk',
  ],
};

const identifiers = shareableTypes.flatMap((type) =>
  RAW[type].map((raw) => {
    const result = normaliseIndicator(type, raw, TEST_KEY);
    if (!result.ok) throw new Error(`${type} ${raw}: ${result.reason}`);
    return { type: result.indicator.type as ShareableType, value: result.indicator.value };
  }),
);

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-01-02T00:00:00.000Z');

const sharedArb = fc
  .record({
    identifier: fc.constantFrom(...identifiers),
    firstOffset: fc.integer({ min: 0, max: 3e10 }),
    span: fc.integer({ min: 0, max: 3e10 }),
    reportCount: fc.integer({ min: 1, max: 5_000 }),
    loss: fc.dictionary(fc.constantFrom('USD', 'EUR', 'JPY', 'GBP'), fc.integer({ min: 0, max: 2e12 }), {
      maxKeys: 3,
    }),
    categories: fc.uniqueArray(fc.constantFrom(...categories), { minLength: 1, maxLength: 4 }),
  })
  .map(({ identifier, firstOffset, span, reportCount, loss, categories: cats }): SharedIndicator => {
    const firstSeen = iso(T0 + firstOffset);
    const lastSeen = iso(T0 + firstOffset + span);
    return {
      ...identifier,
      firstSeen,
      lastSeen,
      reportCount,
      lossByCurrency: loss,
      categories: [...cats].sort(),
      created: lastSeen,
      modified: iso(T0 + firstOffset + span + 1000),
    };
  });

const ctxArb = fc.record({
  agencyName: fc.constantFrom(
    'Office of the Attorney General of Florida',
    "Procureur général de l'Ontario",
    'AG "Test" Office',
  ),
  tlp: fc.constantFrom(...tlpLevels),
});

describe('emitted STIX objects', () => {
  it('every indicator of every kind, at every TLP level, is valid STIX 2.1 with a valid pattern', () => {
    const tally = newTally();
    fc.assert(
      fc.property(sharedArb, ctxArb, (shared, ctx) => {
        expect(problemsOf(indicatorObject(shared, ctx), tally)).toEqual([]);
      }),
      { numRuns: 400 },
    );
    // Every kind of identifier was exercised (the property would pass vacuously otherwise).
    expect(tally.patterns).toBe(400);
    expect(tally.extensions).toBe(400);
  }, 30_000);

  it('every reference object (identities, TLP markings, extension definitions) is valid at every TLP level', () => {
    for (const tlp of tlpLevels) {
      const objects = referenceObjects({ agencyName: 'Office of the Attorney General', tlp });
      const tally = newTally();
      expect(objects.flatMap((o) => problemsOf(o, tally))).toEqual([]);
      expect(tally.byType['extension-definition']).toBe(5);
      expect(tally.byType['identity']).toBe(2);
      expect(objects.find((o) => o.id === TLP_MARKING_IDS[tlp])?.['name']).toBe(`TLP:${tlp.toUpperCase()}`);
    }
  });

  it('marks the data with the configured TLP level (TLP:AMBER unless configured) and the shared definitions TLP:CLEAR', () => {
    const shared = fc.sample(sharedArb, 1)[0] as SharedIndicator;
    for (const tlp of tlpLevels) {
      const ctx: SharingContext = { agencyName: 'AG', tlp };
      expect(indicatorObject(shared, ctx)['object_marking_refs']).toEqual([TLP_MARKING_IDS[tlp]]);
      const agency = referenceObjects(ctx).find((o) => o.id === agencyIdentityId('AG'));
      expect(agency?.['object_marking_refs']).toEqual([TLP_MARKING_IDS[tlp]]);
      for (const o of referenceObjects(ctx).filter((r) => r.type === 'extension-definition')) {
        expect(o['object_marking_refs']).toEqual([TLP_MARKING_IDS.clear]);
      }
    }
  });

  it('a whole exported bundle is valid, and every reference in it resolves inside it', async () => {
    const items = fc
      .sample(sharedArb, 300)
      .map((s) => ({ ...s, id: indicatorId(s.type, s.value), dateAdded: s.modified }));
    const unique = [...new Map(items.map((i) => [i.id, i])).values()].sort((a, b) =>
      `${a.dateAdded}#${a.id}` < `${b.dateAdded}#${b.id}` ? -1 : 1,
    );
    const source = {
      count: async () => unique.length,
      page: async ({ afterKey = '', limit }: { afterKey?: string; limit: number }) => {
        const after = unique.filter((i) => `${i.dateAdded}#${i.id}` > afterKey);
        return { items: after.slice(0, limit), more: after.length > limit };
      },
    };
    let text = '';
    for await (const chunk of bundleChunks(
      { from: '2026-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' },
      source,
      { agencyName: 'AG', tlp: 'amber' },
      { at: '2026-06-01T00:00:00.000Z' },
    )) {
      text += chunk;
    }
    const tally = newTally();
    expect(bundleProblems(JSON.parse(text), tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(unique.length);
  });
});

describe('ids', () => {
  it('are UUIDv5 over the canonical identifier: the same identifier always gets the same id, others differ', () => {
    const ids = identifiers.map((i) => indicatorId(i.type, i.value));
    expect(new Set(ids).size).toBe(identifiers.length);
    expect(identifiers.map((i) => indicatorId(i.type, i.value))).toEqual(ids);
    // Any spelling of one phone number is one indicator.
    const a = normaliseIndicator('phone', '(202) 555-0143', TEST_KEY);
    const b = normaliseIndicator('phone', '+1 202-555-0143', TEST_KEY);
    expect(
      a.ok && b.ok && indicatorId('phone', a.indicator.value) === indicatorId('phone', b.indicator.value),
    ).toBe(true);
    expect(extensionId('reportSummary')).toBe(extensionId('reportSummary'));
  });
});

describe('patterns', () => {
  it('use the STIX observable for standard kinds and the declared types for the rest', () => {
    expect(patternFor('domain', 'example.com')).toBe(
      "[domain-name:value = 'example.com' OR domain-name:value LIKE '%.example.com']",
    );
    expect(patternFor('domain', '203.0.113.7')).toBe("[ipv4-addr:value = '203.0.113.7']");
    expect(patternFor('email', 'a@b.example')).toBe("[email-addr:value = 'a@b.example']");
    expect(patternFor('phone', '+12025550143')).toBe("[phone-number:value = '+12025550143']");
    expect(patternFor('bank-account', `us:${'a'.repeat(64)}`)).toBe(
      `[bank-account:account_token = 'us:${'a'.repeat(64)}']`,
    );
    expect(patternFor('payment-app', 'cash-app:$king')).toBe(
      "[payment-handle:service = 'cash-app' AND payment-handle:handle = '$king']",
    );
  });

  it('escape quotes and backslashes so any value stays one string literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        const parsed = parsePattern(`[email-addr:value = ${stixString(text)}]`);
        expect(parsed.ok).toBe(true);
      }),
      { numRuns: 50 },
    );
  }, 30_000);

  it('the grammar rejects malformed patterns (so the checks above can fail)', () => {
    for (const bad of [
      "[domain-name:value = 'example.com'",
      '[domain-name:value = example.com]',
      "[domain-name:value = 'it's']",
      "[domain-name:value === 'x']",
      "domain-name:value = 'x'",
      "[domain-name:value = 'x'] WITHIN -5 SECONDS",
    ]) {
      expect(parsePattern(bad).ok, bad).toBe(false);
    }
  });

  it('a pattern naming an undeclared type or property is reported', () => {
    const object = {
      ...indicatorObject(fc.sample(sharedArb, 1)[0] as SharedIndicator, { agencyName: 'AG', tlp: 'amber' }),
    };
    expect(problemsOf({ ...object, pattern: "[x-phone:value = '1']" }).join()).toMatch(
      /undeclared object type x-phone/,
    );
    expect(problemsOf({ ...object, pattern: "[phone-number:owner = '1']" }).join()).toMatch(
      /no property owner/,
    );
    expect(problemsOf({ ...object, x_restore_count: 3 }).join()).toMatch(/additional/);
    expect(problemsOf({ ...object, created: '2026-01-01T00:00:00Z' }).join()).toMatch(/created/);
  });
});

describe('summaries', () => {
  it('count only reports whose filers agreed to share, with first/last seen and categories', () => {
    const summary = summarise('phone', '+12025550143', [
      {
        receivedAt: '2026-03-01T00:00:00.000Z',
        category: 'investment',
        paid: [{ currency: 'USD', amountCents: 100 }],
        shareWithLawEnforcement: true,
      },
      {
        receivedAt: '2026-01-01T00:00:00.000Z',
        category: 'job-scam',
        paid: [],
        shareWithLawEnforcement: true,
      },
      {
        receivedAt: '2025-01-01T00:00:00.000Z',
        category: 'extortion',
        paid: [{ currency: 'USD', amountCents: 9_999_900 }],
        shareWithLawEnforcement: false,
      },
    ]);
    expect(summary).toEqual({
      type: 'phone',
      value: '+12025550143',
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-03-01T00:00:00.000Z',
      reportCount: 2,
      lossByCurrency: { USD: 100 },
      categories: ['investment', 'job-scam'],
    });
    expect(
      summarise('phone', '+1', [
        {
          receivedAt: '2026-01-01T00:00:00.000Z',
          category: 'other',
          paid: [],
          shareWithLawEnforcement: false,
        },
      ]),
    ).toBeUndefined();
  });

  it('band losses in major units of the currency and rate confidence by independent reports', () => {
    expect(lossBand('USD', 99_999)).toBe('under-1k');
    expect(lossBand('USD', 100_000)).toBe('1k-10k');
    expect(lossBand('USD', 4_999_999)).toBe('10k-50k');
    expect(lossBand('JPY', 100_000)).toBe('100k-1m');
    expect(lossBand('USD', 100_000_000)).toBe('1m-plus');
    expect([1, 2, 4, 5, 100].map(confidenceFor)).toEqual([15, 50, 50, 85, 85]);
  });
});
