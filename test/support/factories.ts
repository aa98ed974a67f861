/**
 * Test data factories: valid objects by default, overridable per test, so each test states only
 * what it is about. Identifiers are real-format but fictional or well-known test vectors.
 */
import type { Pool } from '#shared/domain/pool.ts';
import type { ReportInput } from '#shared/domain/report-schema.ts';

export const TEST_KEY = new Uint8Array(32).fill(7);
export const TEST_KEY_BASE64 = Buffer.from(TEST_KEY).toString('base64');

export const wallets = {
  btc: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  eth: '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe',
  tron: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
};

type Json = Record<string, unknown>;

/** A complete report body as the website would send it (plain JSON, not the parsed type). */
export function makeReportBody(overrides: Json = {}): Json {
  const base: Json = {
    filer: {
      role: 'victim',
      ageRange: '70-79',
      state: 'FL',
      zip: '33101',
      language: 'en',
      contact: { name: 'Rosa Martínez', email: 'Rosa.Martinez@Example.com', phone: '(305) 555-0147' },
    },
    incident: {
      category: 'imposter-government',
      contactMethod: 'phone-call',
      firstContactDate: '2026-10-01',
      narrative: 'A man said he was from the IRS and that I owed back taxes. He told me to pay in Bitcoin.',
    },
    payments: [
      {
        amountCents: 250000,
        currency: 'USD',
        date: '2026-10-02',
        method: 'cryptocurrency',
        recipient: { kind: 'crypto-wallet', asset: 'BTC', address: wallets.btc },
      },
    ],
    scammer: {
      phones: ['(202) 555-0143'],
      emails: ['agent@irs-payments.example.com'],
      websites: ['https://www.irs-payments.co.uk/pay'],
      socialHandles: [],
      namesUsed: ['Officer Daniel Brooks'],
      impersonated: 'IRS',
    },
    consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
  };
  return { ...base, ...overrides };
}

/** The smallest report the API accepts: category, narrative and consents. */
export function makeMinimalReportBody(overrides: Json = {}): Json {
  return {
    incident: { category: 'online-shopping', narrative: 'I paid for a puppy that never came.' },
    consents: { shareWithLawEnforcement: false, contactAboutRecovery: false },
    ...overrides,
  };
}

export function withPayments(payments: Json[], body: Json = makeMinimalReportBody()): Json {
  return { ...body, payments };
}

export type { ReportInput };

/** An open pool, as stored (unit tests seed it into the fakes). */
export function makePool(overrides: Partial<Pool> = {}): Pool {
  return {
    poolId: 'POOL-7K3M-9QXD-2HFA-8WN4',
    name: 'Operation Lighthouse',
    caseNumber: '1:26-cv-42',
    court: 'D.D.C.',
    eligibility: 'e',
    amountCents: 100_000,
    currency: 'USD',
    seizedIndicators: [],
    claimDeadline: '2099-12-31',
    minimumPayoutCents: 1000,
    status: 'OPEN',
    version: 1,
    createdBy: 'a',
    createdAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}
