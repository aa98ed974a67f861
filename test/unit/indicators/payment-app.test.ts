import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normaliseEmail,
  normalisePaymentApp,
  normalisePhone,
  paymentService,
} from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('paymentService', () => {
  it.each([
    ['Zelle', 'zelle'],
    ['Venmo', 'venmo'],
    ['Cash App', 'cash-app'],
    ['cashapp', 'cash-app'],
    ['Square Cash', 'cash-app'],
    ['PayPal', 'paypal'],
    ['Apple Cash', 'apple-cash'],
    ['Apple Pay', 'apple-cash'],
    ['Google Pay', 'google-pay'],
    ['GPay', 'google-pay'],
    ['Chime', 'chime'],
    ['Revolut', 'other'],
    ['', 'other'],
    [undefined, 'other'],
  ])('maps %j to %s', (service, slug) => {
    expect(paymentService(service)).toBe(slug);
    expect(paymentService(slug)).toBe(slug);
  });
});

describe('normalisePaymentApp', () => {
  it.each([
    ['Cash App', '$JohnDoe', 'cash-app:johndoe', 'Cash App $johndoe'],
    ['cashapp', 'JohnDoe', 'cash-app:johndoe', 'Cash App $johndoe'],
    [undefined, '$JohnDoe', 'cash-app:johndoe', 'Cash App $johndoe'],
    [undefined, 'https://cash.app/$JohnDoe', 'cash-app:johndoe', 'Cash App $johndoe'],
    ['Venmo', '@John-Doe-7', 'venmo:john-doe-7', 'Venmo @john-doe-7'],
    ['Venmo', 'https://venmo.com/u/John-Doe-7', 'venmo:john-doe-7', 'Venmo @john-doe-7'],
    ['PayPal', 'https://paypal.me/JohnDoe', 'paypal:johndoe', 'PayPal @johndoe'],
    ['Chime', '$JDoe', 'chime:jdoe', 'Chime $jdoe'],
    ['Zelle', '(202) 555-0143', 'zelle:+12025550143', 'Zelle +1 202 555 0143'],
    ['Zelle', 'Refunds@Example.com', 'zelle:refunds@example.com', 'Zelle refunds@example.com'],
    ['Apple Cash', '+1 202 555 0143', 'apple-cash:+12025550143', 'Apple Cash +1 202 555 0143'],
    ['PayPal', 'Billing@PayPa1.com', 'paypal:billing@paypa1.com', 'PayPal billing@paypa1.com'],
    ['Revolut', '@scammer', 'other:scammer', 'Payment app @scammer'],
  ])('%s %j → %s', (service, handle, value, display) => {
    expect(accepted(normalisePaymentApp(service, handle))).toEqual({ type: 'payment-app', value, display });
  });

  it('uses exactly the phone and email normalisers for phone and email handles', () => {
    const phone = accepted(normalisePhone('202.555.0143')).value;
    const email = accepted(normaliseEmail('Refunds@Example.com')).value;
    expect(accepted(normalisePaymentApp('Zelle', '1-202-555-0143')).value).toBe(`zelle:${phone}`);
    expect(accepted(normalisePaymentApp('Zelle', ' REFUNDS@example.COM ')).value).toBe(`zelle:${email}`);
  });

  it.each([
    ['Zelle', 'johnny', /email address or a phone number/],
    ['Apple Cash', '@johnny', /email address or a phone number/],
    ['Zelle', 'john@', /email/],
    ['Zelle', '555-0143', /area code/],
    ['Venmo', 'John Doe', /without spaces/],
    ['Cash App', '', /Enter the name/],
  ])('rejects %s %j', (service, handle, reason) => {
    expect(rejected(normalisePaymentApp(service, handle))).toMatch(reason);
  });

  it('treats $Cashtags case-insensitively and is idempotent', () => {
    const tag = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,19}$/);
    fc.assert(
      fc.property(tag, fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), (t, flags) => {
        const value = accepted(normalisePaymentApp('Cash App', `$${t}`)).value;
        const recased = [...t]
          .map((c, i) => (flags[i % flags.length] ? c.toUpperCase() : c.toLowerCase()))
          .join('');
        expect(accepted(normalisePaymentApp('cashapp', recased)).value).toBe(value);
        const [service = '', handle = ''] = value.split(/:(.*)/s);
        expect(accepted(normalisePaymentApp(service, handle)).value).toBe(value);
      }),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (s, h) => {
          expectWellFormed(normalisePaymentApp(s, h));
        },
      ),
    );
  });
});
