/**
 * A reviewer asks a claimant for information; the claimant opens the status page from the link
 * (claim number and access code after `#`), reads the question in plain words, answers it, and
 * sees the claim back under review, in English and Spanish, with no accessibility violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, es, expectAccessible, type Portal, startPortal, visibleText } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

async function post(path: string, body: unknown, reviewer = false): Promise<Record<string, unknown>> {
  const token = reviewer ? await portal.stack.token('reviewer') : undefined;
  const response = await fetch(`${portal.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, `${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

const QUESTION = 'Send the date of your last payment to the caller.';

async function claimNeedingInfo(): Promise<{ claimId: string; accessCode: string }> {
  const filed = await post('/v1/claims', {
    claimant: { name: 'Ana Ruiz', address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' } },
    payments: [{ amountCents: 40_000, method: 'cash' }],
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Ana Ruiz' },
  });
  const claimId = String(filed['claimId']);
  await post(`/v1/admin/claims/${claimId}/decision`, { decision: 'request-info', message: QUESTION }, true);
  return { claimId, accessCode: String(filed['accessCode']) };
}

describe.each([
  ['en', en, '/status/'],
  ['es', es, '/es/status/'],
] as const)('answering a question on the status page (%s)', (_lang, t, path) => {
  it('shows the question, takes the answer and shows the claim under review again', async () => {
    const { claimId, accessCode } = await claimNeedingInfo();
    const { page, problems } = await portal.open(path);
    await page.getByLabel(t.status.claimIdLabel).fill(claimId);
    await page.getByLabel(t.status.accessCodeLabel).fill(accessCode);
    await page.getByRole('button', { name: t.status.submit, exact: true }).click();
    await page.getByRole('heading', { name: t.followUp.heading }).waitFor();
    expect(await visibleText(page.locator('main'))).toContain(QUESTION);
    await expectAccessible(page, `status: needs info (${_lang})`);

    // An empty answer is refused on the page, next to the field.
    await page.getByRole('button', { name: t.followUp.submit }).click();
    await page.getByText(t.followUp.answerRequired).first().waitFor();

    await page.getByLabel(t.followUp.answerLabel).fill('I paid on 3 October 2026.');
    await page.getByRole('button', { name: t.followUp.submit }).click();
    await page.getByRole('heading', { name: t.followUp.sentHeading }).waitFor();
    const text = await visibleText(page.locator('main'));
    expect(text).toContain('I paid on 3 October 2026.');
    expect(text).toContain(t.vocab.claimStatuses.UNDER_REVIEW.label);
    await expectAccessible(page, `status: answered (${_lang})`);
    expect(problems).toEqual([]);
  });
});
