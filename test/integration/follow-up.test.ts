/**
 * A reviewer asks for information; the claimant answers from the status page with documents
 * posted straight to the local S3 server through pre-signed POSTs, on the local runtime: the
 * local scanner marks every upload clean (as GuardDuty would), the content check refuses a file
 * that only claims to be a PNG, and reviewers see the answer and the clean PDF only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: unknown, who: 'reviewer' | null = null) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (who) headers['authorization'] = `Bearer ${await stack.token(who)}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : {}) as Json };
}

/** What a browser does with the pre-signed POST: the policy's fields, then the file. */
async function postFile(
  upload: { url: string; fields: Record<string, string> },
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([bytes]), name);
  return fetch(upload.url, { method: 'POST', body: form });
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function claimNeedingInfo() {
  const filed = await call('POST', '/v1/claims', {
    claimant: {
      name: 'Rosa Diaz',
      address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' },
    },
    payments: [{ amountCents: 50_000, method: 'cash' }],
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Diaz' },
  });
  expect(filed.status, filed.text).toBe(201);
  const claimId = filed.json['claimId'] as string;
  const accessCode = filed.json['accessCode'] as string;
  const asked = await call(
    'POST',
    `/v1/admin/claims/${claimId}/decision`,
    { decision: 'request-info', message: 'Send the receipt for the gift cards you bought.' },
    'reviewer',
  );
  expect(asked.status, asked.text).toBe(200);
  return { claimId, accessCode };
}

describe('answering a request for information', () => {
  it('shows the question, takes an answer with documents, and gives reviewers only clean ones', async () => {
    const { claimId, accessCode } = await claimNeedingInfo();
    const status = await call('POST', '/v1/claims/status', { claimId, accessCode });
    expect(status.status).toBe(200);
    expect(status.json['status']).toBe('NEEDS_INFO');
    expect(status.json['followUp']['question']).toBe('Send the receipt for the gift cards you bought.');
    expect(status.json['followUp']['maxDocuments']).toBe(5);

    const pdf = await call('POST', '/v1/claims/follow-up/documents', {
      claimId,
      accessCode,
      name: 'receipt.pdf',
      type: 'application/pdf',
    });
    expect(pdf.status, pdf.text).toBe(201);
    expect(pdf.json['upload']['fields']['Policy']).toBeTruthy();
    // The policy pins type and size: S3 itself refuses anything else.
    const policy = JSON.parse(Buffer.from(pdf.json['upload']['fields']['Policy'], 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10 * 1024 * 1024]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect((await postFile(pdf.json['upload'], PDF, 'receipt.pdf')).ok).toBe(true);

    // Named .png, declared image/png, but the bytes are text: the content check refuses it.
    const fake = await call('POST', '/v1/claims/follow-up/documents', {
      claimId,
      accessCode,
      name: 'photo.png',
      type: 'image/png',
    });
    expect(fake.status).toBe(201);
    expect(
      (await postFile(fake.json['upload'], new TextEncoder().encode('not an image'), 'photo.png')).ok,
    ).toBe(true);

    await stack.runtime.scanner.sweep();
    const afterScan = await call('POST', '/v1/claims/status', { claimId, accessCode });
    const docs = afterScan.json['followUp']['documents'] as Json[];
    expect(docs.find((d) => d['name'] === 'receipt.pdf')?.['state']).toBe('CLEAN');
    const refused = docs.find((d) => d['name'] === 'photo.png');
    expect(refused?.['state']).toBe('REJECTED');
    expect(refused?.['reason']).toMatch(/not a PDF, JPEG or PNG/);

    // A refused document cannot be part of the answer.
    const withRefused = await call('POST', '/v1/claims/follow-up', {
      claimId,
      accessCode,
      text: 'Here it is.',
      documentIds: [fake.json['documentId']],
    });
    expect(withRefused.status).toBe(400);

    const answered = await call('POST', '/v1/claims/follow-up', {
      claimId,
      accessCode,
      text: 'The receipt from the pharmacy is attached.',
      documentIds: [pdf.json['documentId']],
    });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json['status']).toBe('UNDER_REVIEW');
    expect(answered.json['timeline'].at(-1)['note']).toBe('You sent your answer with 1 document.');

    const staff = await call('GET', `/v1/admin/claims/${claimId}`, undefined, 'reviewer');
    expect(staff.status).toBe(200);
    expect(staff.json['followUp']['answers'][0]['text']).toBe('The receipt from the pharmacy is attached.');
    const staffDocs = staff.json['followUp']['documents'] as Json[];
    expect(staffDocs.map((d) => d['name'])).toEqual(['receipt.pdf']);
    const download = await fetch(staffDocs[0]!['href']);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF);

    // Answered: no more documents, no second answer.
    const late = await call('POST', '/v1/claims/follow-up/documents', {
      claimId,
      accessCode,
      name: 'more.pdf',
      type: 'application/pdf',
    });
    expect(late.status).toBe(409);
  });

  it('takes at most five documents per request and refuses other types before signing', async () => {
    const { claimId, accessCode } = await claimNeedingInfo();
    const exe = await call('POST', '/v1/claims/follow-up/documents', {
      claimId,
      accessCode,
      name: 'setup.exe',
      type: 'application/x-msdownload',
    });
    expect(exe.status).toBe(400);
    for (let i = 0; i < 5; i++) {
      const ok = await call('POST', '/v1/claims/follow-up/documents', {
        claimId,
        accessCode,
        name: `page-${i}.pdf`,
        type: 'application/pdf',
      });
      expect(ok.status, ok.text).toBe(201);
    }
    const sixth = await call('POST', '/v1/claims/follow-up/documents', {
      claimId,
      accessCode,
      name: 'page-5.pdf',
      type: 'application/pdf',
    });
    expect(sixth.status).toBe(409);
    expect(sixth.json['message'] ?? sixth.text).toMatch(/up to 5 documents/);
  });

  it('refuses a wrong access code the same way the status page does', async () => {
    const { claimId } = await claimNeedingInfo();
    const res = await call('POST', '/v1/claims/follow-up', { claimId, accessCode: 'WRONG-CODE', text: 'x' });
    expect(res.status).toBe(404);
  });
});
