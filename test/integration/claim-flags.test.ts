/**
 * Reviewers' flags through the real handlers on the local servers: shared payout account, e-mail,
 * phone and address between different claimants (same programme and across programmes), one
 * claimant filing twice (no flag), an invitation used twice, a loss far above the named report's.
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

async function call(method: string, path: string, body?: unknown, role?: 'reviewer' | 'admin') {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (role) headers['authorization'] = `Bearer ${await stack.token(role)}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function pool(name: string): Promise<string> {
  const res = await call(
    'POST',
    '/v1/admin/pools',
    {
      name,
      caseNumber: `1:26-cv-${name.length}`,
      court: 'D.D.C.',
      amountCents: 500_000,
      claimDeadline: future(60),
    },
    'admin',
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return String(res.json['poolId']);
}

interface Who {
  name: string;
  email?: string;
  phone?: string;
  line1?: string;
  account?: string;
}

async function fileClaim(who: Who, extra: Json = {}): Promise<string> {
  const res = await call('POST', '/v1/claims', {
    claimant: {
      name: who.name,
      ...(who.email ? { email: who.email } : {}),
      ...(who.phone ? { phone: who.phone } : {}),
      address: {
        line1: who.line1 ?? `${who.name.length} Elm Street`,
        city: 'Tampa',
        state: 'FL',
        zip: '33602',
      },
      ...(who.account ? { payoutAccount: { routingNumber: '011000015', accountNumber: who.account } } : {}),
    },
    payments: [{ amountCents: 20_000, currency: 'USD', method: 'gift-card' }],
    attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: who.name },
    ...extra,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return String(res.json['claimId']);
}

async function flagsOf(claimId: string): Promise<Json[]> {
  const res = await call('GET', `/v1/admin/claims/${claimId}`, undefined, 'reviewer');
  expect(res.status).toBe(200);
  return res.json['reviewFlags'] as Json[];
}

describe('claim flags for reviewers', () => {
  it('flags a payout account, e-mail, phone and address shared by different claimants, saying where', async () => {
    const [p1, p2] = [await pool('Programme One'), await pool('Programme Two')];
    const first = await fileClaim(
      {
        name: 'Ana Lima',
        email: 'ana@example.net',
        phone: '(813) 555-0101',
        line1: '12 Oak Avenue',
        account: '99887766',
      },
      { poolId: p1 },
    );
    // Same account and phone, same programme; address typed differently; another name.
    const second = await fileClaim(
      { name: 'Bruno Costa', phone: '813.555.0101', line1: '12 OAK AVE.', account: '99887766' },
      { poolId: p1 },
    );
    // Same e-mail, other programme, another name.
    const third = await fileClaim({ name: 'Carla Dias', email: 'ANA@example.net' }, { poolId: p2 });

    const onFirst = await flagsOf(first);
    const byCode = (flags: Json[], code: string) => flags.find((f) => f['code'] === code);
    expect(byCode(onFirst, 'SHARED_PAYOUT_ACCOUNT')).toMatchObject({
      scope: 'same-programme',
      claimIds: [second],
    });
    expect(byCode(onFirst, 'SHARED_PHONE')).toMatchObject({ claimIds: [second] });
    expect(byCode(onFirst, 'SHARED_ADDRESS')).toMatchObject({ claimIds: [second] });
    expect(byCode(onFirst, 'SHARED_EMAIL')).toMatchObject({ scope: 'other-programmes', claimIds: [third] });
    for (const f of onFirst) expect(f['reason']).toMatch(/different claimant/);
    expect(byCode(await flagsOf(third), 'SHARED_EMAIL')).toMatchObject({ claimIds: [first] });
    // The account number itself is nowhere in what staff see.
    const view = await call('GET', `/v1/admin/claims/${first}`, undefined, 'reviewer');
    expect(JSON.stringify(view.json)).not.toContain('99887766');
    expect(view.json['claimant']['payoutAccount']['display']).toContain('7766');
  });

  it('does not flag one claimant filing in two programmes', async () => {
    const who = { name: 'Dora Eves', email: 'dora@example.org', account: '55501234' };
    const a = await fileClaim(who, { poolId: await pool('Programme Three') });
    await fileClaim({ ...who, name: 'EVES, Dora' }, { poolId: await pool('Programme Four') });
    expect(await flagsOf(a)).toEqual([]);
  });

  it('flags a loss much larger than what the named report lists', async () => {
    const report = await call('POST', '/v1/reports', {
      incident: { category: 'online-shopping', narrative: 'A puppy that never came.' },
      payments: [{ amountCents: 30_000, currency: 'USD', method: 'gift-card' }],
      consents: { shareWithLawEnforcement: false, contactAboutRecovery: false },
    });
    expect(report.status).toBe(202);
    const reportId = String(report.json['reportId']);
    await stack.waitFor(
      async () => (await call('GET', `/v1/admin/reports/${reportId}`, undefined, 'reviewer')).status === 200,
    );
    const modest = await fileClaim({ name: 'Fay Gold' }, { reportIds: [reportId] });
    const inflated = await fileClaim(
      { name: 'Gus Hale' },
      { reportIds: [reportId], payments: [{ amountCents: 900_000, currency: 'USD', method: 'gift-card' }] },
    );
    expect((await flagsOf(modest)).map((f) => f['code'])).not.toContain('LOSS_ABOVE_REPORTS');
    const flags = await flagsOf(inflated);
    expect(flags.find((f) => f['code'] === 'LOSS_ABOVE_REPORTS')?.['reason']).toContain('$9,000.00');
    // The second claim on the same report says so too.
    expect(flags.find((f) => f['code'] === 'REPORT_ALREADY_CLAIMED')?.['reportIds']).toEqual([reportId]);
  });
});
