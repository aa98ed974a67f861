/**
 * E-mail through the local runtime (docs/email.md): a filed claim and a decision each leave one
 * real .eml file in the local outbox, listed at /_local/outbox/; a redelivered intent writes
 * nothing more; an address that bounced gets no further mail.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailIds } from '#shared/domain/mail.ts';
import { mailLedgerKey } from '#shared/storage/mail-keys.ts';
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

const outbox = () => stack.runtime.outboxDir;
const emlFiles = async () =>
  (await readdir(outbox()).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

/** Every mail in the outbox to `to`, parsed, oldest first by subject order of arrival. */
async function mailsTo(to: string): Promise<ParsedMail[]> {
  const parsed = await Promise.all(
    (await emlFiles()).map(async (f) => simpleParser(await readFile(join(outbox(), f)))),
  );
  return parsed.filter((m) => !Array.isArray(m.to) && m.to?.value[0]?.address === to);
}

async function fileClaim(name: string, email: string, language: 'en' | 'es') {
  const filed = await call('POST', '/v1/claims', {
    language,
    claimant: { name, email, address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' } },
    payments: [{ amountCents: 123_456, method: 'cash' }],
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: name },
  });
  expect(filed.status, filed.text).toBe(201);
  return { claimId: filed.json['claimId'] as string, accessCode: filed.json['accessCode'] as string };
}

const ledgerState = async (mailId: string) => {
  const got = await stack.dynamo.send(
    new GetItemCommand({
      TableName: stack.tableNames.main,
      Key: marshall(mailLedgerKey(mailId)),
      ConsistentRead: true,
    }),
  );
  return got.Item?.['state']?.S;
};

describe('e-mail on the local runtime', () => {
  it('mails a filed claim in Spanish with the code after #, then the decision; a repeat writes nothing', async () => {
    const { claimId, accessCode } = await fileClaim('Rosa Díaz Quintero', 'rosa@example.com', 'es');
    const [received] = await stack.waitFor(async () => {
      const mails = await mailsTo('rosa@example.com');
      return mails.length === 1 && mails;
    });
    expect(received!.subject).toBe('Recibimos su reclamo');
    for (const secret of ['Rosa', 'Quintero', claimId, accessCode, '1,234.56', '1234.56'])
      expect(received!.subject).not.toContain(secret);
    expect(received!.headers.get('content-language')).toBe('es');
    expect(received!.html).toContain('<html lang="es">');
    const link = new URL(
      received!.text!.split(/\s/).find((w) => w.startsWith(`${stack.baseUrl}/`)) ?? 'http://missing',
    );
    expect(link.pathname).toBe('/es/status/');
    expect(link.search).toBe('');
    expect(Object.fromEntries(new URLSearchParams(link.hash.slice(1)))).toEqual({
      claim: claimId,
      code: accessCode,
    });

    // The index lists it and serves the message itself.
    const index = await fetch(`${stack.baseUrl}/_local/outbox/`);
    const html = await index.text();
    expect(index.status).toBe(200);
    expect(html).toContain('Recibimos su reclamo');
    const href = /href="(\/_local\/outbox\/[0-9a-f]{32}\.eml)"/.exec(html)?.[1];
    const eml = await fetch(`${stack.baseUrl}${href}`);
    expect(eml.headers.get('content-type')).toBe('message/rfc822');
    expect((await simpleParser(Buffer.from(await eml.arrayBuffer()))).subject).toBe('Recibimos su reclamo');

    const denied = await call(
      'POST',
      `/v1/admin/claims/${claimId}/decision`,
      { decision: 'deny', reason: 'The payment is not one the seized accounts received.' },
      'reviewer',
    );
    expect(denied.status, denied.text).toBe(200);
    const mails = await stack.waitFor(async () => {
      const all = await mailsTo('rosa@example.com');
      return all.length === 2 && all;
    });
    const decision = mails.find((m) => m.subject !== 'Recibimos su reclamo')!;
    expect(decision.subject).toBe('Hay una decisión sobre su reclamo');
    expect(decision.text).toContain('No pudimos aprobar');
    expect(decision.text).not.toContain(accessCode);

    // The same intent delivered again (SQS may deliver a message twice): one file still.
    const filesBefore = (await emlFiles()).length;
    const mailId = mailIds.claimChange(claimId, 2);
    expect(await ledgerState(mailId)).toBe('SENT');
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrls.mail,
        MessageBody: JSON.stringify({
          type: 'restore.mail.intent',
          version: 1,
          intent: {
            kind: 'DENIED',
            mailId,
            claimId,
            version: 2,
            at: (denied.json['timeline'] as { at: string }[]).at(-1)!.at,
            recordedAt: new Date().toISOString(),
          },
        }),
      }),
    );
    await stack.waitFor(async () => (await stack.queueDepth('mail')) === 0, {
      message: 'the repeat was not consumed',
    });
    expect((await emlFiles()).length).toBe(filesBefore);
    expect(await mailsTo('rosa@example.com')).toHaveLength(2);
  });

  it('sends nothing more to an address that bounced for good', async () => {
    const { claimId } = await fileClaim('Ana Lopez', 'ana@example.com', 'en');
    await stack.waitFor(async () => (await mailsTo('ana@example.com')).length === 1);

    // SES's bounce event, as EventBridge hands it to the mail-events function.
    const { handler } = await import('#functions/mail-events/handler.ts');
    const result = await handler({
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Ana@Example.com' }] },
        mail: { destination: ['ana@example.com'] },
      },
    });
    expect(result).toEqual({ outcome: 'SUPPRESSED', suppressed: 1 });

    const asked = await call(
      'POST',
      `/v1/admin/claims/${claimId}/decision`,
      { decision: 'request-info', message: 'Send the receipt.' },
      'reviewer',
    );
    expect(asked.status, asked.text).toBe(200);
    await stack.waitFor(async () => (await ledgerState(mailIds.claimChange(claimId, 2))) === 'SUPPRESSED', {
      message: 'the request for information was not handled as suppressed',
    });
    expect(await mailsTo('ana@example.com')).toHaveLength(1);
  });
});
