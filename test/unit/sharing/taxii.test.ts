/**
 * The TAXII use case over an in-memory source: paging by `next` visits every object once, in
 * date-added order, whatever the page size; `added_after` and the match filters select what the
 * specification says; malformed queries and Accept headers are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indicatorId, referenceObjects } from '#shared/domain/sharing/stix.ts';
import {
  acceptsTaxii,
  listManifest,
  listObjects,
  parseObjectsQuery,
  type SharedIndicatorSource,
  type SharedIndicatorVersion,
  TaxiiError,
} from '#shared/use-cases/taxii.ts';

const ctx = { agencyName: 'AG', tlp: 'amber' as const };
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

function memorySource(items: SharedIndicatorVersion[]): SharedIndicatorSource {
  const sorted = [...items].sort((a, b) => (`${a.dateAdded}#${a.id}` < `${b.dateAdded}#${b.id}` ? -1 : 1));
  return {
    page: async ({ afterKey = '', limit }) => {
      const after = sorted.filter((i) => `${i.dateAdded}#${i.id}` > afterKey);
      return { items: after.slice(0, limit), more: after.length > limit };
    },
    getMany: async (ids) => sorted.filter((i) => ids.includes(i.id)),
  };
}

const itemsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: 60 })
  .chain((ns) =>
    fc.tuple(
      fc.constant(ns),
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: ns.length, maxLength: ns.length }),
    ),
  )
  .map(([ns, seconds]) =>
    ns.map((n, i): SharedIndicatorVersion => {
      // Several summaries often share one instant: ids break the tie.
      const dateAdded = new Date(T0 + (seconds[i] ?? 0) * 1000).toISOString();
      const value = `+1202555${String(n).padStart(4, '0')}`;
      return {
        id: indicatorId('phone', value),
        type: 'phone',
        value,
        firstSeen: '2026-01-01T00:00:00.000Z',
        lastSeen: '2026-02-01T00:00:00.000Z',
        reportCount: 1,
        lossByCurrency: {},
        categories: ['other'],
        created: dateAdded,
        modified: dateAdded,
        dateAdded,
      };
    }),
  );

describe('TAXII objects endpoint', () => {
  it('following next visits every object exactly once, in date-added order, for any page size', async () => {
    await fc.assert(
      fc.asyncProperty(itemsArb, fc.integer({ min: 1, max: 25 }), async (items, limit) => {
        const source = memorySource(items);
        const seen: string[] = [];
        const added: string[] = [];
        let next: string | undefined;
        for (let page = 0; page < 200; page++) {
          const query = parseObjectsQuery({ limit: String(limit), ...(next ? { next } : {}) });
          const manifest = await listManifest('indicators', query, source, ctx);
          const records = manifest.body.objects ?? [];
          expect(records.length).toBeLessThanOrEqual(limit);
          seen.push(...records.map((r) => r['id'] as string));
          added.push(...records.map((r) => r['date_added'] as string));
          if (!manifest.body['more']) break;
          next = manifest.body['next'] as string;
        }
        const expected = [...referenceObjects(ctx).map((o) => o.id), ...items.map((i) => i.id)];
        expect([...seen].sort()).toEqual([...expected].sort());
        expect(added).toEqual([...added].sort());
      }),
      { numRuns: 60 },
    );
  });

  it('added_after returns exactly the objects added later; match[type] and match[id] filter', async () => {
    await fc.assert(
      fc.asyncProperty(itemsArb, fc.integer({ min: 0, max: 20 }), async (items, s) => {
        const source = memorySource(items);
        const cut = new Date(T0 + s * 1000).toISOString();
        const r = await listObjects(
          'indicators',
          parseObjectsQuery({ added_after: cut, limit: '1000' }),
          source,
          ctx,
        );
        const ids = (r.body.objects ?? []).map((o) => o.id).sort();
        expect(ids).toEqual(
          items
            .filter((i) => i.dateAdded > cut)
            .map((i) => i.id)
            .sort(),
        );
        if (r.dateAddedFirst) expect(r.dateAddedFirst > cut).toBe(true);
      }),
      { numRuns: 60 },
    );
    const items = fc.sample(
      itemsArb.filter((i) => i.length > 3),
      1,
    )[0] as SharedIndicatorVersion[];
    const source = memorySource(items);
    const onlyMarkings = await listObjects(
      'indicators',
      parseObjectsQuery({ 'match[type]': 'marking-definition' }),
      source,
      ctx,
    );
    expect(onlyMarkings.body.objects?.map((o) => o.type)).toEqual([
      'marking-definition',
      'marking-definition',
    ]);
    const target = items[2] as SharedIndicatorVersion;
    const byId = await listObjects('indicators', parseObjectsQuery({ 'match[id]': target.id }), source, ctx);
    expect(byId.body.objects?.map((o) => o.id)).toEqual([target.id]);
  });

  it('refuses malformed queries with a TAXII error saying what to fix', () => {
    for (const params of [
      { limit: '0' },
      { limit: '-1' },
      { added_after: '2026-03-01' },
      { next: 'bm9wZQ' },
      { 'match[type]': 'Not A Type' },
      { 'match[id]': 'indicator--1' },
      { 'match[version]': 'newest' },
      { page: '2' },
    ]) {
      expect(() => parseObjectsQuery(params), JSON.stringify(params)).toThrow(TaxiiError);
    }
    expect(parseObjectsQuery({ limit: '50000' }).limit).toBe(1000);
  });
});

describe('content negotiation', () => {
  it('accepts TAXII 2.1 (or unversioned TAXII) only', () => {
    expect(acceptsTaxii('application/taxii+json;version=2.1')).toBe(true);
    expect(acceptsTaxii('application/taxii+json; version=2.1')).toBe(true);
    expect(acceptsTaxii('application/taxii+json')).toBe(true);
    expect(acceptsTaxii('text/html, application/taxii+json;version=2.1;q=0.9')).toBe(true);
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/json',
      'application/taxii+json;version=2.0',
      'application/stix+json;version=2.1',
    ]) {
      expect(acceptsTaxii(accept), String(accept)).toBe(false);
    }
  });
});
