/** Drives the claim form and the status page by their visible labels (English or Spanish). */
import type { Page } from 'playwright-core';
import type { Messages } from '../../web/src/i18n/types.ts';
import { continueTo, payment, radio } from './report-driver.ts';

export async function answerClaimStart(page: Page, t: Messages, reportId?: string): Promise<void> {
  if (reportId) await page.getByLabel(t.claim.reportLabel).fill(reportId);
}

export async function answerClaimant(page: Page, t: Messages): Promise<void> {
  await page.getByLabel(t.claim.nameLabel).fill('Ana Alvarez');
  await page.getByLabel(t.claim.emailLabel).fill('ana@example.com');
  await page.getByLabel(t.claim.line1Label).fill('12 Palm Ave');
  await page.getByLabel(t.claim.cityLabel).fill('Miami');
  await page.getByLabel(t.claim.stateLabel, { exact: true }).selectOption('FL');
  await page.getByLabel(t.claim.zipLabel).fill('33101');
}

export async function answerLosses(page: Page, t: Messages, wallet: string): Promise<void> {
  const first = payment(page, 0);
  await first.getByLabel(t.payments.amountLabel).fill('4,000');
  await radio(first, t.vocab.paymentMethods.cryptocurrency).check();
  await first.getByLabel(t.payments.asset).fill('BTC');
  await first.getByLabel(t.payments.address).fill(wallet);
  await page.getByLabel(t.claim.recoveriesLabel).fill('500');
}

export async function answerSign(page: Page, t: Messages): Promise<void> {
  await page.getByRole('checkbox', { name: t.claim.perjury }).check();
  await page.getByRole('checkbox', { name: t.claim.notInvolved }).check();
  await page.getByLabel(t.claim.signedNameLabel).fill('Ana Alvarez');
}

/** Fills every step and stops on the review screen. */
export async function fillWholeClaim(
  page: Page,
  t: Messages,
  wallet: string,
  reportId?: string,
): Promise<void> {
  await answerClaimStart(page, t, reportId);
  await continueTo(page, t, t.claim.stepYou);
  await answerClaimant(page, t);
  await continueTo(page, t, t.claim.stepLosses);
  await answerLosses(page, t, wallet);
  await continueTo(page, t, t.claim.stepSign);
  await answerSign(page, t);
  await continueTo(page, t, t.claim.stepReview);
}
