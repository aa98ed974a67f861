/**
 * Drives the report form like a person would, by visible labels from the catalogues (so the same
 * steps work in English and Spanish).
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Category } from '#shared/domain/enums.ts';
import { categoryGroups, groupOf } from '../../web/src/app/categories.ts';
import type { Messages } from '../../web/src/i18n/types.ts';
import { visibleText } from './support.ts';

export const wallets = { btc: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' };
export const XSS = '<img src=x onerror=alert(1)>';

const exact = (name: string) => ({ name, exact: true });

export async function currentStep(page: Page): Promise<string> {
  return visibleText(page.locator('.usa-step-indicator__heading-text'));
}

export async function expectStep(page: Page, title: string): Promise<void> {
  await expect.poll(() => currentStep(page)).toBe(title);
}

export async function continueTo(page: Page, t: Messages, next: string): Promise<void> {
  await page.getByRole('button', exact(t.wizard.continue)).click();
  await expectStep(page, next);
}

/** The label of a radio choice; its description is part of its accessible name. */
export function radio(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('radio', { name: label });
}

export async function fillDate(scope: Page | Locator, t: Messages, month: string, day: string, year: string) {
  await scope.getByLabel(t.date.month, { exact: true }).fill(month);
  await scope.getByLabel(t.date.day, { exact: true }).fill(day);
  await scope.getByLabel(t.date.year, { exact: true }).fill(year);
}

export function payment(page: Page, index: number): Locator {
  return page.locator('section.payment').nth(index);
}

export interface ReportAnswers {
  narrative: string;
  /** Payment 1 by wire through Western Union, payment 2 in Bitcoin. */
  twoPayments: boolean;
  scammerPhone: string;
  wallet: string;
}

export const defaultAnswers: ReportAnswers = {
  narrative: `A man called and said he was from Social Security. ${XSS} He told me to send money.`,
  twoPayments: true,
  scammerPhone: '(202) 555-0143',
  wallet: wallets.btc,
};

/** Picks a kind of scam: first the plain question it falls under, then the kind itself. */
export async function chooseCategory(page: Page, t: Messages, category: Category): Promise<void> {
  const group = groupOf(category);
  if (group === '') throw new Error(`no group for ${category}`);
  await radio(page, t.report.groups[group].label).check();
  if (categoryGroups[group].length > 1) await radio(page, t.vocab.categories[category].label).check();
}

export async function answerWhat(page: Page, t: Messages): Promise<void> {
  await chooseCategory(page, t, 'imposter-government');
}

export async function answerHow(page: Page, t: Messages, answers: ReportAnswers): Promise<void> {
  await radio(page, t.vocab.contactMethods['phone-call']).check();
  await fillDate(page.locator('fieldset', { hasText: t.report.firstContactLegend }), t, '10', '1', '2026');
  await page.getByLabel(t.report.narrativeLabel).fill(answers.narrative);
}

export async function answerMoney(page: Page, t: Messages, answers: ReportAnswers): Promise<void> {
  await radio(page, t.common.yes).check();
  const first = payment(page, 0);
  await first.getByLabel(t.payments.amountLabel).fill('2,500');
  await radio(first, t.vocab.paymentMethods['wire-transfer']).check();
  await fillDate(first, t, '10', '2', '2026');
  await radio(first, t.payments.wireViaCompany).check();
  await first.getByLabel(t.payments.provider).fill('Western Union');
  await first.getByLabel(t.payments.mtcn).fill('1234567890');
  if (!answers.twoPayments) return;
  await page.getByRole('button', exact(t.payments.add)).click();
  const second = payment(page, 1);
  await expect
    .poll(() => second.getByLabel(t.payments.amountLabel).evaluate((el) => el === document.activeElement))
    .toBe(true);
  await second.getByLabel(t.payments.amountLabel).fill('800.50');
  await radio(second, t.vocab.paymentMethods.cryptocurrency).check();
  await second.getByLabel(t.payments.asset).fill('Bitcoin');
  await second.getByLabel(t.payments.address).fill(answers.wallet);
}

export async function answerScammer(page: Page, t: Messages, answers: ReportAnswers): Promise<void> {
  await page.getByLabel(t.report.phoneItem.replace('{n}', '1')).fill(answers.scammerPhone);
  await page.getByLabel(t.report.emailItem.replace('{n}', '1')).fill('agent@ssa-help.example.com');
  await page.getByLabel(t.report.impersonatedLabel).fill('Social Security');
}

export async function answerYou(page: Page, t: Messages): Promise<void> {
  await radio(page, t.vocab.roles.caregiver).check();
  await page.getByLabel(t.report.onBehalfNameLabel).fill('Rose Alvarez');
  await page.getByLabel(t.report.relationshipLabel).fill('daughter');
  await radio(page, t.vocab.ageRanges['80-plus']).check();
  await page.getByLabel(t.report.stateLabel).selectOption('FL');
  await page.getByLabel(t.report.zipLabel).fill('33101');
  await page.getByLabel(t.report.nameLabel).fill('Ana Alvarez');
  await page.getByLabel(t.report.emailLabel).fill('ana@example.com');
}

export async function answerConsent(page: Page, t: Messages): Promise<void> {
  await radio(page, t.report.shareYes).check();
  await radio(page, t.report.contactConsentYes).check();
}

/** Fills every step and stops on the review screen. */
export async function fillWholeReport(page: Page, t: Messages, answers: ReportAnswers = defaultAnswers) {
  const r = t.report;
  await expectStep(page, r.stepWhat);
  await answerWhat(page, t);
  await continueTo(page, t, r.stepHow);
  await answerHow(page, t, answers);
  await continueTo(page, t, r.stepMoney);
  await answerMoney(page, t, answers);
  await continueTo(page, t, r.stepScammer);
  await answerScammer(page, t, answers);
  await continueTo(page, t, r.stepYou);
  await answerYou(page, t);
  await continueTo(page, t, r.stepConsent);
  await answerConsent(page, t);
  await continueTo(page, t, r.stepReview);
}

/** Sends from the review screen and returns the reference number shown. */
export async function submitAndReadReference(page: Page, t: Messages): Promise<string> {
  await page.getByRole('button', exact(t.report.submit)).click();
  await page.getByRole('heading', exact(t.report.confirmationHeading)).waitFor();
  return (await visibleText(page.locator('#reference-number'))).trim();
}

export async function errorSummaryItems(page: Page): Promise<string[]> {
  await page.locator('.error-summary').waitFor();
  return page.locator('.error-summary li').allInnerTexts();
}

/** The error message shown next to a field (an input, or a group of radios by its legend). */
export async function errorNear(control: Locator): Promise<string> {
  const message = control
    .locator(
      'xpath=ancestor-or-self::*[contains(concat(" ", @class, " "), " usa-form-group--error ")][1]//span[contains(@class, "usa-error-message")]',
    )
    .first();
  return (await visibleText(message)).replace(/^\s*(Error|Error):\s*/, '').trim();
}
