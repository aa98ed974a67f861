/**
 * E-mail with an outbox (docs/email.md): nothing lost, nothing doubled.
 *
 * Recording (every claim change that is mailed, a filed claim, a new invitation):
 *   1. Before the change is written, record the intent in the outbox (the mail queue), with a
 *      deterministic mail id. If recording fails, the change is not attempted (503, or the job
 *      step is retried), so a change never happens without its mail.
 *   2. Write the change as before (conditional on the claim's version).
 *
 * Delivering (deliverMail, the mailer consuming the queue):
 *   1. Check the change really happened (the claim is at that version with that timeline entry;
 *      the invitation exists). Not yet: retry later. Still not after GRACE_SECONDS (longer than
 *      any writer's own timeout): the change never happened, drop the intent.
 *   2. Find the address and language; no address or a suppressed one: record why, send nothing.
 *   3. Take the mail id in the ledger (a conditional write): already SENT, stop; another attempt
 *      holds a live lease, retry later.
 *   4. Render (domain/mail.ts), send, mark SENT. A rejected send releases the lease for a retry.
 *
 * applyMailEvent (SES's events): a permanent bounce or a complaint adds the address to the
 * suppression list, which step 2 reads before every send; "sent" marks the mail SENT, closing the
 * gap of a mailer that died between SES taking the mail and step 4's mark.
 */
import type { Claim, ClaimTransition } from '../domain/claim.ts';
import type { PortalLanguage } from '../domain/enums.ts';
import {
  isMailedStatus,
  type MailIntent,
  type MailKind,
  type MailValues,
  mailIds,
  type RenderedMail,
  renderMail,
} from '../domain/mail.ts';
import { type Invitation, isOpen, type Pool } from '../domain/pool.ts';
import type { StoredReport } from '../domain/report-content.ts';

/** Longer than any function that records intents runs (29 s API, 180 s job step): see step 1. */
export const GRACE_SECONDS = 900;
/**
 * How long one attempt holds a mail id: far above the mailer's own timeout, and long enough for
 * SES's "sent" event to mark the mail SENT if the attempt died after SES took it.
 */
export const LEASE_SECONDS = 900;

export interface MailOutbox {
  /** Durably records intents (all or an error); the same mail id twice is harmless. */
  record(intents: readonly MailIntent[]): Promise<void>;
}

/** Why a mail was not sent, or that it was. */
export type MailOutcome = 'SENT' | 'SUPPRESSED' | 'NO_ADDRESS' | 'NOT_NEEDED';

export interface MailLedger {
  /**
   * Takes `mailId` for this attempt: `go` (taken), `done` (an earlier attempt finished it) or
   * `busy` (another attempt's lease is still live).
   */
  begin(mailId: string, attempt: string, now: Date, leaseSeconds: number): Promise<'go' | 'done' | 'busy'>;
  finish(
    mailId: string,
    attempt: string,
    outcome: MailOutcome,
    now: Date,
    providerMessageId?: string,
  ): Promise<void>;
  /** Gives the id back after a send that certainly did not go out. */
  release(mailId: string, attempt: string): Promise<void>;
  /** SES says it took the mail named by this token: SENDING becomes SENT. Whether it moved. */
  confirmSent(token: string, at: string): Promise<boolean>;
  isSuppressed(address: string): Promise<boolean>;
  suppress(address: string, reason: SuppressionReason, at: string): Promise<void>;
}

export type SuppressionReason = 'BOUNCE' | 'COMPLAINT';

export interface OutgoingMail extends RenderedMail {
  mailId: string;
  kind: MailKind;
  to: string;
  lang: PortalLanguage;
}

/** Sends one rendered mail (SES in AWS, an .eml file locally); answers the provider's id. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<string>;
}

export interface DeliverDeps {
  ledger: MailLedger;
  transport: MailTransport;
  claims: { get(claimId: string): Promise<Claim | undefined> };
  pools: {
    get(poolId: string): Promise<Pool | undefined>;
    invitation(poolId: string, reportId: string): Promise<Invitation | undefined>;
  };
  reports: { get(reportId: string): Promise<StoredReport | undefined> };
  settings: { baseUrl: string; agencyName: string };
  now?: () => Date;
  newAttemptId?: () => string;
}

/** The change an intent announces has not been written yet: try again later. */
export class MailNotReadyError extends Error {
  override readonly name = 'MailNotReadyError';
}

/** Another attempt holds this mail id: try again once its lease has run out. */
export class MailBusyError extends Error {
  override readonly name = 'MailBusyError';
}

export type DeliveryResult = MailOutcome | 'DUPLICATE' | 'NEVER_HAPPENED';

interface Resolved {
  to?: string;
  lang: PortalLanguage;
  values: Omit<MailValues, 'baseUrl' | 'agencyName'>;
  needed: boolean;
}

const languageOf = (stated: string | undefined): PortalLanguage =>
  stated?.toLowerCase().startsWith('es') ? 'es' : 'en';

/** Step 1 and 2: the mail's recipient and values, or undefined while the change is not written. */
async function resolve(intent: MailIntent, deps: DeliverDeps): Promise<Resolved | undefined> {
  if (intent.kind === 'INVITATION') {
    const invitation = await deps.pools.invitation(intent.poolId, intent.reportId);
    if (!invitation) return undefined;
    const [pool, report] = await Promise.all([
      deps.pools.get(intent.poolId),
      deps.reports.get(intent.reportId),
    ]);
    const filer = report?.content.filer;
    const consent = report?.content.consents.contactAboutRecovery === true;
    const now = (deps.now ?? (() => new Date()))();
    return {
      ...(consent && filer?.contact?.email ? { to: filer.contact.email } : {}),
      lang: languageOf(filer?.language),
      // A claim filed already, or a closed programme: the invitation has nothing left to say.
      needed: pool !== undefined && invitation.claimId === undefined && isOpen(pool, now),
      values: {
        invitationCode: invitation.code,
        ...(pool ? { poolName: pool.name, claimDeadline: pool.claimDeadline } : {}),
      },
    };
  }
  const claim = await deps.claims.get(intent.claimId);
  if (!claim) return undefined;
  if (intent.kind !== 'CLAIM_RECEIVED') {
    const written =
      claim.version >= intent.version &&
      claim.timeline.some((t) => t.status === intent.kind && t.at === intent.at);
    if (!written) return undefined;
  }
  return {
    ...(claim.claimant.email ? { to: claim.claimant.email } : {}),
    lang: claim.language ?? 'en',
    needed: true,
    values: {
      claimId: claim.claimId,
      ...(intent.kind === 'CLAIM_RECEIVED' ? { accessCode: intent.accessCode } : {}),
    },
  };
}

export async function deliverMail(intent: MailIntent, deps: DeliverDeps): Promise<DeliveryResult> {
  const now = (deps.now ?? (() => new Date()))();
  // 1. Did the change happen?
  const resolved = await resolve(intent, deps);
  if (!resolved) {
    const ageSeconds = (now.getTime() - Date.parse(intent.recordedAt)) / 1000;
    if (ageSeconds < GRACE_SECONDS) throw new MailNotReadyError(`${intent.mailId} is not written yet`);
    return 'NEVER_HAPPENED';
  }
  // 3. Take the id (before step 2's outcomes too, so each is recorded once).
  const attempt = (deps.newAttemptId ?? (() => crypto.randomUUID()))();
  const taken = await deps.ledger.begin(intent.mailId, attempt, now, LEASE_SECONDS);
  if (taken === 'done') return 'DUPLICATE';
  if (taken === 'busy') throw new MailBusyError(`${intent.mailId} is being sent by another attempt`);
  // 2. Address
  const finish = async (outcome: MailOutcome, providerId?: string) => {
    await deps.ledger.finish(intent.mailId, attempt, outcome, now, providerId);
    return outcome;
  };
  if (!resolved.needed) return finish('NOT_NEEDED');
  if (!resolved.to) return finish('NO_ADDRESS');
  if (await deps.ledger.isSuppressed(resolved.to)) return finish('SUPPRESSED');
  // 4. Render and send
  const rendered = renderMail(intent.kind, resolved.lang, { ...deps.settings, ...resolved.values });
  let providerId: string;
  try {
    providerId = await deps.transport.send({
      ...rendered,
      mailId: intent.mailId,
      kind: intent.kind,
      to: resolved.to,
      lang: resolved.lang,
    });
  } catch (e) {
    // An answer from the provider means it refused the mail: nothing went out, so a retry may
    // take the id again at once. Without an answer (a timeout) it may have gone: keep the lease.
    if (isRefusal(e)) await deps.ledger.release(intent.mailId, attempt);
    throw e;
  }
  return finish('SENT', providerId);
}

function isRefusal(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400;
}

// ---------------------------------------------------------------------------------------------
// Recording

/** The intent for a filed claim; recorded before the claim is stored (file-claim.ts). */
export function claimReceivedIntent(claimId: string, accessCode: string, now: Date): MailIntent {
  return {
    kind: 'CLAIM_RECEIVED',
    mailId: mailIds.claimReceived(claimId),
    claimId,
    accessCode,
    recordedAt: now.toISOString(),
  };
}

/** The intent for a claim change, when the change is one that is mailed. */
export function claimChangeIntent(
  expected: Claim,
  change: ClaimTransition,
  now: Date,
): MailIntent | undefined {
  if (!isMailedStatus(change.status) || change.status === expected.status || !change.timeline)
    return undefined;
  if (!(change.claimant ?? expected.claimant).email) return undefined;
  const version = expected.version + 1;
  return {
    kind: change.status,
    mailId: mailIds.claimChange(expected.claimId, version),
    claimId: expected.claimId,
    version,
    at: change.timeline.at,
    recordedAt: now.toISOString(),
  };
}

interface ClaimTransitions {
  transition(expected: Claim, change: ClaimTransition, now: string): Promise<boolean>;
}

/**
 * Makes every claim change of `store` that is mailed record its intent first. Every status change
 * goes through `transition` (the repository's `transitionOrConflict` calls it), so wrapping it
 * covers reviewers' decisions and the distribution jobs alike.
 */
export function mailClaimChanges<T extends ClaimTransitions>(
  store: T,
  outbox: MailOutbox,
  clock: () => Date = () => new Date(),
): T {
  const transition = store.transition.bind(store);
  store.transition = async (expected, change, now) => {
    const intent = claimChangeIntent(expected, change, clock());
    if (intent) await outbox.record([intent]);
    return transition(expected, change, now);
  };
  return store;
}

interface InvitationWrites {
  putInvitation(inv: Invitation): Promise<boolean>;
}

/**
 * Makes every new invitation record its mail first. The mailer finds whether the reporter agreed
 * to be contacted and gave an address; most matched reports did not, and those send nothing.
 */
export function mailInvitations<T extends InvitationWrites>(
  store: T,
  outbox: MailOutbox,
  clock: () => Date = () => new Date(),
): T {
  const put = store.putInvitation.bind(store);
  store.putInvitation = async (inv) => {
    await outbox.record([
      {
        kind: 'INVITATION',
        mailId: mailIds.invitation(inv.poolId, inv.reportId),
        poolId: inv.poolId,
        reportId: inv.reportId,
        recordedAt: clock().toISOString(),
      },
    ]);
    return put(inv);
  };
  return store;
}

// ---------------------------------------------------------------------------------------------
// Bounces and complaints

export interface MailEvent {
  kind: 'BOUNCE' | 'COMPLAINT' | 'SENT' | 'OTHER';
  /** The mail's token (its SES tag), when the event names one of ours. */
  token?: string;
  /** SES's bounce type: only a Permanent bounce means the address will never work. */
  bounceType?: string;
  recipients: readonly string[];
  at: string;
}

/**
 * Adds the addresses of a permanent bounce or a complaint to the suppression list; marks a mail
 * SES took as SENT. Both are harmless to repeat (EventBridge may deliver an event twice).
 */
export async function applyMailEvent(
  event: MailEvent,
  ledger: Pick<MailLedger, 'suppress' | 'confirmSent'>,
): Promise<{ suppressed: number; confirmed: boolean }> {
  if (event.kind === 'SENT') {
    return {
      suppressed: 0,
      confirmed: event.token ? await ledger.confirmSent(event.token, event.at) : false,
    };
  }
  const suppress =
    event.kind === 'COMPLAINT' || (event.kind === 'BOUNCE' && event.bounceType === 'Permanent');
  if (!suppress) return { suppressed: 0, confirmed: false };
  for (const address of event.recipients)
    await ledger.suppress(address, event.kind as SuppressionReason, event.at);
  return { suppressed: event.recipients.length, confirmed: false };
}
