/**
 * The status page has plain words for every state a claim can be in and for every entry the
 * system writes in its timeline, in English and Spanish, and says when a payment is a further one
 * from money left in the program (a later round).
 */
import { describe, expect, it } from 'vitest';
import { timelineEventKinds } from '#shared/domain/claim.ts';
import { claimStatuses } from '#shared/domain/claim-schema.ts';
import { eventText, readStatus } from '../../../web/src/app/status.ts';
import { formatCents } from '../../../web/src/app/values.ts';
import { en } from '../../../web/src/i18n/en.ts';
import { es } from '../../../web/src/i18n/es.ts';

const catalogues = { en, es } as const;

describe.each(['en', 'es'] as const)('status words (%s)', (lang) => {
  const t = catalogues[lang];

  it('names every claim status with a label and a sentence', () => {
    for (const status of claimStatuses) {
      const words = t.vocab.claimStatuses[status];
      expect(words.label, status).not.toBe('');
      expect(words.body, status).not.toBe('');
    }
  });

  it('words every kind of timeline entry the system writes', () => {
    for (const kind of timelineEventKinds) {
      const text = eventText(
        { kind, amountCents: 795, currency: 'USD', date: '2027-01-15', documents: 1 },
        t,
        lang,
      );
      expect(text, kind).toBeTruthy();
      expect(text, kind).not.toMatch(/\{\w+\}/);
    }
  });

  it('says a later round’s payment is a further one from money left in the program', () => {
    const first = eventText({ kind: 'payment-scheduled', amountCents: 795, currency: 'USD' }, t, lang);
    const further = eventText(
      { kind: 'payment-scheduled', amountCents: 795, currency: 'USD', round: 2 },
      t,
      lang,
    );
    const amount = formatCents(795, lang, 'USD');
    expect(first).toBe(t.status.events.paymentScheduled.replace('{amount}', amount));
    expect(further).toBe(t.status.events.furtherScheduled.replace('{amount}', amount));
    expect(further).not.toBe(first);
    const paid = eventText(
      { kind: 'payment-paid', amountCents: 795, currency: 'USD', round: 2, date: '2027-01-15' },
      t,
      lang,
    );
    expect(paid).toContain('2027');
    expect(paid).not.toBe(
      eventText({ kind: 'payment-paid', amountCents: 795, currency: 'USD', date: '2027-01-15' }, t, lang),
    );
  });
});

it('reads a later round’s payment from the API’s answer, and a first one as first', () => {
  const base = { claimId: 'CLM-1', status: 'PAYMENT_SCHEDULED', timeline: [], payoutCents: 795 };
  expect(readStatus({ ...base, payoutRound: 2 })?.payoutRound).toBe(2);
  expect(readStatus({ ...base, payoutRound: 1 })?.payoutRound).toBeUndefined();
  expect(readStatus(base)?.payoutRound).toBeUndefined();
  const withEvent = readStatus({
    ...base,
    timeline: [
      {
        status: 'PAYMENT_SCHEDULED',
        at: '2027-01-15T10:00:00Z',
        event: { kind: 'payment-scheduled', amountCents: 795, round: 2 },
      },
    ],
  });
  expect(withEvent?.timeline[0]?.event).toMatchObject({
    kind: 'payment-scheduled',
    amountCents: 795,
    round: 2,
  });
});
