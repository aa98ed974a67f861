import { describe, expect, it } from 'vitest';
import { toPublicPool } from '#shared/domain/pool.ts';
import { newPool, patchPool } from '#shared/domain/pool-normalise.ts';
import { poolInputSchema, poolPatchSchema } from '#shared/domain/pool-schema.ts';
import { parseWith } from '#shared/domain/validation.ts';
import { TEST_KEY } from '#test/support/factories.ts';

const opts = { key: TEST_KEY, now: new Date('2026-12-01T00:00:00Z'), by: 'admin' };
const base = {
  name: 'Op',
  caseNumber: '1:26-cv-1',
  court: 'D.D.C.',
  amountCents: 100,
  claimDeadline: '2027-01-31',
};

describe('programmes in Spanish', () => {
  it('keeps trimmed Spanish text, drops blanks, and shows it to the public', () => {
    const input = parseWith(poolInputSchema, { ...base, es: { name: '  Operación ', eligibility: ' ' } });
    const pool = newPool(input, { ...opts, poolId: 'POOL-1' });
    expect(pool.es).toEqual({ name: 'Operación' });
    expect(toPublicPool(pool).es).toEqual({ name: 'Operación' });
  });

  it('replaces the Spanish text as a whole on edit, and removes it when all blank', () => {
    const pool = newPool(parseWith(poolInputSchema, { ...base, es: { name: 'Operación' } }), {
      ...opts,
      poolId: 'POOL-1',
    });
    const edited = patchPool(
      pool,
      parseWith(poolPatchSchema, { es: { description: 'Dinero incautado.' } }),
      opts,
    );
    expect(edited.es).toEqual({ description: 'Dinero incautado.' });
    expect(patchPool(edited, parseWith(poolPatchSchema, { es: { name: '' } }), opts).es).toBeUndefined();
  });

  it('says what is wrong with Spanish text that is too long or not an object', () => {
    expect(() => parseWith(poolInputSchema, { ...base, es: { name: 'x'.repeat(201) } })).toThrow(
      /Spanish name/,
    );
    expect(() => parseWith(poolInputSchema, { ...base, es: 'Operación' })).toThrow(/in Spanish/);
  });
});
