/**
 * The agency console in Chromium against the real local runtime and its OpenID provider: sign-in
 * with code + PKCE from the keyboard, every screen and state checked with axe (WCAG 2.2 AA), a
 * decision race (the second reviewer sees what the first decided), HTML shown as text, the
 * "you need the admin role" page, an expired session that keeps a typed decision, the audit
 * trail, and public pages that never load console code (the distribution screens are in
 * console-distributions.test.ts). Screenshots go to test-results/screenshots/ (and, for the
 * docs, to RESTORE_EVIDENCE_DIR when set: `RESTORE_EVIDENCE_DIR=docs/screenshots/console`).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMinimalReportBody, wallets, withPayments } from '#test/support/factories.ts';
import { en } from '../../web/src/i18n/en.ts';
import { es } from '../../web/src/i18n/es.ts';
import { answerClaimant, answerLosses, answerSign } from './claim-driver.ts';
import { signIn } from './console-driver.ts';
import {
  continueTo,
  defaultAnswers,
  errorSummaryItems,
  expectStep,
  fillWholeReport,
} from './report-driver.ts';
import { axeViolations, evidenceScreenshot, type Portal, startPortal } from './support.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let portal: Portal;
/** axe violations per screen and state, printed at the end for the report. */
const axeCounts: Record<string, number> = {};

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  console.log(`axe violations per console screen: ${JSON.stringify(axeCounts)}`);
  await portal?.close();
});

async function check(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => !document.getElementById('console')?.hasAttribute('aria-busy'));
  const violations = await axeViolations(page);
  axeCounts[name] = violations.length;
  expect(violations, `axe on ${name}`).toEqual([]);
  await evidenceScreenshot(page, name);
}

async function call(method: string, path: string, body?: unknown, role?: 'reviewer' | 'admin', sub?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (role) headers['authorization'] = `Bearer ${await portal.stack.token(role, sub ? { sub } : {})}`;
  const res = await fetch(`${portal.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const walletPayment = (amountCents: number) => ({
  amountCents,
  currency: 'USD',
  date: '2026-09-01',
  method: 'cryptocurrency',
  recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
});

async function fileReport(narrative: string): Promise<string> {
  const res = await call(
    'POST',
    '/v1/reports',
    withPayments(
      [walletPayment(130_000)],
      makeMinimalReportBody({
        incident: { category: 'investment', narrative },
        consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
      }),
    ),
  );
  expect(res.status).toBe(202);
  const reportId = res.json['reportId'] as string;
  await portal.stack.waitFor(
    async () =>
      (await call('GET', `/v1/admin/reports/${reportId}`, undefined, 'reviewer')).json['status'] ===
      'ENRICHED',
  );
  return reportId;
}

async function fileClaim(poolId: string, name: string): Promise<string> {
  const res = await call('POST', '/v1/claims', {
    poolId,
    claimant: {
      name,
      email: 'claimant@example.com',
      address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
    },
    payments: [walletPayment(120_000)],
    recoveriesCents: 0,
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json['claimId'] as string;
}

const ctx: Json = {};

describe('agency console', () => {
  it('sets up a programme with matched reports and claims (through the API)', async () => {
    ctx.reportId = await fileReport('They showed me a <b>fake</b> dashboard <script>alert(1)</script>');
    await fileReport('Same wallet, another victim.');
    const pool = await call(
      'POST',
      '/v1/admin/pools',
      {
        name: 'United States v. Example Crypto Ring',
        caseNumber: '1:26-cv-00012',
        court: 'U.S. District Court, District of Columbia',
        amountCents: 500_000,
        claimDeadline: future(60),
        seizedIndicators: [{ type: 'crypto-wallet', value: wallets.btc }],
      },
      'admin',
      'admin',
    );
    expect(pool.status, JSON.stringify(pool.json)).toBe(201);
    ctx.poolId = pool.json['poolId'];
    ctx.claimA = await fileClaim(ctx.poolId, 'Ada <i>Lovelace</i>');
    ctx.claimB = await fileClaim(ctx.poolId, 'Grace Hopper');
  });

  it('shows a sign-in screen, then signs a reviewer in with code + PKCE from the keyboard', async () => {
    const { page, problems } = await portal.open('/staff/');
    await check(page, 'sign-in');
    await signIn(page, 'reviewer@example.gov');
    await page.getByRole('heading', { name: 'Claim queue' }).waitFor();
    await page.getByRole('link', { name: ctx.claimA }).waitFor();
    await check(page, 'queue');
    // No token in web storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ/);
    expect(problems).toEqual([]);
    ctx.reviewerPage = page;
  });

  it('opens a claim, shows HTML as text, and requires a reason for a decision', async () => {
    const page: Page = ctx.reviewerPage;
    await page.getByRole('link', { name: ctx.claimA }).click();
    await page.getByRole('heading', { name: `Claim ${ctx.claimA}` }).waitFor();
    await expect.poll(() => page.getByText('Ada <i>Lovelace</i>').count()).toBe(1);
    expect(await page.locator('#console i').count()).toBe(0);
    await check(page, 'claim');
    await page.getByLabel('Approve a recognised loss').check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Write the reason for this decision.').waitFor();
    await check(page, 'claim-missing-reason');
  });

  it('tells the second of two reviewers what the first decided, and overwrites nothing', async () => {
    const page: Page = ctx.reviewerPage;
    await page.getByLabel('Deny the claim').check();
    await page.getByLabel('Reason', { exact: true }).fill('The payments do not match the seized wallet.');
    // Meanwhile another reviewer approves it.
    const first = await call(
      'POST',
      `/v1/admin/claims/${ctx.claimA}/decision`,
      { decision: 'approve', recognizedLossCents: 100_000, reason: 'Matches the seized wallet.' },
      'reviewer',
      'rita',
    );
    expect(first.status).toBe(200);
    // The 409 itself says what the first reviewer decided: the console reads the claim no more.
    const reads: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'GET' && r.url().includes(`/v1/admin/claims/${ctx.claimA}`)) reads.push(r.url());
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Another reviewer decided this claim first').waitFor();
    await page.getByText('Matches the seized wallet.').waitFor();
    await page.getByText('$1,000.00').first().waitFor();
    page.off('request', onRequest);
    expect(reads).toEqual([]);
    await check(page, 'claim-conflict');
    const claim = await call('GET', `/v1/admin/claims/${ctx.claimA}`, undefined, 'admin');
    expect(claim.json['status']).toBe('APPROVED');
    expect(claim.json['decisions']).toHaveLength(1);
  });

  it('keeps a typed decision through an expired session and a new sign-in', async () => {
    const page: Page = ctx.reviewerPage;
    // A new hash is the same page: the session (in memory) carries on.
    await page.goto(`${portal.baseUrl}/staff/#/claims/${ctx.claimB}`);
    await page.getByRole('heading', { name: `Claim ${ctx.claimB}` }).waitFor();
    await page.getByLabel('Approve a recognised loss').check();
    await page.getByLabel('Reason', { exact: true }).fill('Receipts match; full loss recognised.');
    // The API now refuses the token, as it would once it expired.
    await page.route('**/v1/admin/**', (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' }),
    );
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Your session has ended').waitFor();
    await check(page, 'session-ended');
    await page.unroute('**/v1/admin/**');
    // The page is left for the provider and comes back with a code: wait for that new page, not
    // the old one still on screen.
    await Promise.all([
      page.waitForURL(/\/staff\/\?code=/, { waitUntil: 'commit' }),
      page.getByRole('button', { name: 'Sign in again' }).click(),
    ]);
    await page.getByRole('heading', { name: `Claim ${ctx.claimB}` }).waitFor();
    await expect
      .poll(() => page.getByLabel('Reason', { exact: true }).inputValue())
      .toBe('Receipts match; full loss recognised.');
    expect(await page.getByLabel('Approve a recognised loss').isChecked()).toBe(true);
    await page.waitForFunction(() => !document.getElementById('console')?.hasAttribute('aria-busy'));
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page
      .getByText('Decision recorded')
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}: ${await page.locator('#console').textContent()}`);
      });
    await check(page, 'claim-decided');
  });

  it("files a claim for a caller through the public site's own claim wizard: same checks, numbers shown once, kept nowhere", async () => {
    const page: Page = ctx.reviewerPage;
    await page.goto(`${portal.baseUrl}/staff/#/helpline`);
    await page.getByRole('heading', { name: 'Helpline: file a claim for a caller' }).waitFor();
    await expectStep(page, en.claim.stepStart);
    await check(page, 'helpline');
    await page
      .getByLabel(en.claim.programLabel)
      .selectOption({ label: 'United States v. Example Crypto Ring' });
    await continueTo(page, en, en.claim.stepYou);
    // The public site's checks, with its messages: a missing name is caught before anything is sent.
    await page.getByRole('button', { name: en.wizard.continue, exact: true }).click();
    expect(await errorSummaryItems(page)).toContain(en.errors.nameRequired);
    await check(page, 'helpline-invalid');
    await answerClaimant(page, en);
    await continueTo(page, en, en.claim.stepLosses);
    await answerLosses(page, en, wallets.btc);
    await continueTo(page, en, en.claim.stepSign);
    await answerSign(page, en);
    await continueTo(page, en, en.claim.stepReview);
    await check(page, 'helpline-review');
    await page.getByRole('button', { name: en.claim.submit, exact: true }).click();
    await page
      .getByRole('heading', { name: 'Claim filed for the caller' })
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}: ${await page.locator('#console').textContent()}`);
      });
    await check(page, 'helpline-filed');
    const claimId = (await page.locator('.console-secret').first().textContent()) ?? '';
    const accessCode = (await page.locator('.console-secret').nth(1).textContent()) ?? '';
    expect(claimId).toMatch(/^CLM-/);
    // Kept nowhere: not in web storage (no draft, no receipt), not in the address.
    const kept = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage, url: location.href }),
    );
    expect(kept).not.toContain(accessCode);
    expect(kept).not.toContain(claimId);
    expect(kept).not.toContain('Ana Alvarez');
    await page.getByRole('button', { name: 'Done: clear these numbers' }).click();
    await page.getByRole('heading', { name: 'Helpline: file a claim for a caller' }).waitFor();
    await expectStep(page, en.claim.stepStart);
    expect(await page.content()).not.toContain(accessCode);
    const claim = await call('GET', `/v1/admin/claims/${claimId}`, undefined, 'admin');
    expect(claim.json['assisted']).toMatchObject({ by: 'reviewer', email: 'reviewer@example.gov' });
    expect(claim.json['recoveriesCents']).toBe(50_000);
    const status = await call('POST', '/v1/claims/status', { claimId, accessCode });
    expect(status.status).toBe(200);
  });

  it("files a fraud report for a caller through the public site's own report wizard, marked staff-assisted", async () => {
    const page: Page = ctx.reviewerPage;
    await page.getByRole('link', { name: 'File a fraud report for a caller instead' }).click();
    await page.getByRole('heading', { name: 'Helpline: file a report for a caller' }).waitFor();
    await check(page, 'helpline-report');
    // A Spanish-speaking caller: the same wizard in Spanish, and the report says so.
    await page.getByLabel('Spanish (español)').check();
    await expectStep(page, es.report.stepWhat);
    expect(await page.locator('.console-helpline').getAttribute('lang')).toBe('es');
    await fillWholeReport(page, es, { ...defaultAnswers, twoPayments: false });
    await check(page, 'helpline-report-review-es');
    await page.getByRole('button', { name: es.report.submit, exact: true }).click();
    await page.getByRole('heading', { name: 'Report filed for the caller' }).waitFor();
    await check(page, 'helpline-report-filed');
    const reportId = (await page.locator('.console-secret').first().textContent()) ?? '';
    expect(reportId).toMatch(/^RPT-/);
    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(kept).not.toContain(reportId);
    expect(kept).not.toContain('Rose Alvarez');
    await portal.stack.waitFor(
      async () =>
        (await call('GET', `/v1/admin/reports/${reportId}`, undefined, 'admin')).json['status'] ===
        'ENRICHED',
    );
    const report = await call('GET', `/v1/admin/reports/${reportId}`, undefined, 'admin');
    expect(report.json['assisted']).toEqual({ by: 'reviewer', email: 'reviewer@example.gov' });
    expect(report.json['incident']['category']).toBe('imposter-government');
    expect(report.json['filer']['language']).toBe('es');
    await page.getByRole('button', { name: 'Done: clear these numbers' }).click();
    await page.getByRole('heading', { name: 'Helpline: file a report for a caller' }).waitFor();
    expect(await page.content()).not.toContain(reportId);
  });

  it('searches reports, opens one (its narrative as text) and follows an identifier', async () => {
    const page: Page = ctx.reviewerPage;
    await page.goto(`${portal.baseUrl}/staff/#/reports`);
    await page.getByRole('heading', { name: 'Search reports' }).waitFor();
    await page.getByLabel('Identifier').fill(`crypto-wallet:${wallets.btc.toUpperCase()}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: ctx.reportId }).waitFor();
    await check(page, 'report-search');
    await page.getByRole('link', { name: ctx.reportId }).click();
    await page.getByText('<script>alert(1)</script>', { exact: false }).waitFor();
    expect(await page.locator('#console script, #console b').count()).toBe(0);
    await check(page, 'report');
    await page
      .getByRole('link', { name: /crypto-wallet/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /Identifier crypto-wallet/ }).waitFor();
    await check(page, 'indicator');
  });

  it('shows a reviewer "you need the admin role" on admin screens', async () => {
    const page: Page = ctx.reviewerPage;
    await page.goto(`${portal.baseUrl}/staff/#/audit`);
    await page.getByRole('heading', { name: 'You need the admin role' }).waitFor();
    await check(page, 'needs-admin');
  });

  it('lets an admin edit a programme and see matches and invitations', async () => {
    const { page, problems } = await portal.open('/staff/#/programmes');
    await signIn(page, 'admin@example.gov');
    await page.getByRole('heading', { name: 'Programmes' }).waitFor();
    await check(page, 'programmes');
    await page.getByRole('link', { name: 'United States v. Example Crypto Ring' }).click();
    await page.getByRole('heading', { name: 'Edit' }).waitFor();
    await check(page, 'programme');
    await page.getByLabel('Eligibility').fill('Anyone who paid the seized wallet in 2026.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Anyone who paid the seized wallet in 2026.').first().waitFor();
    await page.getByRole('link', { name: 'Matches and invitations' }).click();
    await page.getByRole('heading', { name: /^Matches:/ }).waitFor();
    await check(page, 'matches');
    // Plans, approval, release and results with two admins: console-distributions.test.ts.
    expect(problems).toEqual([]);
    ctx.adminPage = page;
  });

  it('shows an admin the audit trail: the reviewer’s reads and decision, the admin’s writes', async () => {
    const page: Page = ctx.adminPage;
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.getByLabel('Record id').fill(ctx.claimB);
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('cell', { name: /write: POST \/v1\/admin\/claims\/\{claimId\}\/decision/ })
      .first()
      .waitFor();
    await page
      .getByRole('cell', { name: /reviewer@example.gov/ })
      .first()
      .waitFor();
    await check(page, 'audit');
  });

  it('keeps console code out of every public page', async () => {
    const { page } = await portal.open('/');
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(r.url()));
    for (const path of ['/', '/report/', '/claim/', '/status/', '/programs/', '/es/']) {
      await page.goto(`${portal.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      const html = await page.content();
      expect(html, path).not.toMatch(/staff|oauth/i);
    }
    expect(scripts.filter((u) => /staff|console/.test(u))).toEqual([]);
  });
});
