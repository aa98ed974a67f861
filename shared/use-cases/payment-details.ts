/**
 * A claimant whose payment came back gives a new mailing address (the status page's form calls
 * POST /v1/claims/payment-details with the claim id and access code).
 *
 * recordPaymentDetails:
 *   1. Prove the claim id and access code exactly as the status page does (authenticate).
 *   2. Only a claim whose payment was returned takes new details -> else 409 saying why.
 *   3. Validate the address; store it with the time, and a timeline entry the claimant sees.
 * The payment is then reissued in the pool's next payment file (domain/rounds.ts: REISSUE), as
 * long as the details came within the programme's waiting period.
 */
import * as z from 'zod/mini';
import type { Claim, ClaimTransition } from '../domain/claim.ts';
import { mailingAddressSchema } from '../domain/claim-schema.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Pool } from '../domain/pool.ts';
import { parseWith } from '../domain/validation.ts';
import {
  type AuthDeps,
  authenticate,
  type ClaimStatusView,
  statusRequestSchema,
  toStatusView,
} from './claim-status.ts';

export const paymentDetailsSchema = z.object({
  ...statusRequestSchema.shape,
  address: mailingAddressSchema,
});

export interface PaymentDetailsDeps extends AuthDeps {
  claims: AuthDeps['claims'] & {
    transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void>;
  };
  pools: { get(poolId: string): Promise<Pool | undefined> };
}

export async function recordPaymentDetails(
  body: unknown,
  deps: PaymentDetailsDeps,
): Promise<ClaimStatusView> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(paymentDetailsSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  if (claim.status !== 'PAYMENT_RETURNED') {
    throw new ConflictError(
      'New payment details are only needed when a payment came back. Your claim has no returned payment.',
      'NO_RETURNED_PAYMENT',
    );
  }
  const a = input.address;
  const address: Claim['claimant']['address'] = {
    line1: a.line1.trim(),
    ...(a.line2?.trim() ? { line2: a.line2.trim() } : {}),
    city: a.city.trim(),
    ...(a.state?.trim() ? { state: a.state.trim().toUpperCase() } : {}),
    ...(a.zip?.trim() ? { zip: a.zip.trim() } : {}),
    country: a.country.toUpperCase(),
  };
  const at = now.toISOString();
  await deps.claims.transitionOrConflict(
    claim,
    {
      claimant: { ...claim.claimant, address },
      paymentDetailsUpdatedAt: at,
      timeline: {
        status: 'PAYMENT_RETURNED',
        at,
        note: 'You gave us a new mailing address. Your payment will be sent again in the next payment run.',
      },
    },
    at,
  );
  const updated = (await deps.claims.get(claim.claimId)) ?? claim;
  const pool = updated.poolId ? await deps.pools.get(updated.poolId) : undefined;
  return toStatusView(updated, pool, now);
}
