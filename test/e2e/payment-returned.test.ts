/**
 * A payment comes back (the bank's results file says RETURNED); the claimant opens the status page
 * from the link, chooses how to be paid now (a direct deposit in English, a check to a new address
 * in Spanish), is stopped before sending a routing number that fails the banks' check, and then
 * sees a plain confirmation instead of the form, still there after a reload. And a claimant paid
 * again in a second round, from money left in the program, reads that it is a further payment.
 * No accessibility violation in any state.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCaller,
  approveAndRelease,
  approvedClaim,
  type Call,
  computePlan,
  newPool,
} from '#test/support/restoration-api.ts';
import { formatCents } from '../../web/src/app/values.ts';
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
  const poolId = await newPool(call, `Returned ${name}`, 50_000);
  const claim = await approvedClaim(call, poolId, name, 40_000);
  const plan = await computePlan(call, portal.stack, poolId);
  expect(plan.json['status'], plan.text).toBe('PLANNED');
  const distributionId = plan.json['distributionId'] as string;
  await approveAndRelease(call, portal.stack, poolId, distributionId);
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

/**
 * Round 1 shares $600.00 over two losses of $400.00 ($300.00 each); Bo's check is never cashed and
 * its money lapses; round 2 pays Ann the $100.00 she is still short, from that money.
 */
async function paidInSecondRound(): Promise<{ claimId: string; accessCode: string }> {
  const poolId = await newPool(call, 'Two rounds', 60_000);
  const ann = await approvedClaim(call, poolId, 'Ann Lee', 40_000);
  const bo = await approvedClaim(call, poolId, 'Bo Diaz', 40_000);
  const round1 = (await computePlan(call, portal.stack, poolId)).json['distributionId'] as string;
  await approveAndRelease(call, portal.stack, poolId, round1);
  const results = await call(
    'POST',
    `/v1/admin/pools/${poolId}/distributions/${round1}/payment-results`,
    [
      'claim_id,amount,status,date,payment_reference',
      `${ann.claimId},300.00,PAID,2027-01-15,CHK-1`,
      `${bo.claimId},300.00,VOID,2027-04-20,CHK-2`,
    ].join('\n'),
    'admin',
    'text/csv',
  );
  expect(results.status, results.text).toBe(202);
  await portal.stack.waitFor(
    async () => (await call('POST', '/v1/claims/status', bo)).json['status'] === 'PAYMENT_RETURNED',
  );
  // The wait for Bo's new details is over: move the return back instead of the clock.
  await DynamoDBDocumentClient.from(portal.stack.dynamo).send(
    new UpdateCommand({
      TableName: portal.stack.tableNames.main,
      Key: { pk: `CLAIM#${bo.claimId}`, sk: 'CLAIM' },
      UpdateExpression: 'SET payout.returnedAt = :t',
      ExpressionAttributeValues: { ':t': new Date(Date.now() - 91 * 86_400_000).toISOString() },
    }),
  );
  const round2 = await computePlan(call, portal.stack, poolId);
  expect(round2.json, round2.text).toMatchObject({ status: 'PLANNED', roundNumber: 2 });
  await approveAndRelease(call, portal.stack, poolId, round2.json['distributionId'] as string);
  return ann;
}

describe.each([
  ['en', en, '/status/'],
  ['es', es, '/es/status/'],
] as const)('a further payment from money left in the program (%s)', (lang, t, path) => {
  it('says the second payment is a further one, in the summary and the timeline', async () => {
    const { claimId, accessCode } = await paidInSecondRound();
    const { page, problems } = await portal.open(`${path}#claim=${claimId}&code=${accessCode}`);
    await page.getByRole('heading', { name: t.status.furtherPayoutHeading }).waitFor();
    const text = await visibleText(page.locator('main'));
    const amount = formatCents(10_000, lang, 'USD');
    expect(text).toContain(t.status.furtherScheduled.label);
    expect(text).toContain(t.status.events.furtherScheduled.replace('{amount}', amount));
    // The first payment keeps its own words (its date follows).
    const firstPaid = t.status.events.paymentPaid.replace('{amount}', formatCents(30_000, lang, 'USD'));
    expect(text).toContain(firstPaid.slice(0, firstPaid.indexOf('{date}')));
    await expectAccessible(page, `status: further payment (${lang})`);
    expect(problems).toEqual([]);
  });
});
