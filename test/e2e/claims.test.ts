/**
 * Restitution claims through the website, end to end. PENDING: needs GET /v1/pools,
 * POST /v1/claims and POST /v1/claims/status (and the admin pool, decision and distribution
 * routes). Enable by renaming this file to `claims.test.ts`.
 *
 * A victim reports paying a wallet; the agency seizes it and opens a programme; the programme
 * shows on the home page and the programme list; the victim files a claim from it, writes down
 * the claim number and access code, and follows the claim to its payment on the status page, in
 * English and Spanish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillWholeClaim } from './claim-driver.ts';
import { wallets } from './report-driver.ts';
import { en, es, expectAccessible, type Portal, screenshot, startPortal, visibleText } from './support.ts';

// Staff API answers are walked freely; a wrong path fails the assertion anyway.
// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

async function api(
  method: string,
  path: string,
  body?: unknown,
  role?: 'admin' | 'admin2' | 'reviewer',
): Promise<Json> {
  // admin2: a second admin, who approves what `admin` created (dual control).
  const token =
    role === 'admin2'
      ? await portal.stack.token('admin', { sub: 'local-admin-2' })
      : role
        ? await portal.stack.token(role)
        : undefined;
  const response = await fetch(`${portal.baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Json;
  expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

const PROGRAMME = 'Operation Clean Wallet';

describe('restitution claims', () => {
  let poolId = '';
  let reportId = '';
  let claimId = '';
  let accessCode = '';

  it('shows an open programme on the home page and the programme list', async () => {
    const report = await api('POST', '/v1/reports', {
      incident: { category: 'investment', narrative: 'A trading app took my savings.' },
      payments: [
        {
          amountCents: 400000,
          currency: 'USD',
          method: 'cryptocurrency',
          recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
        },
      ],
      consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
    });
    reportId = report['reportId'];
    const pool = await api(
      'POST',
      '/v1/admin/pools',
      {
        name: PROGRAMME,
        caseNumber: '1:26-cv-01234',
        court: 'U.S. District Court for the Southern District of Florida',
        amountCents: 1_000_000,
        currency: 'USD',
        seizedIndicators: [{ type: 'crypto-wallet', value: wallets.btc }],
        claimDeadline: '2027-06-30',
        minimumPayoutCents: 1000,
        description: 'Money seized from a fake crypto trading app.',
        eligibility: 'People who sent crypto to the app between 2025 and 2026.',
      },
      'admin',
    );
    poolId = pool['poolId'];

    const home = await portal.open('/');
    await home.page.locator('#programs-list').getByRole('heading', { name: PROGRAMME }).waitFor();
    await expectAccessible(home.page, 'home with a programme');
    await screenshot(home.page, 'en-home-with-programme');

    const { page, problems } = await portal.open('/programs/');
    const card = page.locator('.program-card', { hasText: PROGRAMME });
    await card.waitFor();
    expect(await visibleText(card)).toContain('1:26-cv-01234');
    expect(await visibleText(card)).toContain('June 30, 2027');
    await expectAccessible(page, 'programme list');
    await screenshot(page, 'en-programs-with-programme');
    expect(problems).toEqual([]);
    expect(home.problems).toEqual([]);
  });

  it('files a claim from the programme, showing the claim number and access code until they are saved', async () => {
    const { page, problems } = await portal.open('/programs/');
    await page.getByRole('link', { name: en.programs.fileClaim.replace('{program}', PROGRAMME) }).click();
    await page.waitForURL(`**/claim/?pool=${encodeURIComponent(poolId)}`);
    await page.locator('.usa-step-indicator').waitFor();
    expect(await page.getByLabel(en.claim.programLabel).inputValue()).toBe(poolId);

    await fillWholeClaim(page, en, wallets.btc, reportId);
    await page.getByRole('button', { name: en.claim.submit, exact: true }).click();
    await page.getByRole('heading', { name: en.claim.doneHeading }).waitFor();
    claimId = (await visibleText(page.locator('#claim-id'))).trim();
    accessCode = (await visibleText(page.locator('#access-code'))).trim();
    expect(claimId).not.toBe('');
    expect(accessCode).not.toBe('');
    expect(await page.getByText(en.claim.writeDown).count()).toBe(1);
    await expectAccessible(page, 'claim filed');
    await screenshot(page, 'en-claim-filed');

    // The numbers stay on screen after a reload, until the person says they saved them
    // (test/e2e/senior.test.ts follows that through).
    await page.reload();
    await page.getByRole('heading', { name: en.claim.doneHeading }).waitFor();
    expect((await visibleText(page.locator('#access-code'))).trim()).toBe(accessCode);
    expect(problems).toEqual([]);
  });

  it('shows the claim’s status, timeline, approved loss and payment, with how it was worked out', async () => {
    const { page, problems } = await portal.open(`/status/?claim=${encodeURIComponent(claimId)}`);
    expect(await page.getByLabel(en.status.claimIdLabel).inputValue()).toBe(claimId);
    await page.getByLabel(en.status.accessCodeLabel).fill(accessCode);
    await page.getByRole('button', { name: en.status.submit, exact: true }).click();
    await page.getByText(en.vocab.claimStatuses.SUBMITTED.label).first().waitFor();
    expect(await page.locator('.usa-process-list__item').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'claim status: submitted');
    await screenshot(page, 'en-status-submitted');

    await api(
      'POST',
      `/v1/admin/claims/${encodeURIComponent(claimId)}/decision`,
      { decision: 'approve', recognizedLossCents: 350_000 },
      'admin',
    );
    const plan = await api(
      'POST',
      `/v1/admin/pools/${encodeURIComponent(poolId)}/distributions`,
      {},
      'admin',
    );
    const planPath = `/v1/admin/pools/${encodeURIComponent(poolId)}/distributions/${encodeURIComponent(plan['distributionId'])}`;
    // The plan is computed in the background: wait for it, then a second admin approves it.
    await portal.stack.waitFor(
      async () => (await api('GET', planPath, undefined, 'admin'))['status'] === 'PLANNED',
    );
    await api('POST', `${planPath}/approve`, {}, 'admin2');
    // Approval moves the claims in a background job too: wait for it.
    await portal.stack.waitFor(
      async () => (await api('GET', planPath, undefined, 'admin'))['scheduling']?.['state'] === 'DONE',
    );

    await page.getByRole('button', { name: en.status.checkAnother }).click();
    await page.getByLabel(en.status.accessCodeLabel).fill(accessCode);
    await page.getByRole('button', { name: en.status.submit, exact: true }).click();
    await page.getByText(en.vocab.claimStatuses.PAYMENT_SCHEDULED.label).first().waitFor();
    const text = await visibleText(page.locator('main'));
    expect(text).toContain(en.status.lossHeading);
    expect(text).toContain('$3,500.00');
    expect(text).toContain(en.status.lossExplain);
    expect(text).toContain(en.status.payoutHeading);
    await expectAccessible(page, 'claim status: payment scheduled');
    await screenshot(page, 'en-status-payment-scheduled');
    expect(problems).toEqual([]);
  });

  it('reads the same claim in Spanish', async () => {
    const { page, problems } = await portal.open(`/es/status/?claim=${encodeURIComponent(claimId)}`);
    await page.getByLabel(es.status.accessCodeLabel).fill(accessCode);
    await page.getByRole('button', { name: es.status.submit, exact: true }).click();
    await page.getByText(es.vocab.claimStatuses.PAYMENT_SCHEDULED.label).first().waitFor();
    expect(await visibleText(page.locator('main'))).toContain(es.status.lossExplain);
    await expectAccessible(page, 'estado del reclamo');
    await screenshot(page, 'es-status-payment-scheduled');
    expect(problems).toEqual([]);
  });

  it('answers a wrong access code exactly like an unknown claim', async () => {
    const { page } = await portal.open('/status/');
    await page.getByLabel(en.status.claimIdLabel).fill(claimId);
    await page.getByLabel(en.status.accessCodeLabel).fill('not-the-code');
    await page.getByRole('button', { name: en.status.submit, exact: true }).click();
    await page.getByText(en.status.notFound).waitFor();
  });

  it('files a claim in Spanish', async () => {
    const { page, problems } = await portal.open(`/es/claim/?pool=${encodeURIComponent(poolId)}`);
    await page.locator('.usa-step-indicator').waitFor();
    await fillWholeClaim(page, es, wallets.btc);
    await page.getByRole('button', { name: es.claim.submit, exact: true }).click();
    await page.getByRole('heading', { name: es.claim.doneHeading }).waitFor();
    await expectAccessible(page, 'reclamo presentado');
    await screenshot(page, 'es-claim-filed');
    expect(problems).toEqual([]);
  });
});
