import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { SesMailTransport } from '#functions/mailer/ses-transport.ts';
import { MAIL_TAG, mailToken, renderMail } from '#shared/domain/mail.ts';

describe('SesMailTransport', () => {
  it('sends the composed message raw, with the configuration set and the mail token as a tag', async () => {
    const ses = new SESv2Client({ region: 'us-east-1' });
    const mock = mockClient(ses);
    mock.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const transport = new SesMailTransport(
      { name: 'Example AG', address: 'no-reply@reports.example.gov' },
      'restore-set',
      ses,
    );
    const rendered = renderMail('PAID', 'en', {
      baseUrl: 'https://reports.example.gov',
      agencyName: 'Example AG',
      claimId: 'CLM-7K2M-9QXR-4TBW-8HNC',
    });
    const mailId = 'CLM-7K2M-9QXR-4TBW-8HNC.v7';
    expect(
      await transport.send({ ...rendered, mailId, kind: 'PAID', to: 'rosa@example.com', lang: 'en' }),
    ).toBe('ses-1');

    const input = mock.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'no-reply@reports.example.gov',
      Destination: { ToAddresses: ['rosa@example.com'] },
      ConfigurationSetName: 'restore-set',
      EmailTags: [
        { Name: 'restore-kind', Value: 'PAID' },
        { Name: MAIL_TAG, Value: mailToken(mailId) },
      ],
    });
    // Tag values name no claim.
    expect(JSON.stringify(input.EmailTags)).not.toContain('CLM');
    const parsed = await simpleParser(Buffer.from(input.Content!.Raw!.Data!));
    expect(parsed.subject).toBe('News about your payment');
    expect(parsed.text).toContain('We sent the payment');
    expect(parsed.html).toContain('You have been paid');
  });
});
