/**
 * The link in the "claim received" e-mail opens the claim: the mail the local runtime writes to
 * its outbox carries the claim number and access code after `#`, and the status page, opened from
 * that link in a real browser, shows the claim in the mail's language without asking for either.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format } from '../../web/src/i18n/types.ts';
import { en, es, expectAccessible, type Portal, startPortal } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

describe('the e-mailed links', () => {
  it('opens the claim on the Spanish status page, the code in no address requested', async () => {
    const response = await fetch(`${portal.baseUrl}/v1/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'es',
        claimant: {
          name: 'Lucía Gómez',
          email: 'lucia@example.com',
          address: { line1: '1 Elm St', city: 'Reston', state: 'VA', zip: '20190' },
        },
        payments: [{ amountCents: 40_000, method: 'cash' }],
        attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Lucía Gómez' },
      }),
    });
    expect(response.status).toBe(201);
    const { claimId } = (await response.json()) as { claimId: string };

    const dir = portal.stack.runtime.outboxDir;
    const mail = await portal.stack.waitFor(async () => {
      for (const file of await readdir(dir).catch(() => [] as string[])) {
        const parsed = await simpleParser(await readFile(join(dir, file)));
        if (parsed.text?.includes(claimId)) return parsed;
      }
      return undefined;
    });
    const link = mail.text!.split(/\s/).find((w) => w.startsWith(portal.baseUrl))!;
    const url = new URL(link);

    const requested: string[] = [];
    const { page, problems } = await portal.open('/es/');
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(link);
    await page.getByRole('heading', { name: format(es.status.resultHeading, { claimId }) }).waitFor();
    await expectAccessible(page, 'status opened from the e-mail link (es)');
    expect(problems).toEqual([]);
    // The code is in no address the browser asked for (the page sends it only in a POST body).
    const code = new URLSearchParams(url.hash.slice(1)).get('code')!;
    expect(code.length).toBeGreaterThan(10);
    for (const r of requested) expect(r).not.toContain(code);
  });

  it('fills in the invitation code an e-mailed invitation carries after #', async () => {
    const code = 'INV-7K3M-9QXD-2HFA-8WN4';
    const { page } = await portal.open(`/claim/#invite=${code}`);
    await expect.poll(() => page.getByLabel(en.claim.invitationLabel).inputValue()).toBe(code);
  });
});
