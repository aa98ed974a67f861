/**
 * A partner's program, written against a client generated from GET /openapi.json by
 * openapi-typescript (`npm run client:generate` writes ./restore-api.ts) and called with
 * openapi-fetch: it files a report, reads it back as staff, creates a pool that seized the
 * wallet paid, files a claim against it, checks the claim's status and decides it. The test suite
 * type-checks it against a freshly generated client (a change to the contract that breaks it
 * fails there) and runs it against the local servers.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './restore-api.ts';

export type Report = components['schemas']['Report'];
export type Problem = components['schemas']['Problem'];

export interface FlowResult {
  reportId: string;
  poolId: string;
  claimId: string;
  claimStatus: components['schemas']['ClaimStatus']['status'];
  decided: components['schemas']['Claim']['status'];
  reportsLinkedToWallet: number;
}

const WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/** Throws with the problem's own words (RFC 9457 `detail`, `code` and field pointers). */
function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  const problem = result.error as Partial<Problem> | undefined;
  const fields = (problem?.errors ?? []).map((e) => `${e.pointer}: ${e.detail}`).join('; ');
  throw new Error(`${result.response.status} ${problem?.code ?? ''} ${problem?.detail ?? ''} ${fields}`);
}

export async function runFlows(
  baseUrl: string,
  tokens: { reviewer: string; admin: string },
  waitUntil: (check: () => Promise<boolean>) => Promise<unknown>,
): Promise<FlowResult> {
  const api = createClient<paths>({ baseUrl });
  const staff = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  // 1. Report: a victim paid a crypto wallet. A retry with the same key files nothing twice.
  const accepted = must(
    await api.POST('/v1/reports', {
      params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
      body: {
        incident: { category: 'investment', narrative: 'A crypto "investment" site kept my savings.' },
        payments: [
          {
            amountCents: 250_000,
            currency: 'USD',
            method: 'cryptocurrency',
            recipient: { kind: 'crypto-wallet', asset: 'BTC', address: WALLET },
          },
        ],
        consents: { shareWithLawEnforcement: true, contactAboutRecovery: true },
      },
    }),
  );
  const reportId = accepted.reportId;

  // 2. Staff: the report once enriched, then everything linked to the wallet.
  await waitUntil(async () => {
    const { data } = await api.GET('/v1/admin/reports/{reportId}', {
      params: { path: { reportId } },
      ...staff(tokens.reviewer),
    });
    return data?.status === 'ENRICHED';
  });
  const wallet = must(
    await api.GET('/v1/admin/indicators/{type}/{value}', {
      params: { path: { type: 'crypto-wallet', value: WALLET }, query: { limit: 50 } },
      ...staff(tokens.reviewer),
    }),
  );

  // 3. An admin opens a programme for the seized wallet.
  const pool = must(
    await api.POST('/v1/admin/pools', {
      body: {
        name: 'Operation Client Check',
        caseNumber: '1:26-cv-00042',
        court: 'U.S. District Court, District of Columbia',
        amountCents: 100_000,
        currency: 'USD',
        seizedIndicators: [{ type: 'crypto-wallet', value: WALLET }],
        claimDeadline: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
        minimumPayoutCents: 0,
      },
      ...staff(tokens.admin),
    }),
  );
  const open = must(await api.GET('/v1/pools'));
  if (!open.pools.some((p) => p.poolId === pool.poolId)) throw new Error('the new pool is not listed');

  // 4. Claim: the victim claims against it, then checks the status with the access code.
  const filed = must(
    await api.POST('/v1/claims', {
      body: {
        poolId: pool.poolId,
        reportIds: [reportId],
        claimant: {
          name: 'Rosa Martínez',
          address: { line1: '12 Ocean Drive', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
        },
        payments: [
          {
            amountCents: 250_000,
            currency: 'USD',
            method: 'cryptocurrency',
            recipient: { kind: 'crypto-wallet', asset: 'BTC', address: WALLET },
          },
        ],
        recoveriesCents: 0,
        attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa Martínez' },
      },
    }),
  );
  const status = must(
    await api.POST('/v1/claims/status', { body: { claimId: filed.claimId, accessCode: filed.accessCode } }),
  );

  // 5. Review: the queue for the pool, then a decision.
  const queue = must(
    await api.GET('/v1/admin/claims', {
      params: { query: { poolId: pool.poolId, status: 'SUBMITTED', limit: 10 } },
      ...staff(tokens.reviewer),
    }),
  );
  if (!queue.items.some((c) => c.claimId === filed.claimId)) throw new Error('the claim is not in the queue');
  const decided = must(
    await api.POST('/v1/admin/claims/{claimId}/decision', {
      params: { path: { claimId: filed.claimId } },
      body: { decision: 'approve', recognizedLossCents: 250_000 },
      ...staff(tokens.reviewer),
    }),
  );

  return {
    reportId,
    poolId: pool.poolId,
    claimId: filed.claimId,
    claimStatus: status.status,
    decided: decided.status,
    reportsLinkedToWallet: wallet.summary.reports,
  };
}
