import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime } from '#functions/mailer/compose.ts';
import {
  escapeHtml,
  type MailKind,
  mailedStatuses,
  mailSubject,
  renderMail,
  statusLink,
} from '#shared/domain/mail.ts';

const KINDS: readonly MailKind[] = ['CLAIM_RECEIVED', ...mailedStatuses, 'INVITATION'];
const LANGS = ['en', 'es'] as const;
const CLAIM_ID = 'CLM-7K2M-9QXR-4TBW-8HNC';
const ACCESS_CODE = 'AB12-CD34-EF56-GH78-JK90-LM12-NP34';
const hostile = '<script>alert("x")</script> & \'quoted\'';
const values = {
  baseUrl: 'https://reports.example.gov/',
  agencyName: 'Example State Attorney General',
  claimId: CLAIM_ID,
  accessCode: ACCESS_CODE,
  poolName: hostile,
  invitationCode: 'INV-AAAA-BBBB-CCCC-DDDD',
  claimDeadline: '2027-03-31',
};

describe('mail templates', () => {
  it.each(KINDS.flatMap((k) => LANGS.map((l) => [k, l] as const)))(
    '%s (%s): a fixed subject with no victim data, a text part and an HTML part in the language',
    (kind, lang) => {
      const mail = renderMail(kind, lang, values);
      expect(mail.subject).toBe(mailSubject(kind, lang));
      // Another claim's values give the very same subject: nothing of the victim is in it.
      expect(
        renderMail(kind, lang, { ...values, claimId: 'CLM-0000-0000-0000-0000', poolName: 'Other' }).subject,
      ).toBe(mail.subject);
      for (const secret of [CLAIM_ID, ACCESS_CODE, 'INV-', '$', 'Operation', values.claimDeadline])
        expect(mail.subject).not.toContain(secret);
      expect(mail.text.length).toBeGreaterThan(50);
      expect(mail.html).toContain(`<html lang="${lang}">`);
      expect(mail.text).toContain(values.agencyName);
    },
  );

  it('writes Spanish for Spanish readers and English otherwise', () => {
    expect(renderMail('PAYMENT_RETURNED', 'es', values).text).toContain('Denos su nueva dirección');
    expect(renderMail('PAYMENT_RETURNED', 'en', values).text).toContain('Give us your new address');
    expect(mailSubject('CLAIM_RECEIVED', 'es')).toBe('Recibimos su reclamo');
  });

  it('escapes every value in the HTML part', () => {
    const html = renderMail('INVITATION', 'en', values).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(escapeHtml('a"b\'c<d>&')).toBe('a&quot;b&#39;c&lt;d&gt;&amp;');
  });

  it('puts the access code in the status link fragment only, never in the path or query', () => {
    const text = renderMail('CLAIM_RECEIVED', 'es', values).text;
    const link = text.split(/\s/).find((w) => w.startsWith('https://'))!;
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://reports.example.gov/es/status/');
    expect(url.search).toBe('');
    expect(new URLSearchParams(url.hash.slice(1)).get('code')).toBe(ACCESS_CODE);
    expect(new URLSearchParams(url.hash.slice(1)).get('claim')).toBe(CLAIM_ID);
    expect(url.pathname).not.toContain(ACCESS_CODE);
  });

  it('links later mails to the status page with the claim number and no code', () => {
    const link = statusLink('https://x.gov', 'en', CLAIM_ID);
    expect(link).toBe(`https://x.gov/status/#claim=${CLAIM_ID}`);
    const { accessCode: _none, ...withoutCode } = values;
    const text = renderMail('APPROVED', 'en', { ...withoutCode, baseUrl: 'https://x.gov' }).text;
    expect(text).toContain(`See your claim: ${link}\n`);
    expect(text).not.toContain(ACCESS_CODE);
  });

  it('composes a real RFC 5322 message a parser reads back: both parts, the language, the subject', async () => {
    const rendered = renderMail('CLAIM_RECEIVED', 'es', values);
    const raw = await composeMime(
      {
        ...rendered,
        mailId: `${CLAIM_ID}.received`,
        kind: 'CLAIM_RECEIVED',
        to: 'rosa@example.com',
        lang: 'es',
      },
      {
        name: 'Example State Attorney General, Office of Restitution',
        address: 'no-reply@reports.example.gov',
      },
    );
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Recibimos su reclamo');
    expect(parsed.from?.value[0]).toEqual({
      name: 'Example State Attorney General, Office of Restitution',
      address: 'no-reply@reports.example.gov',
    });
    expect(parsed.headers.get('content-language')).toBe('es');
    expect(parsed.text).toContain(CLAIM_ID);
    expect(parsed.html).toContain('<html lang="es">');
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@reports\.example\.gov>$/);
    // The Message-ID names no claim.
    expect(parsed.messageId).not.toContain('CLM');
  });
});
