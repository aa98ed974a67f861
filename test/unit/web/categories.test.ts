import { describe, expect, it } from 'vitest';
import { categories } from '#shared/domain/enums.ts';
import { categoryGroupIds, categoryGroups, groupOf } from '../../../web/src/app/categories.ts';
import { codeGroups, spokenCode } from '../../../web/src/app/codes.ts';

describe('the kinds of scam under plain questions', () => {
  it('puts every kind in exactly one group, and no group holds more than five', () => {
    const grouped = categoryGroupIds.flatMap((g) => [...categoryGroups[g]]);
    expect([...grouped].sort()).toEqual([...categories].sort());
    for (const g of categoryGroupIds) expect(categoryGroups[g].length, g).toBeLessThanOrEqual(5);
    for (const c of categories)
      expect(categoryGroups[groupOf(c) as keyof typeof categoryGroups]).toContain(c);
    expect(groupOf('')).toBe('');
  });
});

describe('codes read out', () => {
  it('splits a code into its printed groups and spells it out group by group', () => {
    expect(codeGroups('CLM-7K3M-9QXD')).toEqual(['CLM', '7K3M', '9QXD']);
    expect(spokenCode('CLM-7K3M-9QXD')).toBe('C L M, 7 K 3 M, 9 Q X D');
    expect(spokenCode('7K3M 9QXD')).toBe('7 K 3 M, 9 Q X D');
  });
});
