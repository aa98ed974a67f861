import { describe, expect, it } from 'vitest';
import { nextStepsFor } from '#shared/domain/next-steps.ts';

const ids = (input: Parameters<typeof nextStepsFor>[0]) => nextStepsFor(input).map((s) => s.id);

describe('advice after a report follows the channel actually used', () => {
  it('a wire sent through a money transfer company gets the company, not a bank recall', () => {
    const steps = ids({
      category: 'imposter-government',
      paymentMethods: ['wire-transfer'],
      recipientKinds: ['money-transfer'],
      payments: [{ method: 'wire-transfer', recipientKind: 'money-transfer' }],
    });
    expect(steps[0]).toBe('contact-money-transfer');
    expect(steps).not.toContain('recall-wire');
  });

  it('a wire from a bank to a bank account still asks the bank to recall it, first', () => {
    const steps = ids({
      category: 'investment',
      paymentMethods: ['wire-transfer', 'gift-card'],
      payments: [
        { method: 'wire-transfer', recipientKind: 'bank-account' },
        { method: 'gift-card', recipientKind: 'gift-card' },
      ],
    });
    expect(steps.slice(0, 2)).toEqual(['recall-wire', 'call-gift-card-issuer']);
    expect(steps).not.toContain('contact-money-transfer');
  });
});
