/**
 * Use cases for victims: file a restitution claim, and check that an invitation to claim is
 * genuine (so a real notice can be told from a "recovery" scam).
 *
 * fileClaim:
 *   1. Validate the body (shape, amounts, sworn attestation).
 *   2. With an invitation code: find the invitation; its pool and report fill in what is missing
 *      (the payments come from the report, normalised the same way).
 *   3. Check the pool exists and is open, and every named report exists.
 *   4. Normalise the claim (payments like a report's; recoveries no more than what was paid).
 *   5. Assign an unguessable claim id and a 140-bit access code; keep only the code's hash.
 *   6. Note what a reviewer should see (an invitation or report already used by another claim).
 *   7. Index the payments' identifiers and the claimant's contact details (for reviewers' flags,
 *      claim-flags.ts) and mark the named reports, then store the claim. The
 *      index goes first: a claim that exists always has its links (a stray link to a claim that
 *      was never stored is harmless and shows as "not found").
 *      With an e-mail address, the "claim received" mail (with the access code) is recorded in
 *      the outbox just before the claim is stored (send-mail.ts): a stored claim always has it.
 *   8. Match the claim against open pools (best effort: the pool side can re-run matching).
 *   9. Answer with the claim id and the access code, shown this once.
 */
import type { Claim } from '../domain/claim.ts';
import { normaliseClaim } from '../domain/claim-normalise.ts';
import { type ClaimInput, claimInputSchema } from '../domain/claim-schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseReportId } from '../domain/ids.ts';
import { usAccountDigits } from '../domain/indicators/bank-account.ts';
import { type Invitation, isOpen, type Pool } from '../domain/pool.ts';
import {
  paymentLinksOf,
  type StoredPayment,
  type StoredRecipient,
  type StoredReport,
} from '../domain/report-content.ts';
import {
  hashAccessCode,
  newAccessCode,
  newClaimId,
  parseInvitationCode,
  parsePoolId,
} from '../domain/secrets.ts';
import { parseWith } from '../domain/validation.ts';
import type { ClaimContactIndex } from './claim-flags.ts';
import { checkGuard, type FailureCounter, GUESS_LIMIT, recordFailure, recordSuccess } from './guess-guard.ts';
import type { MatchSubject } from './match-pools.ts';
import type { PayoutVault } from './payout-vault.ts';
import { claimReceivedIntent, type MailOutbox } from './send-mail.ts';

export interface ClaimPoolStore {
  get(poolId: string): Promise<Pool | undefined>;
  invitationByCode(code: string): Promise<Invitation | undefined>;
  claimInvitation(inv: Invitation, claimId: string): Promise<string>;
}

export interface NewClaimStore {
  create(claim: Claim): Promise<void>;
  putLinks(claim: Claim): Promise<void>;
  putReportMarkers(claim: Claim): Promise<void>;
  reportHasClaim(reportId: string): Promise<boolean>;
}

export interface ClaimReportReader {
  get(reportId: string): Promise<StoredReport | undefined>;
  getMany(reportIds: readonly string[]): Promise<StoredReport[]>;
}

export interface FileClaimDeps {
  pools: ClaimPoolStore;
  claims: NewClaimStore;
  reports: ClaimReportReader;
  match: (subject: MatchSubject) => Promise<unknown>;
  /** The claimant contact index behind reviewers' flags. */
  contacts?: Pick<ClaimContactIndex, 'put'>;
  key: Uint8Array;
  /** Encrypts a direct-deposit account number for the payment file (never stored in clear). */
  payoutVault: Pick<PayoutVault, 'seal'>;
  now?: () => Date;
  newClaimId?: () => string;
  newAccessCode?: () => string;
  /** Told when step 8 fails: the claim is stored, so the caller still gets 201. */
  onMatchFailure?: (error: unknown) => void;
  /**
   * Invitation codes are secrets: a wrong one counts against the caller as on
   * /v1/invitations/verify (same scope), so filing cannot be used to try codes.
   */
  guesses: { counter: FailureCounter; clientHash: string; onLimitReached?: () => void };
  /** Staff filing for a caller (the helpline): recorded on the claim as staff-assisted. */
  assistedBy?: { sub: string; email?: string };
  /** The e-mail outbox (send-mail.ts); absent where the deployment sends no e-mail. */
  mail?: MailOutbox;
}

export interface FiledClaim {
  claimId: string;
  accessCode: string;
  status: 'SUBMITTED';
  filedAt: string;
  poolId?: string;
  poolName?: string;
  notice: string;
}

const ACCESS_CODE_NOTICE =
  'Write down your claim id and access code now: the code is shown only this once and we cannot ' +
  'recover it. Use both to check your claim on this site. We will never ask you for a fee.';

const unknownInvitation = () =>
  new ValidationError([
    {
      path: 'invitationCode',
      message: 'We cannot find this invitation code. Check it against your letter, or file without it.',
    },
  ]);

export async function fileClaim(body: unknown, deps: FileClaimDeps): Promise<FiledClaim> {
  const now = (deps.now ?? (() => new Date()))();
  const input: ClaimInput = parseWith(claimInputSchema, body);

  // 2. Invitation
  let invitation: Invitation | undefined;
  let poolId: string | undefined;
  if (input.poolId !== undefined) {
    poolId = parsePoolId(input.poolId);
    if (!poolId) throw unknownPool();
  }
  if (input.invitationCode !== undefined) {
    const guard = await checkGuard(deps.guesses.counter, 'invitation', deps.guesses.clientHash, now);
    const code = parseInvitationCode(input.invitationCode);
    invitation = code ? await deps.pools.invitationByCode(code) : undefined;
    if (!invitation) {
      if ((await recordFailure(deps.guesses.counter, guard)) === GUESS_LIMIT) deps.guesses.onLimitReached?.();
      throw unknownInvitation();
    }
    if (poolId !== undefined && poolId !== invitation.poolId) {
      throw new ValidationError([
        { path: 'poolId', message: 'This invitation is for another programme. Leave poolId out.' },
      ]);
    }
    poolId = invitation.poolId;
    await recordSuccess(deps.guesses.counter, guard);
  }

  // 3. Pool and reports
  let pool: Pool | undefined;
  if (poolId !== undefined) {
    pool = await deps.pools.get(poolId);
    if (!pool) throw unknownPool();
    if (!isOpen(pool, now)) {
      throw new ConflictError(
        `The claim period for "${pool.name}" ended on ${pool.claimDeadline}; it no longer takes claims. Your report stays on file.`,
        'POOL_CLOSED',
      );
    }
  }
  const reportIds: string[] = [];
  (input.reportIds ?? []).forEach((typed, i) => {
    const id = parseReportId(typed);
    if (!id) throw new ValidationError([{ path: `reportIds.${i}`, message: reportMessage }]);
    if (!reportIds.includes(id)) reportIds.push(id);
  });
  if (invitation && !reportIds.includes(invitation.reportId)) reportIds.unshift(invitation.reportId);
  const reports = reportIds.length > 0 ? await deps.reports.getMany(reportIds) : [];
  const found = new Set(reports.map((r) => r.reportId));
  for (const id of reportIds) {
    // The invitation's own report can be gone (retention); the invitation still stands.
    if (found.has(id) || id === invitation?.reportId) continue;
    const typedIndex = (input.reportIds ?? []).findIndex((t) => parseReportId(t) === id);
    throw new ValidationError([{ path: `reportIds.${Math.max(0, typedIndex)}`, message: reportMessage }]);
  }

  // 4. Normalise (an invitation without payments takes the report's)
  let prefilled: StoredPayment[] | undefined;
  if (invitation && (input.payments ?? []).length === 0) {
    prefilled = reports.find((r) => r.reportId === invitation.reportId)?.content.payments;
  }
  const content = normaliseClaim(input, {
    key: deps.key,
    now,
    ...(pool ? { poolCurrency: pool.currency } : {}),
    ...(prefilled && prefilled.length > 0 ? { payments: prefilled } : {}),
  });

  // 5. Identity and secret
  const claimId = (deps.newClaimId ?? newClaimId)();
  const accessCode = (deps.newAccessCode ?? newAccessCode)();
  const filedAt = now.toISOString();
  // The full account number, sealed to this claim id for the payment file alone; before anything
  // is written, so a failure to seal leaves nothing behind.
  const account = input.claimant.payoutAccount;
  const digits = account ? usAccountDigits(account.accountNumber) : undefined;
  if (content.claimant.payoutAccount && digits) {
    content.claimant.payoutAccount.sealed = await deps.payoutVault.seal(claimId, digits);
  }

  // 6. Flags for the reviewer
  const flags: string[] = [];
  if (invitation) {
    const owner = await deps.pools.claimInvitation(invitation, claimId);
    if (owner !== claimId) flags.push(`INVITATION_ALREADY_USED_BY:${owner}`);
  }
  for (const reportId of reportIds) {
    if (await deps.claims.reportHasClaim(reportId)) flags.push(`REPORT_ALREADY_CLAIMED:${reportId}`);
  }

  const claim: Claim = {
    ...content,
    ...(poolId ? { poolId } : {}),
    reportIds,
    ...(invitation ? { invitationCode: invitation.code } : {}),
    claimId,
    status: 'SUBMITTED',
    version: 1,
    filedAt,
    updatedAt: filedAt,
    accessCodeHash: hashAccessCode(accessCode),
    timeline: [{ status: 'SUBMITTED', at: filedAt }],
    decisions: [],
    flags,
    ...(deps.assistedBy
      ? {
          assisted: {
            by: deps.assistedBy.sub,
            ...(deps.assistedBy.email ? { email: deps.assistedBy.email } : {}),
            at: filedAt,
          },
        }
      : {}),
  };

  // 7. Index, mark, store
  await deps.claims.putLinks(claim);
  await deps.claims.putReportMarkers(claim);
  await deps.contacts?.put(claim);
  if (claim.claimant.email) await deps.mail?.record([claimReceivedIntent(claimId, accessCode, now)]);
  await deps.claims.create(claim);

  // 8. Match (best effort)
  try {
    await deps.match({ kind: 'CLAIM', id: claimId, at: filedAt, links: paymentLinksOf(claim.payments) });
  } catch (e) {
    deps.onMatchFailure?.(e);
  }

  return {
    claimId,
    accessCode,
    status: 'SUBMITTED',
    filedAt,
    ...(pool ? { poolId: pool.poolId, poolName: pool.name } : {}),
    notice: ACCESS_CODE_NOTICE,
  };
}

const reportMessage = 'No report has this reference number. Check it, or leave it out.';

function unknownPool() {
  return new ValidationError([
    {
      path: 'poolId',
      message: 'No programme has this id. Pick one from the list of open programmes, or leave it out.',
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Is this notice genuine?

export interface VerifyDeps {
  pools: Pick<ClaimPoolStore, 'get' | 'invitationByCode'>;
  reports: Pick<ClaimReportReader, 'get'>;
  counter: FailureCounter;
  clientHash: string;
  now?: () => Date;
}

export interface VerifiedInvitation {
  genuine: true;
  code: string;
  poolId: string;
  poolName: string;
  caseNumber: string;
  court: string;
  claimDeadline: string;
  open: boolean;
  alreadyUsed: boolean;
  message: string;
  neverAFee: string;
  prefill: {
    payments: {
      amountCents: number;
      currency: string;
      date?: string;
      method: string;
      recipient?: string;
    }[];
  };
}

export const NEVER_A_FEE =
  'Filing a claim is free. Nobody from this programme will ever ask you for a fee, a tax, gift cards, ' +
  'cryptocurrency or your bank password to release money. Anyone who does is a scammer: report them.';

export const UNKNOWN_CODE_MESSAGE =
  'We cannot find this code. Check it against your letter. If someone asked you to pay a fee to ' +
  'recover money, it is a scam: do not pay, and report it.';

/** Masks a payment recipient so a stolen code reveals no account or wallet in full. */
export function maskRecipient(r: StoredRecipient | undefined): string | undefined {
  if (!r) return undefined;
  const ends = (s: string) => (s.length <= 8 ? `${s.slice(0, 2)}…` : `${s.slice(0, 4)}…${s.slice(-4)}`);
  switch (r.kind) {
    case 'bank-account':
      return `${r.bankName ?? 'Bank account'} ••••${r.accountLast4 ?? ''}`.trim();
    case 'crypto-wallet':
      return `${r.asset ?? 'Crypto'} wallet ${ends(r.address)}`;
    case 'payment-app':
      return `${r.service ?? 'Payment app'} ${ends(r.handle)}`;
    case 'gift-card':
      return `${r.brand ?? 'Gift'} card ••••${r.cardLast4 ?? ''}`.trim();
    case 'money-transfer':
      return `${r.provider ?? 'Money transfer'}${r.mtcn ? ` ••••${r.mtcn.slice(-4)}` : ''}`;
    case 'other':
      return 'Other';
  }
}

export async function verifyInvitation(typedCode: string, deps: VerifyDeps): Promise<VerifiedInvitation> {
  const now = (deps.now ?? (() => new Date()))();
  const guard = await checkGuard(deps.counter, 'invitation', deps.clientHash, now);
  const code = parseInvitationCode(typedCode);
  const invitation = code ? await deps.pools.invitationByCode(code) : undefined;
  const pool = invitation ? await deps.pools.get(invitation.poolId) : undefined;
  if (!invitation || !pool) {
    await recordFailure(deps.counter, guard);
    throw new NotFoundError(UNKNOWN_CODE_MESSAGE);
  }
  await recordSuccess(deps.counter, guard);
  const report = await deps.reports.get(invitation.reportId);
  return {
    genuine: true,
    code: invitation.code,
    poolId: pool.poolId,
    poolName: pool.name,
    caseNumber: pool.caseNumber,
    court: pool.court,
    claimDeadline: pool.claimDeadline,
    open: isOpen(pool, now),
    alreadyUsed: invitation.claimId !== undefined,
    message:
      `This notice is genuine: it was prepared by the "${pool.name}" programme (case ${pool.caseNumber}, ` +
      `${pool.court}) because a report you filed lists a payment to an account seized in the case. ` +
      `File your claim on this site by ${pool.claimDeadline}, with this code.`,
    neverAFee: NEVER_A_FEE,
    prefill: {
      payments: (report?.content.payments ?? []).map((p) => {
        const recipient = maskRecipient(p.recipient);
        return {
          amountCents: p.amountCents,
          currency: p.currency,
          ...(p.date ? { date: p.date } : {}),
          method: p.method,
          ...(recipient ? { recipient } : {}),
        };
      }),
    },
  };
}
