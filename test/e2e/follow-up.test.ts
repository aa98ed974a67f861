/**
 * A reviewer asks a claimant for information; the claimant opens the status page from the link
 * (claim number and access code after `#`), reads the question in plain words, answers it, and
 * sees the claim back under review, in English and Spanish, with no accessibility violation.
 * Documents go through the real pre-signed POST to the local S3 (s3rver) and the real content
 * check: a small real PDF is received, a text file named `.pdf` is refused after upload, and a
 * file of another type is stopped before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  en,
  es,
  expectAccessible,
  expectNoHorizontalScroll,
  type Portal,
  startPortal,
  visibleText,
} from './support.ts';

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

/** A one-page PDF, as small as a valid one gets. */
const SMALL_PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj',
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj',
    'trailer<</Root 1 0 R>>',
    '%%EOF',
  ].join('\n'),
);

describe.each([
  ['en', en, '/status/'],
  ['es', es, '/es/status/'],
] as const)('sending documents with the answer (%s)', (lang, t, path) => {
  it('sends a real PDF through the pre-signed POST, refuses a fake by its content and a wrong type before sending', async () => {
    const { claimId, accessCode } = await claimNeedingInfo();
    const { page, problems } = await portal.open(`${path}#claim=${claimId}&code=${accessCode}`);
    await page.getByRole('heading', { name: t.followUp.heading }).waitFor();
    const picker = page.getByLabel(t.documents.label);

    // Stopped before upload: not a PDF, JPEG or PNG.
    await picker.setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') }]);
    await page.getByRole('alert').getByText('notes.txt').waitFor();
    expect(await visibleText(page.locator('main'))).toContain(
      t.documents.wrongType.replace('{name}', 'notes.txt'),
    );

    await picker.setInputFiles([
      { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: SMALL_PDF },
      { name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just some text, no PDF') },
    ]);
    const item = (name: string) => page.locator('.file-item', { hasText: name });
    await page.locator('.file-item--received', { hasText: 'receipt.pdf' }).waitFor({ timeout: 20_000 });
    await page.locator('.file-item--refused', { hasText: 'fake.pdf' }).waitFor({ timeout: 20_000 });
    expect(await item('receipt.pdf').textContent()).toContain(t.documents.received);
    expect(await item('fake.pdf').textContent()).toContain(t.documents.refused);
    await expectAccessible(page, `status: documents checked (${lang})`);

    await page.getByLabel(t.followUp.answerLabel).fill('My receipt is attached.');
    await page.getByRole('button', { name: t.followUp.submit }).click();
    await page.getByRole('heading', { name: t.followUp.sentHeading }).waitFor();
    const text = await visibleText(page.locator('main'));
    expect(text).toContain(`receipt.pdf: ${t.followUp.documentStates.CLEAN}`);
    // The refused file stays listed as refused; the answer names only the received one.
    expect(text).toContain(`fake.pdf: ${t.followUp.documentStates.REJECTED}`);
    await expectAccessible(page, `status: answered with a document (${lang})`);
    expect(problems).toEqual([]);
  });
});

it('keeps the document picker usable at 200 % text on a narrow phone', async () => {
  const { claimId, accessCode } = await claimNeedingInfo();
  const { page, problems } = await portal.open(`/status/#claim=${claimId}&code=${accessCode}`, {
    width: 360,
    textScale: 2,
  });
  await page.getByRole('heading', { name: en.followUp.heading }).waitFor();
  await page.getByLabel(en.documents.label).setInputFiles([
    {
      name: 'a-rather-long-file-name-from-a-phone-camera-2026-10-03.pdf',
      mimeType: 'application/pdf',
      buffer: SMALL_PDF,
    },
  ]);
  await page.locator('.file-item--received').waitFor({ timeout: 20_000 });
  await expectNoHorizontalScroll(page, 'status documents at 200 %');
  const remove = page.getByRole('button', { name: /^Remove / });
  const box = await remove.boundingBox();
  expect(box?.height).toBeGreaterThanOrEqual(44);
  await expectAccessible(page, 'status: documents at 200 %');
  expect(problems).toEqual([]);
});
