/** The website reads the API's RFC 9457 problems: field pointers become the form's field paths. */
import { describe, expect, it } from 'vitest';
import { pointerToPath } from '../../../web/src/app/api.ts';

describe('pointerToPath', () => {
  it('turns a JSON Pointer into the dotted path the forms use', () => {
    expect(pointerToPath('/payments/0/amountCents')).toBe('payments.0.amountCents');
    expect(pointerToPath('/incident/category')).toBe('incident.category');
    expect(pointerToPath('')).toBe('');
  });

  it('unescapes ~1 and ~0 (RFC 6901)', () => {
    expect(pointerToPath('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});
