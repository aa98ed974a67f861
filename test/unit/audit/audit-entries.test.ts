import { describe, expect, it } from 'vitest';
import { entriesOf, MAX_SUBJECTS_PER_REQUEST, subjectIdsIn } from '#shared/domain/audit.ts';

const event = {
  at: '2026-12-07T00:00:00.000Z',
  requestId: 'req-1',
  actor: { sub: 'rita', roles: ['reviewer'] },
  action: 'read' as const,
  route: 'GET /v1/admin/reports',
  path: '/v1/admin/reports',
  sourceIp: '203.0.113.7',
};

describe('audit entries', () => {
  it('finds every subject id in an answer, at any depth, once each, in order', () => {
    const body = {
      items: [
        { reportId: 'RPT-1', indicators: [{ type: 'phone', value: '+12025550143' }] },
        { reportId: 'RPT-2', claims: [{ claimId: 'CLM-1', poolId: 'POOL-1' }] },
        { reportId: 'RPT-1' },
      ],
    };
    expect(subjectIdsIn(body)).toEqual(['RPT-1', 'RPT-2', 'CLM-1', 'POOL-1']);
  });

  it('names an identifier page by its normalised value, never the path the caller typed', () => {
    const body = {
      type: 'bank-account',
      value: 'hmac:abc123',
      display: '••••7788',
      reports: [{ reportId: 'RPT-9' }],
    };
    expect(subjectIdsIn(body, [])).toEqual(['indicator:bank-account:hmac:abc123', 'RPT-9']);
  });

  it('caps the subjects of one request and makes one entry per subject sharing the request id', () => {
    const ids = Array.from({ length: MAX_SUBJECTS_PER_REQUEST + 20 }, (_, i) => `RPT-${i}`);
    const entries = entriesOf({ ...event, subjectIds: ids });
    expect(entries).toHaveLength(MAX_SUBJECTS_PER_REQUEST);
    expect(new Set(entries.map((e) => e.requestId))).toEqual(new Set(['req-1']));
    expect(entries[0]).toMatchObject({ subjectId: 'RPT-0', actor: { sub: 'rita' } });
  });

  it('still records a request that touched no subject', () => {
    expect(entriesOf({ ...event, subjectIds: [] })).toEqual([{ ...event, subjectIds: [] }]);
  });
});
