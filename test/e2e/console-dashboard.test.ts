/**
 * The console's dashboard and the reviewer's flags in Chromium against the real local runtime:
 * SVG charts with their data tables, the period picker, a claim's flags with their reasons and
 * links, axe (WCAG 2.2 AA) on each. Screenshots are kept only with RESTORE_EVIDENCE_DIR
 * set (RESTORE_EVIDENCE_DIR=docs/screenshots/console).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReportBody } from '#test/support/factories.ts';
import { type Json, screenChecker, signIn, staffApi } from './console-driver.ts';
import { type Portal, startPortal, visibleText } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

const check = screenChecker();
const call = staffApi(() => portal);

const claimant = (name: string) => ({
  claimant: {
    name,
    address: { line1: '7 Harbor Road', city: 'Miami', state: 'FL', zip: '33101' },
    payoutAccount: { routingNumber: '011000015', accountNumber: '31415926' },
  },
  payments: [{ amountCents: 50_000, currency: 'USD', method: 'gift-card' }],
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
});

describe('console dashboard and flags', () => {
  const ctx: Json = {};

  it('sets up reports and two claims sharing a payout account (through the API)', async () => {
    for (const ageRange of ['70-79', '60-69']) {
      const res = await call('POST', '/v1/reports', makeReportBody({ filer: { ageRange } }));
      expect(res.status).toBe(202);
      const id = res.json['reportId'];
      await portal.stack.waitFor(
        async () =>
          (await call('GET', `/v1/admin/reports/${id}`, undefined, 'reviewer')).json['status'] === 'ENRICHED',
      );
    }
    const a = await call('POST', '/v1/claims', claimant('Nora Quinn'));
    const b = await call('POST', '/v1/claims', claimant('Oscar Reyes'));
    expect([a.status, b.status]).toEqual([201, 201]);
    ctx.claimA = a.json['claimId'];
    ctx.claimB = b.json['claimId'];
  });

  it('shows each chart as an SVG image with a summary and its figures in a table', async () => {
    const { page, problems } = await portal.open('/staff/#/dashboard');
    await signIn(page, 'reviewer@example.gov');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    for (const title of [
      'Reports per week',
      'Reports by category',
      'Reports by age range',
      'Claims by status',
    ]) {
      const section = page.getByRole('region', { name: title, exact: true });
      expect(await section.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(
        /Figures|none|no reports/,
      );
      expect(await section.locator('table').count()).toBe(1);
    }
    const ages = page.getByRole('table', { name: 'Reports by age range (figures)' });
    expect(await visibleText(ages)).toContain('70-79');
    const top = page.getByRole('table', { name: 'Identifiers named by the most reports' });
    expect(await visibleText(top)).toContain('555 0143');
    await check(page, 'dashboard');

    await page.getByLabel('Period', { exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/#\/dashboard\?weeks=4/);
    // The 12-week tables stay on screen until the 4-week answer arrives: wait for the redraw.
    await expect
      .poll(
        () => page.getByRole('table', { name: 'Reports per week (figures)' }).locator('tbody tr').count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(4);
    expect(problems).toEqual([]);
  });

  it('shows a claim’s flags with their reasons and a link to the other claim', async () => {
    const { page, problems } = await portal.open(`/staff/#/claims/${ctx.claimA}`);
    await signIn(page, 'reviewer@example.gov');
    const flags = page.getByRole('alert').filter({ hasText: 'flag' });
    await flags.waitFor();
    const text = await visibleText(flags);
    expect(text).toContain('Same payout bank account as another claimant');
    expect(text).toContain('different claimant');
    await check(page, 'claim-flags');
    await flags.getByRole('link', { name: ctx.claimB }).first().click();
    await page.getByRole('heading', { name: `Claim ${ctx.claimB}` }).waitFor();
    expect(problems).toEqual([]);
  });

  it('lets an admin give a programme its Spanish name, which the Spanish site then shows', async () => {
    const created = await call(
      'POST',
      '/v1/admin/pools',
      {
        name: 'Operation Blue Harbor',
        caseNumber: '1:26-cv-04321',
        court: 'D. Md.',
        amountCents: 90_000,
        claimDeadline: '2027-12-31',
      },
      'admin',
    );
    expect(created.status).toBe(201);
    const poolId = created.json['poolId'];
    const { page, problems } = await portal.open(`/staff/#/programmes/${poolId}`);
    await signIn(page, 'admin@example.gov');
    await page.getByLabel('Name in Spanish', { exact: false }).first().fill('Operación Puerto Azul');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Operación Puerto Azul').first().waitFor();
    await check(page, 'programme-spanish');
    const spanish = await portal.open('/es/programs/');
    await spanish.page.locator('.program-card', { hasText: 'Operación Puerto Azul' }).waitFor();
    expect(problems).toEqual([]);
    expect(spanish.problems).toEqual([]);
  });
});
