/**
 * No victim field can reach a shared object. Reports carry distinctive text in every field about
 * the victim (name, contact details, ZIP, narrative, the person they filed for, account holder,
 * full account and card numbers, transfer tracking numbers, the scammer's aliases); the whole
 * report, spread into every link, is handed to the summariser and the STIX builder, and no
 * marker may appear in what comes out. Integration tests check the same through the real
 * enrichment, TAXII and export (test/integration/sharing.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { normaliseReport } from '#shared/domain/report.ts';
import { linksOf } from '#shared/domain/report-content.ts';
import { reportInputSchema } from '#shared/domain/report-schema.ts';
import { indicatorId, indicatorObject, referenceObjects } from '#shared/domain/sharing/stix.ts';
import { isShareableType, type ShareableLink, summarise } from '#shared/domain/sharing/summary.ts';
import { makeReportBody, TEST_KEY, wallets } from '#test/support/factories.ts';

/** Marker text: letters no identifier normaliser keeps, so a hit can only be a leak. */
const marker = fc.stringMatching(/^[A-Z]{6}$/).map((s) => `Qz${s}`);
/**
 * The scammer's own identifiers are fixed and may rightly be shared; a victim's number drawn at
 * random must not be a piece of one (a ZIP of 50143 inside +12025550143 is not a leak).
 */
const SHARED_ON_PURPOSE = ['+12025550143', wallets.eth];
const victimDigits = (pattern: RegExp) =>
  fc.stringMatching(pattern).filter((s) => !SHARED_ON_PURPOSE.some((shared) => shared.includes(s)));
const digits = victimDigits(/^[0-9]{9,12}$/);

const reportArb = fc
  .record({
    name: marker,
    other: marker,
    holder: marker,
    narrative: marker,
    alias: marker,
    receiver: marker,
    account: digits,
    card: digits,
    mtcn: victimDigits(/^[0-9]{10}$/),
    zip: victimDigits(/^[0-9]{5}$/),
  })
  .map((m) => ({
    m,
    body: makeReportBody({
      filer: {
        role: 'caregiver',
        state: 'FL',
        zip: m.zip,
        contact: { name: m.name, email: `${m.name.toLowerCase()}@victim-mail.com`, phone: '(305) 555-0147' },
        onBehalfOf: { name: m.other, relationship: 'mother' },
      },
      incident: { category: 'investment', narrative: `He said ${m.narrative} was safe.` },
      payments: [
        {
          amountCents: 250000,
          currency: 'USD',
          method: 'cryptocurrency',
          recipient: { kind: 'crypto-wallet', address: wallets.eth },
        },
        {
          amountCents: 100000,
          currency: 'USD',
          method: 'wire-transfer',
          recipient: {
            kind: 'bank-account',
            routingNumber: '011000015',
            accountNumber: m.account,
            accountHolderName: m.holder,
          },
        },
        {
          amountCents: 50000,
          currency: 'USD',
          method: 'gift-card',
          recipient: { kind: 'gift-card', brand: 'Apple', cardNumber: m.card },
        },
        {
          amountCents: 70000,
          currency: 'USD',
          method: 'other',
          recipient: {
            kind: 'money-transfer',
            provider: 'Western Union',
            mtcn: m.mtcn,
            receiverName: m.receiver,
          },
        },
      ],
      scammer: {
        phones: ['(202) 555-0143'],
        emails: ['agent@irs-payments.com'],
        websites: ['https://irs-payments.co.uk'],
        socialHandles: [],
        namesUsed: [m.alias],
      },
      consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
    }),
  }));

describe('shared objects', () => {
  it('carry no victim field, even when the summariser is handed the whole report', () => {
    fc.assert(
      fc.property(reportArb, ({ m, body }) => {
        const input = z.parse(reportInputSchema, body);
        const report = normaliseReport(input, TEST_KEY);
        const content = report.content;
        const links = linksOf(content).filter((l) => isShareableType(l.type));
        expect(links.length).toBeGreaterThan(0);
        const out = links.map((link) => {
          if (!isShareableType(link.type)) throw new Error('unreachable');
          // Everything about the report, in every link: only the summary's own fields may pass.
          const everything = {
            ...content,
            ...link,
            receivedAt: '2026-11-01T00:00:00.000Z',
            category: 'investment',
            shareWithLawEnforcement: true,
          } as unknown as ShareableLink;
          const summary = summarise(link.type, link.value, [everything]);
          if (!summary) throw new Error('no summary');
          return indicatorObject(
            { ...summary, created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z' },
            { agencyName: 'AG', tlp: 'amber' },
          );
        });
        // Ids and bank tokens are hex: a short number can turn up inside one by chance, so digits
        // are looked for outside hex runs (and the hex itself is a one-way hash or a UUID).
        const text = JSON.stringify([
          ...out,
          ...referenceObjects({ agencyName: 'AG', tlp: 'amber' }),
        ]).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{64}/g, '<hex>');
        for (const secret of [
          m.name,
          m.name.toLowerCase(),
          m.other,
          m.holder,
          m.narrative,
          m.alias,
          m.receiver,
          m.account,
          m.card,
          m.mtcn,
          m.zip,
          '3055550147',
          '5550147',
        ]) {
          expect(text, secret).not.toContain(secret);
        }
        // Nothing identifying the gift card or transfer either: those kinds are never shared.
        expect(out.map((o) => o.id)).not.toContain(indicatorId('phone', '+13055550147'));
        expect(text).not.toContain('giftcard:');
        expect(text).not.toContain('mtcn:');
      }),
      { numRuns: 50 },
    );
  }, 30_000);
});
