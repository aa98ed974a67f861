/**
 * The report form's problems: shown next to the box and in a summary at the top, in plain words,
 * in the page's language, whether our checks or the API found them (by the API's field paths).
 * Every step is checked with axe in both languages, empty (with errors) and answered, and at
 * 320 px wide.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Messages } from '../../web/src/i18n/types.ts';
import {
  answerConsent,
  answerHow,
  answerMoney,
  answerScammer,
  answerWhat,
  answerYou,
  continueTo,
  defaultAnswers,
  errorNear,
  errorSummaryItems,
  expectStep,
  fillDate,
  payment,
  radio,
  submitAndReadReference,
} from './report-driver.ts';
import { catalogues, checkScreen, en, es, type Portal, startPortal } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

const pressContinue = (page: Page, t: Messages) =>
  page.getByRole('button', { name: t.wizard.continue, exact: true }).click();

describe.each(['en', 'es'] as const)('every report step in %s', (lang) => {
  const t = catalogues[lang];
  const r = t.report;

  it('is accessible empty, with errors, and answered', async () => {
    const { page, problems } = await portal.open(lang === 'en' ? '/report/' : '/es/report/');

    await checkScreen(page, lang, 'step 1');
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.groupRequired]);
    await checkScreen(page, lang, 'step 1 with errors', 'report-step1-errors');
    await answerWhat(page, t);
    await continueTo(page, t, r.stepHow);

    await checkScreen(page, lang, 'step 2');
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.narrativeRequired]);
    await checkScreen(page, lang, 'step 2 with errors');
    await answerHow(page, t, defaultAnswers);
    await continueTo(page, t, r.stepMoney);

    await checkScreen(page, lang, 'step 3');
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.paidRequired]);
    await radio(page, t.common.yes).check();
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.amountRequired, t.errors.methodRequired]);
    await checkScreen(page, lang, 'step 3 with errors', 'report-step3-errors');
    await answerMoney(page, t, defaultAnswers);
    await checkScreen(page, lang, 'step 3 with two payments', 'report-step3');
    await continueTo(page, t, r.stepScammer);

    await checkScreen(page, lang, 'step 4', 'report-step4');
    await answerScammer(page, t, defaultAnswers);
    await continueTo(page, t, r.stepYou);

    await checkScreen(page, lang, 'step 5', 'report-step5');
    await page.getByLabel(r.zipLabel).fill('123');
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.zipInvalid]);
    await checkScreen(page, lang, 'step 5 with errors');
    await answerYou(page, t);
    await continueTo(page, t, r.stepConsent);

    await checkScreen(page, lang, 'step 6');
    await pressContinue(page, t);
    expect(await errorSummaryItems(page)).toEqual([t.errors.shareRequired, t.errors.contactConsentRequired]);
    await checkScreen(page, lang, 'step 6 with errors', 'report-step6-errors');
    await answerConsent(page, t);
    await continueTo(page, t, r.stepReview);

    await checkScreen(page, lang, 'review');
    await submitAndReadReference(page, t);
    await checkScreen(page, lang, 'confirmation');
    expect(problems).toEqual([]);
  });
});

describe('problems with answers', () => {
  it('are shown next to the box and in a summary that links to it, in plain words', async () => {
    const { page, problems } = await portal.open('/report/');
    await pressContinue(page, en);
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    // Focus goes to the summary; the title says there is a problem.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await errorNear(page.getByRole('group', { name: en.report.groupLegend }))).toBe(
      en.errors.groupRequired,
    );
    const firstChoice = radio(page, en.report.groups.pretended.label);
    expect(await firstChoice.getAttribute('aria-invalid')).toBe('true');
    // The link in the summary takes you to the question.
    await summary.getByRole('link', { name: en.errors.groupRequired }).click();
    expect(await firstChoice.evaluate((el) => el === document.activeElement)).toBe(true);
    // The question answered, the kinds under it come next: one error, for the question left.
    await firstChoice.check();
    await pressContinue(page, en);
    expect(await errorSummaryItems(page)).toEqual([en.errors.categoryRequired]);

    await answerWhat(page, en);
    await continueTo(page, en, en.report.stepHow);
    await fillDate(
      page.locator('fieldset', { hasText: en.report.firstContactLegend }),
      en,
      '13',
      '40',
      '2026',
    );
    await pressContinue(page, en);
    expect(await errorSummaryItems(page)).toEqual([en.errors.dateInvalid, en.errors.narrativeRequired]);
    const narrative = page.getByLabel(en.report.narrativeLabel);
    expect(await errorNear(narrative)).toBe(en.errors.narrativeRequired);
    expect(await narrative.getAttribute('aria-describedby')).toContain('narrative-error');
    await fillDate(
      page.locator('fieldset', { hasText: en.report.firstContactLegend }),
      en,
      '10',
      '1',
      '2099',
    );
    await pressContinue(page, en);
    expect(await errorSummaryItems(page)).toEqual([en.errors.dateFuture, en.errors.narrativeRequired]);
    // A two-digit year is told exactly what to change.
    await fillDate(page.locator('fieldset', { hasText: en.report.firstContactLegend }), en, '10', '1', '26');
    await pressContinue(page, en);
    expect(await errorSummaryItems(page)).toEqual([en.errors.dateShortYear, en.errors.narrativeRequired]);
    await answerHow(page, en, defaultAnswers);
    await continueTo(page, en, en.report.stepMoney);

    await radio(page, en.common.yes).check();
    const first = payment(page, 0);
    await first.getByLabel(en.payments.amountLabel).fill('two thousand');
    await pressContinue(page, en);
    expect(await errorSummaryItems(page)).toEqual([en.errors.amountInvalid, en.errors.methodRequired]);
    await first.getByLabel(en.payments.amountLabel).fill('500');
    await radio(first, en.vocab.paymentMethods.cryptocurrency).check();
    await first.getByLabel(en.payments.address).fill('not-a-real-wallet');
    await continueTo(page, en, en.report.stepScammer);
    await page.getByLabel(en.report.phoneItem.replace('{n}', '1')).fill('(202) 555-0143');
    await page.getByRole('button', { name: en.report.phoneAdd }).click();
    await page.getByLabel(en.report.phoneItem.replace('{n}', '2')).fill('12');
    await continueTo(page, en, en.report.stepYou);
    await continueTo(page, en, en.report.stepConsent);
    await answerConsent(page, en);
    await continueTo(page, en, en.report.stepReview);

    // The API finds two problems; the page goes to the first and lists both.
    await page.getByRole('button', { name: en.report.submit, exact: true }).click();
    await expectStep(page, en.report.stepMoney);
    const items = await errorSummaryItems(page);
    expect(items).toHaveLength(2);
    const address = payment(page, 0).getByLabel(en.payments.address);
    const addressError = await errorNear(address);
    expect(addressError.length).toBeGreaterThan(10);
    expect(items[0]).toBe(addressError);
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    expect(items[1]).toContain(`(on the page “${en.report.stepScammer}”)`);
    await checkScreen(page, 'en', 'step 3 with errors from the API', 'report-api-errors');

    // The other problem is one click away, next to the second phone box.
    await page.locator('.error-summary').getByRole('button').click();
    await expectStep(page, en.report.stepScammer);
    const phone2 = page.getByLabel(en.report.phoneItem.replace('{n}', '2'));
    expect((await errorNear(phone2)).length).toBeGreaterThan(10);
    expect(
      await page.getByLabel(en.report.phoneItem.replace('{n}', '1')).getAttribute('aria-invalid'),
    ).toBeNull();
    await phone2.fill('');
    await page.getByRole('button', { name: en.wizard.back, exact: true }).click();
    await expectStep(page, en.report.stepMoney);
    await payment(page, 0).getByLabel(en.payments.address).fill(defaultAnswers.wallet);
    for (const next of [
      en.report.stepScammer,
      en.report.stepYou,
      en.report.stepConsent,
      en.report.stepReview,
    ])
      await continueTo(page, en, next);
    expect(await submitAndReadReference(page, en)).toMatch(/^RPT-/);
    expect(problems).toEqual([]);
  });

  it('from the API are in Spanish on the Spanish form', async () => {
    const { page, problems } = await portal.open('/es/report/');
    await answerWhat(page, es);
    await continueTo(page, es, es.report.stepHow);
    await answerHow(page, es, defaultAnswers);
    await continueTo(page, es, es.report.stepMoney);
    await radio(page, es.common.no).check();
    await continueTo(page, es, es.report.stepScammer);
    await page.getByLabel(es.report.phoneItem.replace('{n}', '1')).fill('12');
    await page.getByLabel(es.report.emailItem.replace('{n}', '1')).fill('no es un correo');
    await continueTo(page, es, es.report.stepYou);
    await continueTo(page, es, es.report.stepConsent);
    await answerConsent(page, es);
    await continueTo(page, es, es.report.stepReview);
    await page.getByRole('button', { name: es.report.submit, exact: true }).click();
    await expectStep(page, es.report.stepScammer);
    expect(await errorSummaryItems(page)).toEqual([es.errors.checkPhone, es.errors.checkEmail]);
    expect(await errorNear(page.getByLabel(es.report.phoneItem.replace('{n}', '1')))).toBe(
      es.errors.checkPhone,
    );
    await checkScreen(page, 'es', 'paso 4 con errores de la API', 'report-api-errors');
    expect(problems).toEqual([]);
  });
});
