/**
 * The console's distribution screens in Chromium against the real local runtime, with two admins
 * signed in from the keyboard: admin A creates a plan and watches its job (phase, progress bar,
 * claims read, lines written), cannot approve it (the API's 403 SECOND_ADMIN_REQUIRED is shown as
 * written), admin B approves it and watches the scheduling job, A cannot release it, B releases
 * it and the payment file is written to S3 once; its download matches the SHA-256 the screen
 * shows. A results file that does not reconcile is refused line by line and nothing is applied;
 * the corrected one is. The returned payment's claimant gives a new address, and the next round
 * reissues it. axe (WCAG 2.2 AA) on every state, including each job while it runs (the queue
 * pollers are paused to hold it there). Screenshots only with RESTORE_EVIDENCE_DIR set.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, screenChecker, signIn, staffApi } from './console-driver.ts';
import { type Portal, startPortal } from './support.ts';

let portal: Portal;
const axeCounts: Record<string, number> = {};

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  console.log(`axe violations per distribution state: ${JSON.stringify(axeCounts)}`);
  await portal?.close();
});

const check = screenChecker(axeCounts);
const call = staffApi(() => portal);

async function approvedClaim(poolId: string, name: string, lossCents: number) {
  const filed = await call('POST', '/v1/claims', {
    poolId,
    claimant: { name, address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' } },
    payments: [{ amountCents: lossCents, method: 'cash' }],
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
  });
  expect(filed.status, JSON.stringify(filed.json)).toBe(201);
  const decided = await call(
    'POST',
    `/v1/admin/claims/${filed.json['claimId']}/decision`,
    { decision: 'approve', recognizedLossCents: lossCents },
    'reviewer',
  );
  expect(decided.status, JSON.stringify(decided.json)).toBe(200);
  return { claimId: filed.json['claimId'] as string, accessCode: filed.json['accessCode'] as string };
}

const ctx: Json = {};

/** Draws the plan's screen again (a reload would end the in-memory session). */
async function revisit(page: Page): Promise<void> {
  await page.evaluate(() => {
    location.hash = '#/programmes';
  });
  await page.getByRole('heading', { name: 'Programmes' }).waitFor();
  await page.evaluate((hash) => {
    location.hash = hash;
  }, ctx.planHash as string);
  await page.getByRole('heading', { name: /^Distribution plan DST-/ }).waitFor();
}

/** Presses a button from the keyboard. */
async function press(page: Page, name: string): Promise<void> {
  const b = page.getByRole('button', { name, exact: true });
  await b.focus();
  await page.keyboard.press('Enter');
}

describe('console: distributions with two admins', () => {
  it('sets up a programme with three approved claims (through the API)', async () => {
    const pool = await call(
      'POST',
      '/v1/admin/pools',
      {
        name: 'United States v. Two Rounds',
        caseNumber: '1:26-cr-00077',
        court: 'E.D. Va.',
        amountCents: 100_000,
        minimumPayoutCents: 500,
        claimDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      },
      'admin',
    );
    expect(pool.status, JSON.stringify(pool.json)).toBe(201);
    ctx.poolId = pool.json['poolId'];
    ctx.ann = await approvedClaim(ctx.poolId, 'Ann Lee', 70_000);
    ctx.bo = await approvedClaim(ctx.poolId, 'Bo Diaz', 40_000);
    ctx.cy = await approvedClaim(ctx.poolId, 'Cy Park', 1_500);
  });

  it('admin A creates a plan and follows its job to the summary and lines', async () => {
    const { page, problems } = await portal.open(`/staff/#/programmes/${ctx.poolId}`);
    await signIn(page, 'admin@example.gov');
    await page.getByRole('heading', { name: 'United States v. Two Rounds' }).waitFor();
    await portal.stack.pausePoller();
    await press(page, 'Create a distribution plan');
    await page.getByRole('heading', { name: 'Computing the plan' }).waitFor();
    const bar = page.getByRole('progressbar', { name: /Computing the plan: \d+% done/ });
    await bar.waitFor();
    expect(await page.locator('#main-content').textContent()).toMatch(/Claims read[\s\S]*Plan lines written/);
    await check(page, 'distribution-computing');
    portal.stack.resumePoller();
    await page.getByRole('heading', { name: 'The plan is ready' }).waitFor({ timeout: 60_000 });
    ctx.planHash = new URL(page.url()).hash;
    const main = (await page.locator('#main-content').textContent()) ?? '';
    // The worked example of docs/distribution-jobs.md: $627.80, $358.75, $13.45.
    expect(main).toContain('$1,000.00');
    expect(main).toContain('Pro rata');
    for (const amount of ['$627.80', '$358.75', '$13.45']) {
      await page.getByRole('cell', { name: amount, exact: true }).waitFor();
    }
    await check(page, 'distribution-plan');

    // Dual control: the creator's own approval is refused by the API, and the console says why.
    await press(page, 'Approve this plan');
    await page.getByText('a second admin must approve').waitFor();
    await check(page, 'distribution-approve-refused');
    expect(problems.filter((p) => !p.includes('status of 403'))).toEqual([]);
    ctx.adminA = page;
  });

  it('admin B approves it and follows the scheduling job; admin A cannot release it', async () => {
    const { page, problems } = await portal.open(`/staff/${ctx.planHash}`);
    await signIn(page, 'admin2@example.gov');
    await page.getByRole('heading', { name: /^Distribution plan DST-/ }).waitFor();
    await portal.stack.pausePoller();
    await press(page, 'Approve this plan');
    await page.getByRole('heading', { name: 'Plan approved' }).waitFor();
    await page.getByRole('progressbar', { name: /Scheduling the approved payments: \d+% done/ }).waitFor();
    await check(page, 'distribution-scheduling');
    portal.stack.resumePoller();
    await page.getByRole('heading', { name: 'The payments are scheduled' }).waitFor({ timeout: 60_000 });
    await check(page, 'distribution-approved');

    const a: Page = ctx.adminA;
    await revisit(a);
    await press(a, 'Release the payment file');
    await a
      .getByText(/second admin/i)
      .first()
      .waitFor();
    await check(a, 'distribution-release-refused');
    expect(problems).toEqual([]);
    ctx.adminB = page;
  });

  it('admin B releases it; the payment file is written once and downloads with the SHA-256 shown', async () => {
    const page: Page = ctx.adminB;
    await portal.stack.pausePoller();
    await press(page, 'Release the payment file');
    await page.getByRole('heading', { name: 'Payment file released' }).waitFor();
    await page.getByRole('progressbar', { name: /Writing the payment file: \d+% done/ }).waitFor();
    await check(page, 'distribution-writing-file');
    portal.stack.resumePoller();
    await page.getByRole('heading', { name: 'The payment file is ready' }).waitFor({ timeout: 60_000 });
    const shown = (await page.locator('.console-checksum').first().textContent())?.trim() ?? '';
    expect(shown).toMatch(/^[0-9a-f]{64}$/);
    const download = page.waitForEvent('download');
    await press(page, 'Download the payment file');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^payments-DST-.*\.csv$/);
    const bytes = await readFile((await file.path())!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shown);
    expect(bytes.toString('utf8')).toContain('"Ann Lee"');
    await page.getByRole('heading', { name: 'Download started' }).waitFor();
    await check(page, 'distribution-file');
  });

  it('refuses a results file that does not reconcile, listing each line', async () => {
    const page: Page = ctx.adminB;
    const header = 'claim_id,amount,status,date,payment_reference';
    const rows = (boAmount: string) =>
      [
        header,
        `${ctx.ann.claimId},627.80,PAID,2027-01-15,CHK-1001`,
        `${ctx.bo.claimId},${boAmount},RETURNED,2027-01-20,CHK-1002`,
        `${ctx.cy.claimId},13.45,PAID,2027-01-15,CHK-1003`,
      ].join('\n');
    const send = async (csv: string) => {
      await page
        .getByLabel('Results file from the bank (CSV)')
        .setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await press(page, 'Send the results file');
    };
    await send(rows('358.74'));
    await page.getByRole('heading', { name: 'Nothing from this file was applied' }).waitFor();
    const refused = page.getByRole('region', { name: 'Lines that do not reconcile' });
    await refused.getByRole('cell', { name: ctx.bo.claimId }).waitFor();
    await refused.getByRole('cell', { name: '3', exact: true }).waitFor(); // line 3 of the file
    await refused.getByRole('cell', { name: /358\.74/ }).waitFor();
    expect(await refused.getByRole('row').count()).toBe(2); // the header and the one bad line
    await check(page, 'distribution-results-refused');

    ctx.send = send;
    ctx.rows = rows;
  });

  it('sends a results file over 5.5 MB straight to S3 with progress; the worker refuses it line by line', async () => {
    const page: Page = ctx.adminB;
    const header = 'claim_id,amount,status,date,payment_reference';
    const send = ctx.send as (csv: string) => Promise<void>;
    // Over 5.5 MB: straight to S3 with a progress bar, checked by the worker, refused line by line.
    const big = [header];
    for (let i = 0; i < 100_000; i++) {
      big.push(
        `CLM-0000-0000-${String(Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')},12.34,PAID,2027-01-15,CHK-${String(i).padStart(12, '0')}`,
      );
    }
    const bigCsv = big.join('\n');
    expect(Buffer.byteLength(bigCsv)).toBeGreaterThan(5_500_000);
    await send(bigCsv);
    await page
      .getByRole('heading', { name: 'The last uploaded results file was refused' })
      .waitFor({ timeout: 120_000 });
    await page
      .getByText(/100,000 lines/)
      .first()
      .waitFor();
    await check(page, 'distribution-results-upload-refused');
  });

  it('applies the corrected results file', async () => {
    const page: Page = ctx.adminB;
    const send = ctx.send as (csv: string) => Promise<void>;
    const rows = ctx.rows as (boAmount: string) => string;
    await send(rows('358.75'));
    await page.getByRole('heading', { name: 'Results file accepted' }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'The results file is applied' }).waitFor({ timeout: 90_000 });
    await check(page, 'distribution-results-applied');
  });

  it('starts the next round, which reissues the returned payment to its new address', async () => {
    const moved = await call('POST', '/v1/claims/payment-details', {
      ...ctx.bo,
      address: { line1: '9 New Rd', city: 'Fairfax', state: 'VA', zip: '22030' },
    });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    const page: Page = ctx.adminB;
    await revisit(page);
    await press(page, 'Start the next round');
    await page.getByRole('heading', { name: 'The plan is ready' }).waitFor({ timeout: 60_000 });
    const main = (await page.locator('#main-content').textContent()) ?? '';
    expect(main).toMatch(/Round\s*2/);
    const round1 = ctx.planHash.split('/').pop();
    const reissue = page.getByRole('row', { name: new RegExp(ctx.bo.claimId) });
    expect(await reissue.textContent()).toContain('$358.75');
    expect(await reissue.textContent()).toContain(round1);
    await check(page, 'distribution-next-round');
  });
});
