/**
 * The website's pure parts: reading amounts and dates as people type them, building the API's
 * report body from a draft (checked against the API's own schema), putting the API's problems in
 * the page's language, and the pages rendered at build time (escaped, right `lang`, strict CSP).
 */
import { describe, expect, it } from 'vitest';
import { reportInputSchema } from '#shared/domain/report-schema.ts';
import { parseWith } from '#shared/domain/validation.ts';
import { claimBody, emptyClaim } from '../../../web/src/app/claim.ts';
import { newPayment, recipientOf, validatePayments } from '../../../web/src/app/payments.ts';
import { localiseProblems } from '../../../web/src/app/problems.ts';
import { emptyReport, reportBody, restoreReport } from '../../../web/src/app/report.ts';
import { payoutSentence, readStatus } from '../../../web/src/app/status.ts';
import { formatCents, parseDollars, readDate } from '../../../web/src/app/values.ts';
import { en } from '../../../web/src/i18n/en.ts';
import { es } from '../../../web/src/i18n/es.ts';
import { contentSecurityPolicy } from '../../../web/src/site/csp.ts';
import { escapeHtml, html } from '../../../web/src/site/html.ts';
import { renderPage } from '../../../web/src/site/pages.ts';
import { pageIds, pageUrl } from '../../../web/src/site/routes.ts';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('reading what people type', () => {
  it.each([
    ['2,500', 250000],
    ['$2,500.00', 250000],
    ['800.5', 80050],
    [' 12 ', 1200],
    ['.75', 75],
  ])('reads %j as %d cents', (typed, cents) => {
    expect(parseDollars(typed)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'required'],
    ['two thousand', 'invalid'],
    ['1.234', 'invalid'],
    ['0', 'zero'],
    ['1000000001', 'tooBig'],
  ])('refuses %j (%s)', (typed, error) => {
    expect(parseDollars(typed)).toEqual({ ok: false, error });
  });

  it('reads dates from three boxes', () => {
    expect(readDate({ month: '', day: '', year: '' }, NOW)).toEqual({ ok: true, iso: undefined });
    expect(readDate({ month: '4', day: '9', year: '2026' }, NOW)).toEqual({ ok: true, iso: '2026-04-09' });
    expect(readDate({ month: '4', day: '', year: '2026' }, NOW)).toEqual({ ok: false, error: 'incomplete' });
    expect(readDate({ month: '2', day: '30', year: '2026' }, NOW)).toEqual({ ok: false, error: 'invalid' });
    expect(readDate({ month: '12', day: '1', year: '2026' }, NOW)).toEqual({ ok: false, error: 'future' });
    expect(readDate({ month: '1', day: '1', year: '1969' }, NOW)).toEqual({ ok: false, error: 'tooOld' });
  });

  it('shows money the way each language writes it', () => {
    expect(formatCents(250000, 'en')).toBe('$2,500.00');
    expect(formatCents(250000, 'es')).toMatch(/2,500\.00/);
  });
});

describe('the report body', () => {
  it('is accepted by the API schema, with blanks left out and identifier lists kept in place', () => {
    const draft = emptyReport();
    Object.assign(draft, {
      category: 'investment',
      narrative: 'They promised 20% a month.',
      paid: 'yes',
      phones: ['', '(202) 555-0143'],
      role: 'caregiver',
      onBehalfName: 'Rose',
      share: 'yes',
      contact: 'no',
    });
    const wire = newPayment();
    Object.assign(wire, {
      amount: '2,500',
      method: 'wire-transfer',
      wireVia: 'company',
      provider: 'MoneyGram',
      mtcn: '12345678',
    });
    const crypto = newPayment();
    Object.assign(crypto, { amount: '10', method: 'cryptocurrency', asset: 'ETH' });
    draft.payments = [wire, crypto];
    const body = reportBody(draft, 'es');
    expect(() => parseWith(reportInputSchema, body)).not.toThrow();
    expect(body).toMatchObject({
      filer: { language: 'es', role: 'caregiver', onBehalfOf: { name: 'Rose' } },
      incident: { category: 'investment', narrative: 'They promised 20% a month.' },
      payments: [
        {
          amountCents: 250000,
          method: 'wire-transfer',
          recipient: { kind: 'money-transfer', provider: 'MoneyGram', mtcn: '12345678' },
        },
        // A coin name without a wallet address says nothing about who got the money.
        { amountCents: 1000, method: 'cryptocurrency' },
      ],
      scammer: { phones: ['', '(202) 555-0143'] },
      consents: { shareWithLawEnforcement: true, contactAboutRecovery: false },
    });
    expect((body['payments'] as Record<string, unknown>[])[1]).not.toHaveProperty('recipient');
    expect(body['filer']).not.toHaveProperty('contact');
  });

  it('asks for the wallet address when a transaction ID is given without it', () => {
    const p = newPayment();
    Object.assign(p, { amount: '5', method: 'cryptocurrency', txHash: 'abc' });
    expect(validatePayments([p], en)).toEqual([
      { path: 'payments.0.recipient.address', message: en.errors.addressRequired },
    ]);
  });

  it('sends the recipient boxes that go with the way of paying', () => {
    const p = newPayment();
    Object.assign(p, {
      method: 'gift-card',
      brand: 'Target',
      cardNumber: '1234',
      bankName: 'left over from before',
    });
    expect(recipientOf(p)).toEqual({ kind: 'gift-card', brand: 'Target', cardNumber: '1234' });
    p.method = 'credit-card';
    p.description = 'ACME LLC';
    expect(recipientOf(p)).toEqual({ kind: 'other', description: 'ACME LLC' });
  });

  it('restores a saved draft and ignores anything odd in it', () => {
    const restored = restoreReport({
      category: 'not-a-category',
      narrative: 42,
      payments: [{ method: 'cash', amount: '5' }],
      phones: 'x',
    });
    expect(restored?.category).toBe('');
    expect(restored?.narrative).toBe('');
    expect(restored?.payments[0]?.method).toBe('cash');
    expect(restored?.phones).toEqual(['']);
    expect(restoreReport('nope')).toBeUndefined();
  });
});

describe('the claim body', () => {
  it('has the sworn statement, the address and the payments', () => {
    const draft = emptyClaim();
    const p = newPayment();
    Object.assign(p, { amount: '100', method: 'gift-card' });
    Object.assign(draft, {
      poolId: 'POOL-1',
      reportId: 'not a report number',
      name: 'Ana',
      line1: '1 Main St',
      city: 'Miami',
      state: 'FL',
      zip: '33101',
      payments: [p],
      recoveries: '25',
      perjury: true,
      notInvolved: true,
      signedName: 'Ana',
    });
    expect(claimBody(draft, NOW)).toEqual({
      poolId: 'POOL-1',
      claimant: {
        name: 'Ana',
        address: { line1: '1 Main St', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
      },
      payments: [{ amountCents: 10000, currency: 'USD', method: 'gift-card' }],
      recoveriesCents: 2500,
      attestation: {
        underPenaltyOfPerjury: true,
        notInvolvedInOffense: true,
        signedName: 'Ana',
        signedAt: NOW.toISOString(),
      },
    });
  });
});

describe('problems from the API', () => {
  const problems = [
    { path: 'scammer.phones.1', message: 'This does not look like a complete phone number.' },
    { path: 'payments.0.recipient.address', message: 'We could not recognise this wallet address.' },
    { path: 'something.new', message: 'A new check.' },
  ];

  it('keep the API’s plain English on English pages', () => {
    expect(localiseProblems(problems, en, 'en')).toEqual(problems);
  });

  it('are replaced by Spanish messages for that kind of answer on Spanish pages', () => {
    expect(localiseProblems(problems, es, 'es')).toEqual([
      { path: 'scammer.phones.1', message: es.errors.checkPhone },
      { path: 'payments.0.recipient.address', message: es.errors.checkWallet },
      { path: 'something.new', message: es.errors.checkAnswer },
    ]);
  });
});

describe('claim status', () => {
  const status = readStatus({
    claimId: 'CLM-1',
    status: 'PAYMENT_SCHEDULED',
    timeline: [{ status: 'SUBMITTED', at: '2026-11-01T10:00:00Z' }, { nonsense: true }],
    recognizedLossCents: 100_000,
    payoutCents: 25_000,
    poolAmountCents: 1_000_000,
    totalRecognizedLossCents: 4_000_000,
  });

  it('reads the API’s answer and drops what it cannot use', () => {
    expect(status?.timeline).toEqual([{ status: 'SUBMITTED', at: '2026-11-01T10:00:00Z', note: undefined }]);
    expect(readStatus({ status: 'PAID' })).toBeUndefined();
  });

  it('explains the payment in one sentence', () => {
    expect(status && payoutSentence(status, en, 'en')).toBe(
      'The program has $10,000.00 to give back. Approved losses from all claims add up to $40,000.00. Your approved loss is $1,000.00, which is 2.5% of all approved losses. So your payment is 2.5% of the money: $250.00.',
    );
    expect(status && payoutSentence({ ...status, poolAmountCents: 5_000_000 }, en, 'en')).toBe(
      format(en.status.mathEnough, '$250.00'),
    );
  });
});

describe('pages rendered at build time', () => {
  it('escape text', () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">&'`)).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;',
    );
    expect(html`<p>${'<b>'}</p>`.value).toBe('<p>&lt;b&gt;</p>');
  });

  it.each(pageIds)('%s exists in both languages with the right lang and a strict CSP', (page) => {
    for (const lang of ['en', 'es'] as const) {
      const out = renderPage(page, lang, { entry: '/x.ts' });
      expect(out).toContain(`<html lang="${lang}">`);
      expect(out).toContain(`href="${pageUrl(page, lang === 'en' ? 'es' : 'en')}"`);
      expect(out).toContain('Content-Security-Policy');
      expect(out).not.toMatch(/<script(?![^>]*src=)/);
      expect(out).not.toMatch(/\sstyle=/);
    }
  });

  it('allow only our own origin (and a named API origin) in the CSP', () => {
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
    expect(contentSecurityPolicy({ connectOrigins: ['https://api.example.gov'] })).toContain(
      "connect-src 'self' https://api.example.gov;",
    );
    expect(contentSecurityPolicy()).not.toMatch(/unsafe/);
  });
});

function format(template: string, payout: string): string {
  return template.replace('{payout}', payout);
}
