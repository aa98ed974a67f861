/**
 * A payment comes back (the bank's results file says RETURNED); the claimant opens the status page
 * from the link, chooses how to be paid now (a direct deposit in English, a check to a new address
 * in Spanish), is stopped before sending a routing number that fails the banks' check, and then
 * sees a plain confirmation instead of the form, still there after a reload. No accessibility
 * violation in any state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCaller,
  approveAndRelease,
  approvedClaim,
  type Call,
  computePlan,
} from '#test/support/restoration-api.ts';
import { en, es, expectAccessible, type Portal, startPortal, visibleText } from './support.ts';

let portal: Portal;
let call: Call;

beforeAll(async () => {
  portal = await startPortal();
  call = apiCaller(portal.stack);
});

afterAll(async () => {
  await portal?.close();
});

/** A claim paid $400.00 in full whose check the bank reports returned. */
async function returnedClaim(name: string): Promise<{ claimId: string; accessCode: string }> {
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const pool = await call(
    'POST',
    '/v1/admin/pools',
    {
      name: `Returned ${name}`,
      caseNumber: '1:26-cr-90',
      court: 'E.D. Va.',
      amountCents: 50_000,
      claimDeadline: future,
    },
    'admin',
  );
  expect(pool.status, pool.text).toBe(201);
  const poolId = pool.json['poolId'] as string;
  const claim = await approvedClaim(call, poolId, name, 40_000);
  const plan = await computePlan(call, portal.stack, poolId);
  expect(plan.json['status'], plan.text).toBe('PLANNED');
  const distributionId = plan.json['distributionId'] as string;
  await approveAndRelease(call, poolId, distributionId);
  const results = await call(
    'POST',
    `/v1/admin/pools/${poolId}/distributions/${distributionId}/payment-results`,
    `claim_id,amount,status,date,payment_reference\n${claim.claimId},400.00,RETURNED,2027-01-20,CHK-9001\n`,
    'admin',
    'text/csv',
  );
  expect(results.status, results.text).toBe(202);
  await portal.stack.waitFor(
    async () => (await call('POST', '/v1/claims/status', claim)).json['status'] === 'PAYMENT_RETURNED',
  );
  return claim;
}

describe('a returned payment on the status page', () => {
  it('takes a direct deposit, checked like the bank checks it, then confirms it and keeps the confirmation (en)', async () => {
    const t = en;
    const pd = t.paymentDetails;
    const { claimId, accessCode } = await returnedClaim('Ann Lee');
    const { page, problems } = await portal.open(`/status/#claim=${claimId}&code=${accessCode}`);
    await page.getByRole('heading', { name: pd.heading }).waitFor();
    expect(await visibleText(page.locator('main'))).toContain(t.vocab.claimStatuses.PAYMENT_RETURNED.label);
    await expectAccessible(page, 'status: payment returned (en)');

    await page.getByRole('button', { name: pd.submit }).click();
    await page.getByText(pd.methodRequired).first().waitFor();

    await page.getByLabel(pd.methodDeposit).check();
    await page.getByLabel(pd.routing).fill('011000016');
    await page.getByLabel(pd.account).fill('12');
    await page.getByRole('button', { name: pd.submit }).click();
    await page.getByText(pd.routingInvalid).first().waitFor();
    await page.getByText(pd.accountInvalid).first().waitFor();
    await expectAccessible(page, 'status: payment details refused on the page (en)');

    await page.getByLabel(pd.routing).fill('011000015');
    await page.getByLabel(pd.account).fill('4455667788');
    await page.getByRole('button', { name: pd.submit }).click();
    await page.getByRole('heading', { name: pd.receivedHeading }).waitFor();
    const confirmed = await visibleText(page.locator('main'));
    expect(confirmed).toContain(pd.receivedDeposit.replace('{last4}', '7788'));
    expect(confirmed).not.toContain('4455667788');
    expect(await page.getByRole('button', { name: pd.submit }).count()).toBe(0);
    await expectAccessible(page, 'status: payment details received (en)');

    await page.reload();
    await page.getByRole('heading', { name: pd.receivedHeading }).waitFor();
    expect(await page.getByLabel(pd.routing).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('takes a check to a new address and confirms it (es)', async () => {
    const t = es;
    const pd = t.paymentDetails;
    const { claimId, accessCode } = await returnedClaim('Ana Ruiz');
    const { page, problems } = await portal.open(`/es/status/#claim=${claimId}&code=${accessCode}`);
    await page.getByRole('heading', { name: pd.heading }).waitFor();
    await page.getByLabel(pd.methodCheck).check();
    await page.getByRole('button', { name: pd.submit }).click();
    await page.getByText(pd.required).first().waitFor();
    await expectAccessible(page, 'status: payment returned, address missing (es)');

    await page.getByLabel(pd.line1, { exact: true }).fill('9 New Rd');
    await page.getByLabel(pd.city, { exact: true }).fill('Fairfax');
    await page.getByLabel(pd.state, { exact: true }).fill('VA');
    await page.getByLabel(pd.zip, { exact: true }).fill('22030');
    await page.getByRole('button', { name: pd.submit }).click();
    await page.getByRole('heading', { name: pd.receivedHeading }).waitFor();
    expect(await visibleText(page.locator('main'))).toContain(pd.receivedCheck);
    await expectAccessible(page, 'status: payment details received (es)');
    await page.reload();
    await page.getByRole('heading', { name: pd.receivedHeading }).waitFor();
    expect(problems).toEqual([]);
  });
});
