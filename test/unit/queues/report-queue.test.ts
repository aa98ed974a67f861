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
