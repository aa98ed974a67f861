import { describe, expect, it } from 'vitest';
import { paymentDetailsProblems, readPaymentDetails } from '../../../web/src/app/follow-up.ts';
import { en } from '../../../web/src/i18n/en.ts';

const noAddress = { line1: '', city: '' };
const noBank = { routingNumber: '', accountNumber: '' };
const paths = (p: { path: string }[]) => p.map((x) => x.path);

describe('payment details after a returned payment, checked on the page as the API checks them', () => {
  it('asks for a choice, then only for what the chosen way needs', () => {
    expect(paths(paymentDetailsProblems('', noAddress, noBank, en))).toEqual(['method']);
    expect(paths(paymentDetailsProblems('check', noAddress, noBank, en))).toEqual([
      'address.line1',
      'address.city',
    ]);
    expect(paymentDetailsProblems('check', { line1: '9 New Rd', city: 'Fairfax' }, noBank, en)).toEqual([]);
  });

  it('refuses a routing number that fails the ABA checksum and an account outside 4-17 digits', () => {
    const deposit = (routingNumber: string, accountNumber: string) =>
      paths(paymentDetailsProblems('direct-deposit', noAddress, { routingNumber, accountNumber }, en));
    expect(deposit('011000015', '4455667788')).toEqual([]);
    expect(deposit('011 000 015', '4455-6677-88')).toEqual([]);
    expect(deposit('011000016', '4455667788')).toEqual(['bankAccount.routingNumber']);
    expect(deposit('01100001', '4455667788')).toEqual(['bankAccount.routingNumber']);
    expect(deposit('011000015', '123')).toEqual(['bankAccount.accountNumber']);
    expect(deposit('011000015', '123456789012345678')).toEqual(['bankAccount.accountNumber']);
    expect(deposit('011000015', '12AB5678')).toEqual(['bankAccount.accountNumber']);
  });

  it('reads what the API says it received, and nothing when it has nothing', () => {
    expect(readPaymentDetails(undefined)).toBeUndefined();
    expect(
      readPaymentDetails({
        receivedAt: '2027-01-21T10:00:00.000Z',
        method: 'direct-deposit',
        accountLast4: '7788',
      }),
    ).toEqual({ receivedAt: '2027-01-21T10:00:00.000Z', method: 'direct-deposit', accountLast4: '7788' });
  });
});
