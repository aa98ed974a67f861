import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqsSafeJson } from '#shared/queues/report-queue.ts';

const SQS_ALLOWED = /^[\t\n\r\x20-\ud7ff\ue000-\ufffd]*$/;

describe('sqsSafeJson', () => {
  it('escapes emoji and non-characters so the body only holds characters every SQS accepts', () => {
    const value = { narrative: 'Pagué 🎁😢 con tarjetas \uffff y \ufffe — 王小明 👵🏽' };
    const body = sqsSafeJson(value);
    expect(body).toMatch(SQS_ALLOWED);
    expect(body).toContain('王小明'); // characters SQS allows are kept as they are
    expect(JSON.parse(body)).toEqual(value);
  });

  it('round-trips any string exactly, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const body = sqsSafeJson({ s });
        expect(body).toMatch(SQS_ALLOWED);
        expect(JSON.parse(body).s).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('SqsReportQueue', () => {
  it('refuses with 413-class PayloadTooLargeError, without sending, a message over the SQS limit', async () => {
    const { SqsReportQueue, MAX_MESSAGE_BYTES } = await import('#shared/queues/report-queue.ts');
    const { PayloadTooLargeError } = await import('#shared/domain/errors.ts');
    let sent = 0;
    const client = { send: async () => void sent++ } as unknown as import('@aws-sdk/client-sqs').SQSClient;
    const queue = new SqsReportQueue(client, 'https://example/queue');
    // 60,000 emoji: 240 KB as UTF-8 (under the request limit) but 720 KB once escaped.
    const narrative = '😢'.repeat(60_000);
    const message = {
      type: 'restore.report.received',
      version: 1,
      reportId: 'RPT-X',
      receivedAt: '',
      content: { narrative },
    };
    expect(sqsSafeJson(message).length).toBeGreaterThan(MAX_MESSAGE_BYTES);
    await expect(queue.send(message as never)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(sent).toBe(0);
    await queue.send({ ...message, content: { narrative: 'short' } } as never);
    expect(sent).toBe(1);
  });
});
