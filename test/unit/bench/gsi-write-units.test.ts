import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { gsiWriteUnits } from '../../../bench/operations.ts';

// The benchmark adds the GSI write units that dynalite does not report; the closing notes quote
// its figures, so its pricing rule is pinned here against DynamoDB's documented behaviour.

type Item = Record<string, AttributeValue>;
const S = (s: string): AttributeValue => ({ S: s });
const big = 'x'.repeat(3000); // makes a whole item cost 4 units, its keys alone 1

const report = (status: string): Item => ({
  pk: S('REPORT#R1'),
  sk: S('REPORT'),
  gsi1pk: S('REPORTS#2026-11'),
  gsi1sk: S('2026-11-26T07:00:00Z#R1'),
  gsi2pk: S('CATEGORY#imposter'),
  gsi2sk: S('2026-11-26T07:00:00Z#R1'),
  status: S(status),
  narrative: S(big),
});

const claim = (status: string): Item => ({
  pk: S('CLAIM#C1'),
  sk: S('CLAIM'),
  gsi2pk: S(`CLAIMSTATUS#${status}#3`),
  gsi2sk: S('2026-11-26T07:00:00Z#C1'),
  gsi3pk: S('CLAIMS#P1#3'),
  gsi3sk: S(`${status}#2026-11-26T07:00:00Z#C1`),
  narrative: S(big),
});

describe('gsiWriteUnits', () => {
  it('charges a new report one unit in each keys-only index, whatever its size', () => {
    expect(gsiWriteUnits(undefined, report('RECEIVED'))).toBe(2);
  });

  it('charges nothing when a write leaves every index copy as it was', () => {
    expect(gsiWriteUnits(report('RECEIVED'), report('ENRICHED'))).toBe(0);
    expect(gsiWriteUnits(report('ENRICHED'), report('ENRICHED'))).toBe(0);
  });

  it('charges a delete and a put when an index key changes, by the size of each copy', () => {
    // gsi2 (keys only): 1 + 1; gsi3 (whole item): 4 + 4.
    expect(gsiWriteUnits(claim('SUBMITTED'), claim('APPROVED'))).toBe(10);
  });

  it('charges an ALL index the item size when only a projected attribute changes', () => {
    const after = { ...claim('SUBMITTED'), note: S('reviewed') };
    expect(gsiWriteUnits(claim('SUBMITTED'), after)).toBe(4);
  });

  it('charges the removal of an item from its indexes', () => {
    expect(gsiWriteUnits(claim('SUBMITTED'), undefined)).toBe(5);
    expect(gsiWriteUnits(undefined, { pk: S('IND#phone#+1'), sk: S('REPORT#R1') })).toBe(0);
  });
});
