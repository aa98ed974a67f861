/**
 * A restitution claim (a remission petition, 28 CFR Part 9): who claims, what they paid to the
 * scheme, what they got back from elsewhere, and their sworn statement; then the review that
 * recognises a loss (net of recoveries) or denies it, and the payment.
 *
 * Lifecycle (docs/domain.md): SUBMITTED -> UNDER_REVIEW / NEEDS_INFO -> APPROVED or
 * DENIED -> (RECONSIDERATION_REQUESTED -> decided again) -> PAYMENT_SCHEDULED -> PAID -> CLOSED.
 * The transition rules live here, as pure functions, so they read the same in every handler.
 * The request schemas are in claim-schema.ts, normalisation in claim-normalise.ts.
 */
import type { ClaimStatus, DecisionInput, DecisionKind } from './claim-schema.ts';
import type { PortalLanguage } from './enums.ts';
import { ConflictError, ValidationError } from './errors.ts';
import type { StoredPayment } from './report-content.ts';

export type { ClaimStatus, DecisionInput, DecisionKind } from './claim-schema.ts';

/** Days after a denial in which the claimant may ask for it to be looked at again. */
export const RECONSIDERATION_WINDOW_DAYS = 30;

export interface Claimant {
  name: string;
  email?: string;
  phone?: string;
  address: { line1: string; line2?: string; city: string; state?: string; zip?: string; country: string };
  /**
   * Where a payment should go: a keyed token (never the number in clear), a masked label, the
   * bank's routing number (not personal data) and the last 4 digits; `sealed` is the full number
   * encrypted for the payment-file writer alone (use-cases/payout-vault.ts), never shown or logged.
   * Claims filed before the payment file carried account numbers have no `sealed`.
   */
  payoutAccount?: { token: string; display: string; routingNumber?: string; last4?: string; sealed?: string };
  /** How the claimant asked to be paid (when filing or after a returned payment); a mailed check when absent. */
  payoutMethod?: PayoutMethod;
}

export const payoutMethods = ['check', 'direct-deposit'] as const;
export type PayoutMethod = (typeof payoutMethods)[number];

/** What a claim holds once validated and normalised (no secrets, no full account numbers). */
export interface ClaimContent {
  poolId?: string;
  reportIds: string[];
  invitationCode?: string;
  claimant: Claimant;
  /** The language the claimant reads; e-mail about the claim is written in it. */
  language?: PortalLanguage;
  payments: StoredPayment[];
  /** The currency losses are counted in: the pool's, else the payments'. */
  currency: string;
  /** Sum of the payments in `currency`. */
  claimedCents: number;
  recoveriesCents: number;
  attestation: {
    underPenaltyOfPerjury: true;
    notInvolvedInOffense: true;
    signedName: string;
    /** When the server received the signed claim. */
    signedAt: string;
  };
}

export interface TimelineEntry {
  status: ClaimStatus;
  at: string;
  /** In English; a reviewer's own words for a denial or a question. */
  note?: string;
  /** What an entry the system wrote says, as data, so the status page words it in each language. */
  event?: TimelineEvent;
}

export const timelineEventKinds = [
  'payment-scheduled',
  'payment-reissued',
  'below-minimum',
  'payment-paid',
  'payment-returned',
  'payment-uncashed',
  'payment-details',
  'info-answered',
  'reconsideration-requested',
] as const;

/**
 * `round` is the plan's round when above 1: a further payment from money left in the programme
 * (domain/rounds.ts). Amounts in cents of `currency`.
 */
export interface TimelineEvent {
  kind: (typeof timelineEventKinds)[number];
  amountCents?: number;
  currency?: string;
  round?: number;
  /** The bank's date of a payment (YYYY-MM-DD). */
  date?: string;
  method?: PayoutMethod;
  last4?: string;
  documents?: number;
}

export interface DecisionRecord {
  decision: DecisionKind;
  by: string;
  at: string;
  recognizedLossCents?: number;
  reason?: string;
  message?: string;
  poolId?: string;
}

export interface PayoutRecord {
  distributionId: string;
  payoutCents: number;
  /** From explainPayout: the figures behind the payout, for a one-sentence explanation. */
  explanation: Record<string, unknown>;
  /** SCHEDULED until a results file reports it PAID or RETURNED (a VOID check counts as returned). */
  state?: 'SCHEDULED' | 'PAID' | 'RETURNED';
  /** From the results file: PAID, RETURNED or VOID, the bank's date and reference. */
  result?: {
    status: 'PAID' | 'RETURNED' | 'VOID';
    date: string;
    reference: string;
    /** The plan's results file (1, 2...) that applied it: its job step counts the move. */
    file?: number;
  };
  /** When the return was recorded: the reissue window counts from here. */
  returnedAt?: string;
  /** This payment reissues a returned payment of that earlier plan. */
  reissueOf?: string;
  /** The plan's round when above 1: a further payment from money left in the programme. */
  round?: number;
}

export interface Claim extends ClaimContent {
  claimId: string;
  status: ClaimStatus;
  version: number;
  filedAt: string;
  updatedAt: string;
  accessCodeHash: string;
  timeline: TimelineEntry[];
  decisions: DecisionRecord[];
  recognizedLossCents?: number;
  /** Filed by agency staff for a caller (the helpline): who, and when. */
  assisted?: { by: string; email?: string; at: string };
  /** Things a reviewer should look at, e.g. the invitation was already used by another claim. */
  flags: string[];
  payout?: PayoutRecord;
  /** Every payment reported PAID, over all rounds, in cents. */
  paidCents?: number;
  /** When the claimant last gave new payment details (after a returned payment). */
  paymentDetailsUpdatedAt?: string;
  reconsideration?: { requestedAt: string; reason: string };
}

/** The recognised loss a reviewer starts from: what was paid, net of recoveries (never below 0). */
export const defaultRecognizedLoss = (c: Pick<ClaimContent, 'claimedCents' | 'recoveriesCents'>): number =>
  Math.max(0, c.claimedCents - c.recoveriesCents);

/** `$1,234.56` for USD, `1,234.56 EUR` otherwise (no Intl: it loads locale data at cold start). */
export function formatCents(cents: number, currency: string): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const amount = `${negative ? '-' : ''}${currency === 'USD' ? '$' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
  return currency === 'USD' ? amount : `${amount} ${currency}`;
}

// ---------------------------------------------------------------------------------------------
// Reviewer decisions

/** States a reviewer may decide from. APPROVED may be revised until a payment plan locks it. */
const DECIDABLE: Readonly<Record<DecisionKind, readonly ClaimStatus[]>> = {
  'begin-review': ['SUBMITTED', 'NEEDS_INFO', 'RECONSIDERATION_REQUESTED'],
  approve: ['SUBMITTED', 'UNDER_REVIEW', 'NEEDS_INFO', 'RECONSIDERATION_REQUESTED', 'APPROVED'],
  deny: ['SUBMITTED', 'UNDER_REVIEW', 'NEEDS_INFO', 'RECONSIDERATION_REQUESTED', 'APPROVED'],
  'request-info': ['SUBMITTED', 'UNDER_REVIEW', 'RECONSIDERATION_REQUESTED'],
};

const WRONG_STATE_HINT: Partial<Record<ClaimStatus, string>> = {
  DENIED: 'It was denied; the claimant may ask for reconsideration, and then it can be decided again.',
  PAYMENT_SCHEDULED: 'Its payment is already scheduled in an approved distribution plan.',
  PAID: 'It has been paid.',
  CLOSED: 'It is closed.',
  NEEDS_INFO: 'It is waiting for information from the claimant.',
  UNDER_REVIEW: 'It is already under review.',
  APPROVED: 'It is already approved.',
};

export interface DecisionOutcome {
  status: ClaimStatus;
  timeline: TimelineEntry;
  decision: DecisionRecord;
  recognizedLossCents?: number;
  /** Set when an approval assigns the claim to a pool. */
  poolId?: string;
  /** Present on approvals and denials: any earlier recognised loss no longer stands. */
  clearRecognizedLoss?: boolean;
}

/**
 * Applies a reviewer's decision to a claim (pure). Throws ConflictError (409) for a claim in the
 * wrong state and ValidationError (400) for a recognised loss above what was paid net of recoveries.
 */
export function decide(
  claim: Pick<Claim, 'claimId' | 'status' | 'claimedCents' | 'recoveriesCents' | 'poolId' | 'currency'>,
  input: DecisionInput,
  opts: { by: string; now: Date; poolCurrency?: string },
): DecisionOutcome {
  const at = opts.now.toISOString();
  if (!DECIDABLE[input.decision].includes(claim.status)) {
    throw new ConflictError(
      `Claim ${claim.claimId} is ${claim.status}, so it cannot get the decision "${input.decision}". ${WRONG_STATE_HINT[claim.status] ?? ''}`.trim(),
      'WRONG_CLAIM_STATE',
    );
  }
  switch (input.decision) {
    case 'begin-review':
      return {
        status: 'UNDER_REVIEW',
        timeline: { status: 'UNDER_REVIEW', at },
        decision: { decision: 'begin-review', by: opts.by, at },
      };
    case 'approve': {
      const poolId = claim.poolId ?? input.poolId;
      if (!poolId) {
        throw new ValidationError([
          {
            path: 'poolId',
            message: 'This claim names no programme: give the poolId it is approved against.',
          },
        ]);
      }
      if (opts.poolCurrency !== undefined && opts.poolCurrency !== claim.currency) {
        throw new ConflictError(
          `This claim counts its loss in ${claim.currency} but the programme pays in ${opts.poolCurrency}. Ask the claimant to restate the loss.`,
          'CURRENCY_MISMATCH',
        );
      }
      const max = defaultRecognizedLoss(claim);
      if (input.recognizedLossCents > max) {
        throw new ValidationError([
          {
            path: 'recognizedLossCents',
            message:
              max === 0
                ? 'Nothing is left to recognise: the recoveries cover what was paid. Deny the claim instead.'
                : `The recognised loss cannot be more than what was paid minus recoveries: ${max} cents (${formatCents(max, claim.currency)}).`,
          },
        ]);
      }
      return {
        status: 'APPROVED',
        timeline: { status: 'APPROVED', at },
        decision: {
          decision: 'approve',
          by: opts.by,
          at,
          recognizedLossCents: input.recognizedLossCents,
          ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}),
          ...(claim.poolId ? {} : { poolId }),
        },
        recognizedLossCents: input.recognizedLossCents,
        ...(claim.poolId ? {} : { poolId }),
      };
    }
    case 'deny':
      return {
        status: 'DENIED',
        timeline: { status: 'DENIED', at, note: input.reason.trim() },
        decision: { decision: 'deny', by: opts.by, at, reason: input.reason.trim() },
        clearRecognizedLoss: true,
      };
    case 'request-info':
      return {
        status: 'NEEDS_INFO',
        timeline: { status: 'NEEDS_INFO', at, note: input.message.trim() },
        decision: { decision: 'request-info', by: opts.by, at, message: input.message.trim() },
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Reconsideration (by the claimant)

/** When the reconsideration window of a denial closes (the date, YYYY-MM-DD). */
export function reconsiderationDeadline(deniedAt: string): string {
  return new Date(Date.parse(deniedAt) + RECONSIDERATION_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
}

export function lastDenial(claim: Pick<Claim, 'timeline'>): string | undefined {
  for (let i = claim.timeline.length - 1; i >= 0; i--) {
    const t = claim.timeline[i]!;
    if (t.status === 'DENIED') return t.at;
  }
  return undefined;
}

/** Checks a reconsideration request against the claim's state and the window; throws 409 otherwise. */
export function checkReconsideration(claim: Pick<Claim, 'status' | 'timeline'>, now: Date): void {
  if (claim.status !== 'DENIED') {
    throw new ConflictError(
      claim.status === 'RECONSIDERATION_REQUESTED'
        ? 'You have already asked for reconsideration. A reviewer will look at your claim again.'
        : 'Only a denied claim can be reconsidered. Check your claim status.',
      'WRONG_CLAIM_STATE',
    );
  }
  const deniedAt = lastDenial(claim);
  if (deniedAt && now.getTime() - Date.parse(deniedAt) > RECONSIDERATION_WINDOW_DAYS * 86_400_000) {
    throw new ConflictError(
      `The ${RECONSIDERATION_WINDOW_DAYS}-day window to ask for reconsideration ended on ${reconsiderationDeadline(deniedAt)}.`,
      'RECONSIDERATION_WINDOW_CLOSED',
    );
  }
}

/** A claim as seen from one identifier its payments went to. */
export interface LinkedClaim {
  claimId: string;
  filedAt: string;
  poolId?: string;
  paid: { currency: string; amountCents: number }[];
}

/** What a distribution plan needs of each approved claim. */
export interface ApprovedClaimRow {
  claimId: string;
  recognizedLossCents: number;
  version: number;
}

/** One change of a claim, applied all at once and only if nobody changed the claim meanwhile. */
export interface ClaimTransition {
  status?: ClaimStatus;
  timeline?: TimelineEntry;
  decision?: DecisionRecord;
  recognizedLossCents?: number;
  clearRecognizedLoss?: boolean;
  poolId?: string;
  payout?: PayoutRecord;
  /** Added to the claim's total paid (a PAID result). */
  addPaidCents?: number;
  /** New details after a returned payment (only the address changes). */
  claimant?: Claimant;
  paymentDetailsUpdatedAt?: string;
  distributionId?: string;
  reconsideration?: { requestedAt: string; reason: string };
  flags?: string[];
  /**
   * Made by a job step that counts its moves on the dashboard once for the whole step: the claim
   * carries no per-claim count move (docs/dashboard.md, "Claims moved by jobs").
   */
  countedByStep?: boolean;
}
