/**
 * Filing a fraud report through the website, end to end: the form, the API, the queue and the
 * enrichment consumer, checked through the staff API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerWhat,
  continueTo,
  defaultAnswers,
  expectStep,
  fillWholeReport,
  radio,
  submitAndReadReference,
  XSS,
} from './report-driver.ts';
import {
  en,
  es,
  expectAccessible,
  type Portal,
  screenshot,
  startPortal,
  visibleText,
  waitForEnriched,
} from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

// Staff API answers are walked freely; a wrong path fails the assertion anyway.
// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

describe('reporting a scam', () => {
  it('files a report with two payments made in different ways; it is stored and enriched', async () => {
    const { page, problems } = await portal.open('/report/');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await fillWholeReport(page, en);

    // The review shows the narrative as text: the <img> is not an element.
    const story = page.locator('.narrative');
    expect(await visibleText(story)).toContain(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('.review-list').allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`$2,500.00 by ${en.vocab.paymentMethods['wire-transfer']}`),
      ]),
    );
    await expectAccessible(page, 'report review');
    await screenshot(page, 'en-report-review');

    // "Change" goes to the step, and from there straight back to the review.
    await page.getByRole('button', { name: en.report.stepHow }).click();
    await expectStep(page, en.report.stepHow);
    await radio(page, en.vocab.contactMethods.text).check();
    await page.getByRole('button', { name: en.wizard.saveAndReturn }).click();
    await expectStep(page, en.report.stepReview);
    expect(await visibleText(page.locator('main'))).toContain(en.vocab.contactMethods.text);

    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') requests.push(request.headers()['idempotency-key'] ?? '(none)');
    });
    const reportId = await submitAndReadReference(page, en);
    expect(reportId).toMatch(/^RPT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^[\x21-\x7e]{8,}$/);

    // Focus is on the confirmation; next steps are the API's, tailored to the channels used: the
    // "wire" went through Western Union (so the company, not a bank recall) and a crypto payment.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      en.report.confirmationHeading,
    );
    const steps = await page.locator('.usa-process-list__heading').allInnerTexts();
    expect(steps).not.toContain('Call your bank today and ask it to recall the wire');
    expect(steps).toEqual(
      expect.arrayContaining([
        'Report the wallet address to the exchange or crypto ATM company',
        'Contact the money transfer company',
        'We will never ask you for a fee',
      ]),
    );
    await expectAccessible(page, 'report confirmation');
    await screenshot(page, 'en-report-confirmation');

    // Copy puts the reference number on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: en.report.copyReference }).click();
    await page.getByText(en.common.copied).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reportId);

    // Printed, the page keeps the reference number and drops the site chrome and buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.usa-banner').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: en.common.print }).isVisible()).toBe(false);
    expect(await page.locator('#reference-number').isVisible()).toBe(true);
    await screenshot(page, 'en-report-confirmation-print');
    await page.emulateMedia({ media: 'screen' });

    // Stored, then enriched, exactly as typed.
    const stored = (await waitForEnriched(portal, reportId)) as Json;
    const content = (stored['content'] ?? stored) as Json;
    const incident = content['incident'] as Json;
    expect(incident['category']).toBe('imposter-government');
    expect(incident['contactMethod']).toBe('text');
    expect(incident['firstContactDate']).toBe('2026-10-01');
    expect(incident['narrative']).toBe(defaultAnswers.narrative);
    const payments = content['payments'] as Json[];
    expect(payments.map((p) => [p['method'], p['amountCents']])).toEqual([
      ['wire-transfer', 250000],
      ['cryptocurrency', 80050],
    ]);
    expect(payments[0]?.['recipient']?.['kind']).toBe('money-transfer');
    expect(payments[1]?.['recipient']?.['kind']).toBe('crypto-wallet');
    const filer = content['filer'] as Json;
    expect(filer['role']).toBe('caregiver');
    expect(filer['language']).toBe('en');
    expect(filer['onBehalfOf']).toEqual({ name: 'Rose Alvarez', relationship: 'daughter' });
    expect(content['consents']).toEqual({ shareWithLawEnforcement: true, contactAboutRecovery: true });

    // A reload still shows the confirmation (a senior may refresh to find the number again).
    await page.reload();
    expect((await visibleText(page.locator('#reference-number'))).trim()).toBe(reportId);

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('keeps answers as a draft across a reload and a language switch, and clears them on request', async () => {
    const { page, problems } = await portal.open('/report/');
    await answerWhat(page, en);
    await continueTo(page, en, en.report.stepHow);
    await page.getByLabel(en.report.narrativeLabel).fill('They called about my grandson.');
    // The draft is written a moment after the last key.
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('restore.report.draft') ?? ''))
      .toContain('grandson');

    await page.reload();
    await expectStep(page, en.report.stepHow);
    await page.getByText(en.wizard.restored).waitFor();
    expect(await page.getByLabel(en.report.narrativeLabel).inputValue()).toBe(
      'They called about my grandson.',
    );
    await page.getByRole('button', { name: en.wizard.back, exact: true }).click();
    await expectStep(page, en.report.stepWhat);
    expect(await radio(page, en.vocab.categories['imposter-government'].label).isChecked()).toBe(true);

    // The same draft in Spanish.
    await page.locator('.lang-switch').click();
    await page.waitForURL('**/es/report/');
    await expectStep(page, es.report.stepWhat);
    expect(await radio(page, es.vocab.categories['imposter-government'].label).isChecked()).toBe(true);

    // The browser's back button moves between steps too.
    await continueTo(page, es, es.report.stepHow);
    await page.goBack();
    await expectStep(page, es.report.stepWhat);

    // "Clear my answers" on a shared computer.
    await page.getByRole('button', { name: es.wizard.clear }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(es.wizard.clearQuestion);
    await page.getByRole('button', { name: es.wizard.clearYes }).click();
    await page.getByText(es.wizard.cleared).waitFor();
    expect(await radio(page, es.report.groups.pretended.label).isChecked()).toBe(false);
    const saved = await page.evaluate(() => localStorage.getItem('restore.report.draft'));
    expect(saved === null || !saved.includes('grandson')).toBe(true);
    await page.reload();
    await expectStep(page, es.report.stepWhat);
    expect(await page.getByText(es.wizard.restored).count()).toBe(0);
    expect(await page.locator('input:checked').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('never files twice: a double click sends once, and a retry after a lost answer gets the same report', async () => {
    const { page, problems } = await portal.open('/report/');
    await fillWholeReport(page, en, { ...defaultAnswers, twoPayments: false });

    // The first answer is lost on the way back (the report was filed, the browser never hears).
    let filedFirst: string | undefined;
    const keys: string[] = [];
    await page.route('**/v1/reports', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (filedFirst === undefined) {
        const response = await route.fetch();
        filedFirst = ((await response.json()) as { reportId: string }).reportId;
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.getByRole('button', { name: en.report.submit, exact: true }).dblclick();
    await page.getByText(en.common.networkError, { exact: false }).waitFor();
    expect(keys).toHaveLength(1);
    expect(filedFirst).toMatch(/^RPT-/);

    const reportId = await submitAndReadReference(page, en);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(reportId).toBe(filedFirst);
    expect(problems.filter((p) => !p.includes('ERR_CONNECTION_RESET'))).toEqual([]);
  });

  it('can be filled in and sent with the keyboard alone, with focus moved to each new step', async () => {
    const { page, problems } = await portal.open('/report/');
    const keyboard = page.keyboard;
    const active = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return {
          tag: el?.tagName.toLowerCase() ?? '',
          text: (el?.textContent ?? '').trim(),
          label: el instanceof HTMLInputElement ? (el.labels?.[0]?.textContent ?? '') : '',
          type: el instanceof HTMLInputElement ? el.type : '',
          outline: el ? getComputedStyle(el).outlineStyle : 'none',
          heading: el?.matches('h2.usa-step-indicator__heading') ?? false,
        };
      });
    /** Tabs forward until `done` holds (at most 60 presses). */
    const tabUntil = async (done: (a: Awaited<ReturnType<typeof active>>) => boolean, what: string) => {
      for (let i = 0; i < 60; i++) {
        await keyboard.press('Tab');
        if (done(await active())) return;
      }
      throw new Error(`Tab never reached ${what}`);
    };
    const pressContinue = async (next: string) => {
      await tabUntil((a) => a.tag === 'button' && a.text === en.wizard.continue, 'Continue');
      expect((await active()).outline, 'focus is visible').not.toBe('none');
      await keyboard.press('Enter');
      await expectStep(page, next);
      expect((await active()).heading, `focus on the heading of "${next}"`).toBe(true);
    };

    // The skip link leads into the page.
    await keyboard.press('Tab');
    expect((await active()).text).toBe(en.common.skipLink);
    await keyboard.press('Enter');

    await tabUntil((a) => a.type === 'radio', 'the first question: what happened');
    await keyboard.press('Space'); // someone pretended to be someone else: the kinds appear below
    await tabUntil((a) => a.type === 'radio', 'the first kind of scam');
    await keyboard.press('ArrowDown'); // the second kind: someone pretending to be from a company
    await pressContinue(en.report.stepHow);

    await tabUntil((a) => a.type === 'radio', 'how they reached you');
    await keyboard.press('Space');
    await tabUntil((a) => a.tag === 'textarea', 'the story');
    await keyboard.type('A caller said he was from my bank. I gave him a code.');
    await pressContinue(en.report.stepMoney);

    await tabUntil((a) => a.type === 'radio', 'did you pay');
    await keyboard.press('Space'); // Yes
    await tabUntil((a) => a.label.startsWith(en.payments.amountLabel), 'the amount');
    await keyboard.type('150');
    await keyboard.press('Tab'); // the first way of paying
    for (let i = 0; i < 6; i++) await keyboard.press('ArrowDown'); // gift card
    expect(await radio(page, en.vocab.paymentMethods['gift-card']).isChecked()).toBe(true);
    await tabUntil((a) => a.label.startsWith(en.payments.brand), 'the gift card brand');
    await keyboard.type('Target');
    await keyboard.press('Tab');
    await keyboard.type('6006 4912 3456 7890');
    await pressContinue(en.report.stepScammer);
    await pressContinue(en.report.stepYou);
    await pressContinue(en.report.stepConsent);

    await tabUntil((a) => a.type === 'radio', 'share with police');
    await keyboard.press('Space');
    await keyboard.press('Tab');
    await keyboard.press('ArrowDown'); // "No, do not contact me"
    await pressContinue(en.report.stepReview);

    await tabUntil((a) => a.tag === 'button' && a.text === en.report.submit, 'Send my report');
    await keyboard.press('Enter');
    await page.getByRole('heading', { name: en.report.confirmationHeading }).waitFor();
    expect((await active()).text).toBe(en.report.confirmationHeading);
    const reportId = (await visibleText(page.locator('#reference-number'))).trim();

    const stored = (await waitForEnriched(portal, reportId)) as Json;
    const content = (stored['content'] ?? stored) as Json;
    expect((content['incident'] as Json)['category']).toBe('imposter-business');
    expect((content['payments'] as Json[])[0]).toMatchObject({ method: 'gift-card', amountCents: 15000 });
    expect(content['consents']).toEqual({ shareWithLawEnforcement: true, contactAboutRecovery: false });
    expect(problems).toEqual([]);
  });
});

describe('the Spanish report', () => {
  it('is filed in Spanish and gets next steps in Spanish', async () => {
    const { page, problems } = await portal.open('/es/report/');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await fillWholeReport(page, es, {
      ...defaultAnswers,
      narrative: 'Un hombre llamó y dijo que era del Seguro Social.',
    });
    expect(await page.locator('.review-list').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining(es.vocab.paymentMethods['wire-transfer'])]),
    );
    const reportId = await submitAndReadReference(page, es);
    const steps = await page.locator('.usa-process-list__heading').allInnerTexts();
    // The money went through Western Union: the advice is the company's, not a bank recall.
    expect(steps).toContain('Comuníquese con la compañía de envío de dinero');
    expect(steps).not.toContain('Llame hoy a su banco y pida que recupere la transferencia');
    expect(steps).toContain('Nunca le pediremos que pague nada');
    expect(await page.getByRole('heading', { name: es.report.whatNextHeading }).count()).toBe(1);
    await screenshot(page, 'es-report-confirmation');

    const stored = (await waitForEnriched(portal, reportId)) as Json;
    const content = (stored['content'] ?? stored) as Json;
    expect((content['filer'] as Json)['language']).toBe('es');
    expect((content['incident'] as Json)['narrative']).toBe(
      'Un hombre llamó y dijo que era del Seguro Social.',
    );
    expect(problems).toEqual([]);
  });
});
