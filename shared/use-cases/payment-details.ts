/**
 * A claimant whose payment came back says how to pay them now (the status page's form calls
 * POST /v1/claims/payment-details with the claim id and access code): a check mailed to a new
 * address, or a direct deposit to a US bank account.
 *
 * recordPaymentDetails:
 *   1. Prove the claim id and access code exactly as the status page does (authenticate).
 *   2. Only a claim whose payment was returned takes new details -> else 409 saying why.
 *   3. Validate what the chosen way needs: the address, or the routing number (ABA checksum) and
 *      the account number (4 to 17 digits) -> else 400 naming the field.
 *   4. Store it with the time, and a timeline entry the claimant sees. An account number is kept
 *      as a keyed token, its last 4 digits, the bank's routing number, and sealed (encrypted for
 *      the payment-file writer alone, payout-vault.ts), never in clear.
 * The payment is then reissued in the pool's next payment file (domain/rounds.ts: REISSUE), as
 * long as the details came within the programme's waiting period.
 */
import * as z from 'zod/mini';
import { type Claim, type ClaimTransition, payoutMethods } from '../domain/claim.ts';
import { mailingAddressSchema } from '../domain/claim-schema.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import {
  last4,
  normaliseBankAccount,
  normaliseRoutingNumber,
  usAccountDigits,
} from '../domain/indicators/bank-account.ts';
import type { Pool } from '../domain/pool.ts';
import { requiredText } from '../domain/report-schema.ts';
import { parseWith } from '../domain/validation.ts';
import {
  type AuthDeps,
  authenticate,
  type ClaimStatusView,
  statusRequestSchema,
  toStatusView,
} from './claim-status.ts';
import type { PayoutVault } from './payout-vault.ts';

export const paymentDetailsSchema = z.object({
  ...statusRequestSchema.shape,
  method: z._default(
    z.enum(payoutMethods, {
      error:
        'Choose how to be paid: "check" (mailed to your address) or "direct-deposit" (to your bank account).',
    }),
    'check',
  ),
  /** For a mailed check. */
  address: z.optional(mailingAddressSchema),
  /** For a direct deposit. */
  bankAccount: z.optional(
    z.object(
      {
        routingNumber: requiredText(40, 'Routing number', 'Enter the 9-digit routing number of your bank.'),
        accountNumber: requiredText(60, 'Account number', 'Enter your account number.'),
      },
      { error: 'Give the routing number and the account number for a direct deposit.' },
    ),
  ),
});

type PaymentDetailsInput = z.output<typeof paymentDetailsSchema>;

export interface PaymentDetailsDeps extends AuthDeps {
  claims: AuthDeps['claims'] & {
    transitionOrConflict(expected: Claim, change: ClaimTransition, now: string): Promise<void>;
  };
  pools: { get(poolId: string): Promise<Pool | undefined> };
  /** The key that turns account numbers into tokens (the indicator key). */
  key: Uint8Array;
  /** Encrypts the account number for the payment file. */
  payoutVault: Pick<PayoutVault, 'seal'>;
}

/** The claimant with the new details; throws ValidationError naming the field. */
async function withDetails(
  claimId: string,
  claimant: Claim['claimant'],
  input: PaymentDetailsInput,
  deps: Pick<PaymentDetailsDeps, 'key' | 'payoutVault'>,
): Promise<Claim['claimant']> {
  if (input.method === 'check') {
    const a = input.address;
    if (!a)
      throw new ValidationError([{ path: 'address', message: 'Enter the address to mail your check to.' }]);
    const address: Claim['claimant']['address'] = {
      line1: a.line1.trim(),
      ...(a.line2?.trim() ? { line2: a.line2.trim() } : {}),
      city: a.city.trim(),
      ...(a.state?.trim() ? { state: a.state.trim().toUpperCase() } : {}),
      ...(a.zip?.trim() ? { zip: a.zip.trim() } : {}),
      country: a.country.toUpperCase(),
    };
    return { ...claimant, address, payoutMethod: 'check' };
  }
  const b = input.bankAccount;
  if (!b) {
    throw new ValidationError([
      {
        path: 'bankAccount',
        message: 'Give the routing number and the account number for a direct deposit.',
      },
    ]);
  }
  const routing = normaliseRoutingNumber(b.routingNumber);
  if (!routing.ok)
    throw new ValidationError([{ path: 'bankAccount.routingNumber', message: routing.reason }]);
  const account = normaliseBankAccount(
    { routingNumber: routing.routingNumber, accountNumber: b.accountNumber },
    deps.key,
  );
  const digits = usAccountDigits(b.accountNumber);
  if (!account.ok || !digits) {
    const reason = account.ok ? 'Enter the account number with digits only.' : account.reason;
    throw new ValidationError([{ path: 'bankAccount.accountNumber', message: reason }]);
  }
  return {
    ...claimant,
    payoutAccount: {
      token: account.indicator.value,
      display: account.indicator.display,
      routingNumber: routing.routingNumber,
      last4: last4(b.accountNumber),
      sealed: await deps.payoutVault.seal(claimId, digits),
    },
    payoutMethod: 'direct-deposit',
  };
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
  const claimant = await withDetails(claim.claimId, claim.claimant, input, deps);
  const at = now.toISOString();
  await deps.claims.transitionOrConflict(
    claim,
    {
      claimant,
      paymentDetailsUpdatedAt: at,
      timeline: {
        status: 'PAYMENT_RETURNED',
        at,
        note:
          input.method === 'check'
            ? 'You gave us a new mailing address. Your payment will be sent again in the next payment run.'
            : `You asked for a direct deposit to your account ending ${claimant.payoutAccount?.last4 ?? ''}. Your payment will be sent again in the next payment run.`,
        event: {
          kind: 'payment-details',
          method: input.method,
          ...(input.method === 'direct-deposit' && claimant.payoutAccount?.last4
            ? { last4: claimant.payoutAccount.last4 }
            : {}),
        },
      },
    },
    at,
  );
  const updated = (await deps.claims.get(claim.claimId)) ?? claim;
  const pool = updated.poolId ? await deps.pools.get(updated.poolId) : undefined;
  return toStatusView(updated, pool, now);
}
