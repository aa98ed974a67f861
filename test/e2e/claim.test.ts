/**
 * The claim form, the status page and the programme list, as far as they work without the claim
 * and programme endpoints: every claim step is accessible in both languages (empty, with errors,
 * answered), problems are shown in plain words, and the pages say plainly when there is nothing to
 * show. Filing a claim and reading its status end to end is in claims.pending.ts until those
 * endpoints land.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClaimant, answerLosses, answerSign, fillWholeClaim } from './claim-driver.ts';
import { continueTo, errorNear, errorSummaryItems, wallets } from './report-driver.ts';
import { catalogues, checkScreen, en, es, type Portal, startPortal, visibleText } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

describe.each(['en', 'es'] as const)('every claim step in %s', (lang) => {
  const t = catalogues[lang];
  const c = t.claim;

  it('is accessible empty, with errors, and answered', async () => {
    const { page, problems } = await portal.open(lang === 'en' ? '/claim/' : '/es/claim/');
    const press = () => page.getByRole('button', { name: t.wizard.continue, exact: true }).click();

    await page.locator('.usa-step-indicator').waitFor();
    await checkScreen(page, lang, 'claim step 1', 'claim-step1');
    await page.getByLabel(c.reportLabel).fill('RPT-1234');
    await press();
    expect(await errorSummaryItems(page)).toEqual([t.errors.reportIdInvalid]);
    await checkScreen(page, lang, 'claim step 1 with errors');
    await page.getByLabel(c.reportLabel).fill('');
    await continueTo(page, t, c.stepYou);

    await press();
    expect(await errorSummaryItems(page)).toEqual([
      t.errors.nameRequired,
      t.errors.line1Required,
      t.errors.cityRequired,
      t.errors.stateRequired,
      t.errors.zipInvalid,
    ]);
    await checkScreen(page, lang, 'claim step 2 with errors', 'claim-step2-errors');
    await answerClaimant(page, t);
    await checkScreen(page, lang, 'claim step 2');
    await continueTo(page, t, c.stepLosses);

    await press();
    expect(await errorSummaryItems(page)).toEqual([t.errors.amountRequired, t.errors.methodRequired]);
    await checkScreen(page, lang, 'claim step 3 with errors');
    await answerLosses(page, t, wallets.btc);
    await checkScreen(page, lang, 'claim step 3', 'claim-step3');
    await continueTo(page, t, c.stepSign);

    await press();
    expect(await errorSummaryItems(page)).toEqual([
      t.errors.perjuryRequired,
      t.errors.notInvolvedRequired,
      t.errors.signedNameRequired,
    ]);
    expect(await errorNear(page.getByRole('checkbox', { name: c.perjury }))).toBe(t.errors.perjuryRequired);
    await checkScreen(page, lang, 'claim step 4 with errors', 'claim-step4-errors');
    await answerSign(page, t);
    await continueTo(page, t, c.stepReview);

    await checkScreen(page, lang, 'claim review', 'claim-review');
    expect(await visibleText(page.locator('main'))).toContain('Ana Alvarez');
    expect(problems).toEqual([]);
  });
});

describe('checking a claim', () => {
  it.each(['en', 'es'] as const)(
    'asks for both numbers, then says plainly when nothing matches (%s)',
    async (lang) => {
      const t = catalogues[lang];
      const { page, problems } = await portal.open(lang === 'en' ? '/status/' : '/es/status/');
      await page.getByRole('button', { name: t.status.submit, exact: true }).click();
      expect(await errorSummaryItems(page)).toEqual([t.errors.claimIdRequired, t.errors.accessCodeRequired]);
      await checkScreen(page, lang, 'status with errors', 'status-errors');
      await page.getByLabel(t.status.claimIdLabel).fill('CLM-0000-0000');
      await page.getByLabel(t.status.accessCodeLabel).fill('wrong-code');
      await page.getByRole('button', { name: t.status.submit, exact: true }).click();
      await page.getByText(t.status.notFound).waitFor();
      expect(await page.evaluate(() => document.activeElement?.classList.contains('usa-alert'))).toBe(true);
      await checkScreen(page, lang, 'status not found');
      expect(problems).toEqual([]);
    },
  );
});

describe('programmes', () => {
  it('says plainly when none is open, and points to the report form', async () => {
    const { page, problems } = await portal.open('/programs/');
    await page.getByText(en.programs.empty).waitFor();
    expect(await page.locator('#programs-list a').getAttribute('href')).toBe('/report/');
    const home = await portal.open('/es/');
    await home.page.getByText(es.programs.empty).waitFor();
    expect(problems).toEqual([]);
    expect(home.problems).toEqual([]);
  });
});

/**
 * The claim, status and programme screens against answers shaped exactly like docs/api-contract.md,
 * served inside the browser until the real endpoints land (claims.pending.ts runs them for real).
 */
describe('claim screens against the documented contract (answers stubbed in the browser)', () => {
  const pool = {
    poolId: 'POOL-1',
    name: 'Operation Clean Wallet',
    caseNumber: '1:26-cv-01234',
    description: 'Money seized from a fake trading app. <img src=x onerror=alert(1)>',
    claimDeadline: '2027-06-30',
    eligibility: 'People who sent crypto to the app in 2025 or 2026.',
  };
  const status = {
    claimId: 'CLM-7K3M-9QXD-2HFA',
    status: 'PAYMENT_SCHEDULED',
    timeline: [
      { status: 'SUBMITTED', at: '2026-11-02T15:00:00Z' },
      { status: 'APPROVED', at: '2026-11-20T15:00:00Z', note: 'Checked against the bank records.' },
      { status: 'PAYMENT_SCHEDULED', at: '2026-11-25T15:00:00Z' },
    ],
    poolName: pool.name,
    recognizedLossCents: 350_000,
    payoutCents: 87_500,
    poolAmountCents: 1_000_000,
    totalRecognizedLossCents: 4_000_000,
  };

  async function stub(page: Page): Promise<unknown[]> {
    const sent: unknown[] = [];
    const json = (body: unknown, status = 200) => ({
      status,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(body),
    });
    await page.route('**/v1/pools', (route) => route.fulfill(json({ pools: [pool] })));
    await page.route('**/v1/claims', (route) => {
      sent.push(route.request().postDataJSON());
      return route.fulfill(
        json({ claimId: status.claimId, accessCode: '4821-9930-1177', status: 'SUBMITTED' }, 201),
      );
    });
    await page.route('**/v1/claims/status', (route) => {
      const body = route.request().postDataJSON() as { accessCode?: string };
      return body.accessCode === '4821-9930-1177'
        ? route.fulfill(json(status))
        : route.fulfill(json({ error: { code: 'NOT_FOUND', message: 'No such claim.' } }, 404));
    });
    return sent;
  }

  it('lists a programme, files a claim from it and shows the numbers until they are saved', async () => {
    const { page, problems } = await portal.open('/');
    const sent = await stub(page);
    await page.reload();
    await page.locator('#programs-list').getByRole('heading', { name: pool.name }).waitFor();
    await page.goto(`${portal.baseUrl}/programs/`);
    const card = page.locator('.program-card');
    await card.waitFor();
    expect(await visibleText(card)).toContain('<img src=x onerror=alert(1)>');
    expect(await visibleText(card)).toContain('June 30, 2027');
    expect(await page.locator('.program-card img').count()).toBe(0);
    await checkScreen(page, 'en', 'programmes', 'programs-with-programme');

    await page.getByRole('link', { name: en.programs.fileClaim.replace('{program}', pool.name) }).click();
    await page.locator('.usa-step-indicator').waitFor();
    expect(await page.getByLabel(en.claim.programLabel).inputValue()).toBe('POOL-1');
    await fillWholeClaim(page, en, wallets.btc);
    await page.getByRole('button', { name: en.claim.submit, exact: true }).click();
    await page.getByRole('heading', { name: en.claim.doneHeading }).waitFor();
    expect(await visibleText(page.locator('#claim-id'))).toBe(status.claimId);
    expect(await visibleText(page.locator('#access-code'))).toBe('4821-9930-1177');
    await checkScreen(page, 'en', 'claim filed', 'claim-filed');
    expect(sent).toEqual([
      expect.objectContaining({
        poolId: 'POOL-1',
        claimant: expect.objectContaining({ name: 'Ana Alvarez' }),
        payments: [expect.objectContaining({ amountCents: 400000, method: 'cryptocurrency' })],
        recoveriesCents: 50000,
        attestation: expect.objectContaining({ underPenaltyOfPerjury: true, notInvolvedInOffense: true }),
      }),
    ]);
    // Kept on screen after a reload until the person says they saved the numbers.
    await page.reload();
    await page.getByRole('heading', { name: en.claim.doneHeading }).waitFor();
    expect(await visibleText(page.locator('#access-code'))).toBe('4821-9930-1177');
    expect(problems).toEqual([]);
  });

  it.each(['en', 'es'] as const)(
    'shows a claim’s status, timeline and payment in words (%s)',
    async (lang) => {
      const t = catalogues[lang];
      const { page, problems } = await portal.open(lang === 'en' ? '/status/' : '/es/status/');
      await stub(page);
      await page.getByLabel(t.status.claimIdLabel).fill(status.claimId);
      await page.getByLabel(t.status.accessCodeLabel).fill('4821-9930-1177');
      await page.getByRole('button', { name: t.status.submit, exact: true }).click();
      await page
        .getByRole('heading', { name: t.status.resultHeading.replace('{claimId}', status.claimId) })
        .waitFor();
      const text = await visibleText(page.locator('main'));
      expect(text).toContain(t.vocab.claimStatuses.PAYMENT_SCHEDULED.label);
      expect(text).toContain(t.status.lossExplain);
      expect(text).toContain('Checked against the bank records.');
      expect(text).toContain(lang === 'en' ? 'which is 8.75% of all approved losses' : 'que es el 8.75');
      expect(await page.locator('.usa-process-list__item').count()).toBe(3);
      await checkScreen(page, lang, 'claim status', 'status-result');
      expect(problems).toEqual([]);
    },
  );

  it('checks an invitation code: an unknown one may be a scam letter, a genuine one fills in the claim', async () => {
    const { page, problems } = await portal.open('/claim/');
    await page.route('**/v1/invitations/verify', (route) => {
      const { code } = route.request().postDataJSON() as { code: string };
      return code === 'INV-GOOD-0001'
        ? route.fulfill({
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({
              genuine: true,
              code,
              poolId: 'POOL-9',
              poolName: 'Operation Clean Wallet',
              caseNumber: '1:26-cv-01234',
              claimDeadline: '2027-06-30',
              open: true,
              alreadyUsed: false,
              prefill: {
                payments: [
                  {
                    amountCents: 250000,
                    currency: 'USD',
                    date: '2026-10-02',
                    method: 'cryptocurrency',
                    recipient: 'BTC wallet bc1q…5mdq',
                  },
                ],
              },
            }),
          })
        : route.fulfill({
            status: 404,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'We cannot find this code.' } }),
          });
    });
    await page.locator('.usa-step-indicator').waitFor();
    const code = page.getByLabel(en.claim.invitationLabel);
    await code.fill('INV-FAKE-0000');
    await page.getByRole('button', { name: en.wizard.continue, exact: true }).click();
    expect(await errorSummaryItems(page)).toEqual([en.errors.invitationUnknown]);
    expect(await errorNear(code)).toBe(en.errors.invitationUnknown);
    await checkScreen(page, 'en', 'claim with an unknown invitation code', 'claim-invitation-unknown');

    await code.fill('INV-GOOD-0001');
    await continueTo(page, en, en.claim.stepYou);
    await page
      .getByText(
        en.claim.invitationGenuine
          .replace('{program}', 'Operation Clean Wallet')
          .replace('{caseNumber}', '1:26-cv-01234'),
      )
      .waitFor();
    await checkScreen(page, 'en', 'claim with a genuine invitation');
    await answerClaimant(page, en);
    await continueTo(page, en, en.claim.stepLosses);
    await page.getByText(en.claim.invitationPrefilled).waitFor();
    const first = page.locator('section.payment').first();
    expect(await first.getByLabel(en.payments.amountLabel).inputValue()).toBe('2500.00');
    expect(await first.getByRole('radio', { name: en.vocab.paymentMethods.cryptocurrency }).isChecked()).toBe(
      true,
    );
    expect(await first.getByLabel(en.date.year, { exact: true }).inputValue()).toBe('2026');
    expect(problems).toEqual([]);
  });

  it.each(['en', 'es'] as const)(
    'lets a person ask for a denied claim to be looked at again (%s)',
    async (lang) => {
      const t = catalogues[lang];
      const { page, problems } = await portal.open(lang === 'en' ? '/status/' : '/es/status/');
      const denied = {
        claimId: 'CLM-7K3M-9QXD-2HFA',
        status: 'DENIED',
        timeline: [
          { status: 'SUBMITTED', at: '2026-11-02T15:00:00Z' },
          {
            status: 'DENIED',
            at: '2026-11-20T15:00:00Z',
            note: 'The payment went to an account not in this case.',
          },
        ],
        currency: 'USD',
        reconsideration: { canRequest: true, deadline: '2027-01-19' },
      };
      const sent: unknown[] = [];
      await page.route('**/v1/claims/status', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(denied) }),
      );
      await page.route('**/v1/claims/reconsideration', (route) => {
        sent.push(route.request().postDataJSON());
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            ...denied,
            status: 'RECONSIDERATION_REQUESTED',
            timeline: [
              ...denied.timeline,
              { status: 'RECONSIDERATION_REQUESTED', at: '2026-11-26T15:00:00Z' },
            ],
            reconsideration: {
              canRequest: false,
              deadline: '2027-01-19',
              requestedAt: '2026-11-26T15:00:00Z',
            },
          }),
        });
      });
      await page.getByLabel(t.status.claimIdLabel).fill(denied.claimId);
      await page.getByLabel(t.status.accessCodeLabel).fill('4821-9930-1177');
      await page.getByRole('button', { name: t.status.submit, exact: true }).click();
      await page.getByRole('heading', { name: t.status.reconsiderHeading }).waitFor();
      await page.getByRole('button', { name: t.status.reconsiderSubmit }).click();
      expect(await errorSummaryItems(page)).toEqual([t.errors.reasonRequired]);
      await checkScreen(page, lang, 'reconsideration with errors', 'status-reconsider-errors');
      await page.getByLabel(t.status.reconsiderLabel).fill('I have a bank statement that shows the payment.');
      await page.getByRole('button', { name: t.status.reconsiderSubmit }).click();
      await page.getByText(t.vocab.claimStatuses.RECONSIDERATION_REQUESTED.label).first().waitFor();
      expect(sent).toEqual([
        {
          claimId: denied.claimId,
          accessCode: '4821-9930-1177',
          reason: 'I have a bank statement that shows the payment.',
        },
      ]);
      expect(await page.getByRole('heading', { name: t.status.reconsiderHeading }).count()).toBe(0);
      await checkScreen(page, lang, 'reconsideration requested');
      expect(problems).toEqual([]);
    },
  );
});
