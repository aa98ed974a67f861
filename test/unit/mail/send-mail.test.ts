import { beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import type { Claim } from '#shared/domain/claim.ts';
import { type MailIntent, mailIds, mailToken } from '#shared/domain/mail.ts';
import { hashAccessCode, newClaimId, newPoolId } from '#shared/domain/secrets.ts';
import {
  applyMailEvent,
  claimReceivedIntent,
  type DeliverDeps,
  deliverMail,
  GRACE_SECONDS,
  LEASE_SECONDS,
  MailBusyError,
  MailNotReadyError,
  mailClaimChanges,
  mailInvitations,
} from '#shared/use-cases/send-mail.ts';
import { makePool } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

const fakes = new Fakes();
const NOW = new Date('2026-12-01T10:00:00.000Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const CLAIM_ID = newClaimId();
const POOL_ID = newPoolId();

const claim = (over: Partial<Claim> = {}): Claim => ({
  claimId: CLAIM_ID,
  status: 'UNDER_REVIEW',
  version: 2,
  filedAt: '2026-11-02T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
  accessCodeHash: hashAccessCode('x'),
  poolId: POOL_ID,
  reportIds: [],
  claimant: {
    name: 'Rosa Martínez',
    email: 'rosa@example.com',
    address: { line1: '1 A St', city: 'Miami', country: 'US' },
  },
  language: 'es',
  payments: [],
  currency: 'USD',
  claimedCents: 10_000,
  recoveriesCents: 0,
  attestation: { underPenaltyOfPerjury: true, notInvolvedInOffense: true, signedName: 'Rosa', signedAt: 'x' },
  timeline: [{ status: 'SUBMITTED', at: '2026-11-02T00:00:00.000Z' }],
  decisions: [],
  flags: [],
  ...over,
});

const deps = (now = NOW): DeliverDeps => ({
  ledger: fakes.mailLedger,
  transport: fakes.mailTransport,
  claims: fakes.claims,
  pools: fakes.pools,
  reports: fakes.reports,
  settings: { baseUrl: 'https://reports.example.gov', agencyName: 'Example AG' },
  now: () => now,
});

/** Approves the stored claim through a mailing store; answers the intent it recorded. */
async function approve(): Promise<MailIntent> {
  const store = mailClaimChanges(fakes.claims, fakes.mail, () => NOW);
  const at = NOW.toISOString();
  expect(
    await store.transition(claim(), { status: 'APPROVED', timeline: { status: 'APPROVED', at } }, at),
  ).toBe(true);
  return fakes.mail.intents.at(-1)!;
}

beforeEach(() => {
  fakes.reset();
  fakes.claims.seed(claim());
});

describe('recording intents', () => {
  it('records the intent before the change is written, with an id fixed by the claim version', async () => {
    const intent = await approve();
    expect(intent).toMatchObject({ kind: 'APPROVED', mailId: mailIds.claimChange(CLAIM_ID, 3), version: 3 });
    expect(fakes.log.filter((l) => l.startsWith('claims.transition'))).toHaveLength(1);
  });

  it('writes no change when the intent cannot be recorded (nothing announced is lost)', async () => {
    fakes.mail.failNext = true;
    const store = mailClaimChanges(fakes.claims, fakes.mail, () => NOW);
    const at = NOW.toISOString();
    await expect(
      store.transition(claim(), { status: 'DENIED', timeline: { status: 'DENIED', at } }, at),
    ).rejects.toThrow('queue down');
    expect(fakes.claims.items.get(CLAIM_ID)!.status).toBe('UNDER_REVIEW');
  });

  it('records nothing for changes that are not mailed, or for a claimant without an address', async () => {
    const store = mailClaimChanges(fakes.claims, fakes.mail, () => NOW);
    const at = NOW.toISOString();
    await store.transition(
      claim(),
      { status: 'RECONSIDERATION_REQUESTED', timeline: { status: 'RECONSIDERATION_REQUESTED', at } },
      at,
    );
    const { email: _none, ...noEmail } = claim().claimant;
    fakes.claims.seed(claim({ claimant: noEmail, version: 3 }));
    await store.transition(
      claim({ claimant: noEmail, version: 3 }),
      { status: 'APPROVED', timeline: { status: 'APPROVED', at } },
      at,
    );
    expect(fakes.mail.intents).toEqual([]);
  });

  it('records an invitation mail before the invitation is stored', async () => {
    const store = mailInvitations(fakes.pools, fakes.mail, () => NOW);
    await store.putInvitation({
      poolId: POOL_ID,
      reportId: 'RPT-1',
      code: 'INV-1',
      createdAt: NOW.toISOString(),
    });
    expect(fakes.mail.intents).toEqual([
      expect.objectContaining({ kind: 'INVITATION', mailId: mailIds.invitation(POOL_ID, 'RPT-1') }),
    ]);
  });
});

describe('deliverMail', () => {
  it('sends a change that was written, once, however often the intent is delivered', async () => {
    const intent = await approve();
    expect(await deliverMail(intent, deps())).toBe('SENT');
    expect(await deliverMail(intent, deps(later(60)))).toBe('DUPLICATE');
    expect(await deliverMail(intent, deps(later(LEASE_SECONDS * 2)))).toBe('DUPLICATE');
    expect(fakes.mailTransport.sent).toHaveLength(1);
    expect(fakes.mailTransport.sent[0]).toMatchObject({
      to: 'rosa@example.com',
      lang: 'es',
      kind: 'APPROVED',
    });
    expect(fakes.mailTransport.sent[0]!.subject).not.toContain('Rosa');
  });

  it('waits for a change not written yet, and drops it once it can no longer happen', async () => {
    const intent: MailIntent = {
      kind: 'DENIED',
      mailId: mailIds.claimChange(CLAIM_ID, 3),
      claimId: CLAIM_ID,
      version: 3,
      at: NOW.toISOString(),
      recordedAt: NOW.toISOString(),
    };
    await expect(deliverMail(intent, deps(later(5)))).rejects.toBeInstanceOf(MailNotReadyError);
    expect(await deliverMail(intent, deps(later(GRACE_SECONDS + 1)))).toBe('NEVER_HAPPENED');
    expect(fakes.mailTransport.sent).toEqual([]);
    // Nothing is written for it: a retried writer that does make the change gets its mail.
    expect(fakes.mailLedger.entries.size).toBe(0);
  });

  it('does not mail a change that lost the race for the same version', async () => {
    await approve();
    const loser: MailIntent = {
      kind: 'DENIED',
      mailId: mailIds.claimChange(CLAIM_ID, 3),
      claimId: CLAIM_ID,
      version: 3,
      at: later(1).toISOString(),
      recordedAt: NOW.toISOString(),
    };
    expect(await deliverMail(loser, deps(later(GRACE_SECONDS + 1)))).toBe('NEVER_HAPPENED');
    expect(fakes.mailTransport.sent).toEqual([]);
  });

  it('never sends to a suppressed address, and records why', async () => {
    await applyMailEvent(
      { kind: 'BOUNCE', bounceType: 'Permanent', recipients: ['ROSA@example.com '], at: NOW.toISOString() },
      fakes.mailLedger,
    );
    const intent = await approve();
    expect(await deliverMail(intent, deps())).toBe('SUPPRESSED');
    expect(fakes.mailTransport.sent).toEqual([]);
    expect(fakes.mailLedger.entries.get(intent.mailId)?.state).toBe('SUPPRESSED');
  });

  it('suppresses on a permanent bounce or a complaint, not on a transient bounce', async () => {
    const at = NOW.toISOString();
    expect(
      await applyMailEvent(
        { kind: 'BOUNCE', bounceType: 'Transient', recipients: ['a@x.com'], at },
        fakes.mailLedger,
      ),
    ).toEqual({ suppressed: 0, confirmed: false });
    expect(
      await applyMailEvent({ kind: 'COMPLAINT', recipients: ['b@x.com'], at }, fakes.mailLedger),
    ).toEqual({ suppressed: 1, confirmed: false });
    expect([...fakes.mailLedger.suppressed.keys()]).toEqual(['b@x.com']);
  });

  it('sends nothing again when the mailer died after SES took the mail: SES\'s "sent" event marks it', async () => {
    const intent = await approve();
    // The send goes out, then the attempt dies before it can write SENT.
    fakes.mailLedger.finish = async () => {
      throw new Error('killed');
    };
    await expect(deliverMail(intent, deps())).rejects.toThrow('killed');
    delete (fakes.mailLedger as { finish?: unknown }).finish;
    expect(fakes.mailTransport.sent).toHaveLength(1);
    const event = {
      kind: 'SENT' as const,
      token: mailToken(intent.mailId),
      recipients: [],
      at: NOW.toISOString(),
    };
    expect(await applyMailEvent(event, fakes.mailLedger)).toEqual({ suppressed: 0, confirmed: true });
    // Redelivered after the lease ran out: the ledger says SENT.
    expect(await deliverMail(intent, deps(later(LEASE_SECONDS + 1)))).toBe('DUPLICATE');
    expect(fakes.mailTransport.sent).toHaveLength(1);
    // A second copy of the event changes nothing.
    expect(await applyMailEvent(event, fakes.mailLedger)).toEqual({ suppressed: 0, confirmed: false });
  });

  it('retries at once after the provider refused a send, and holds back after an unanswered one', async () => {
    const intent = await approve();
    fakes.mailTransport.fail = Object.assign(new Error('Throttling'), { $metadata: { httpStatusCode: 429 } });
    await expect(deliverMail(intent, deps())).rejects.toThrow('Throttling');
    fakes.mailTransport.fail = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    await expect(deliverMail(intent, deps(later(1)))).rejects.toThrow('socket hang up');
    // It may have gone out: no second attempt until the lease runs out.
    fakes.mailTransport.fail = undefined;
    await expect(deliverMail(intent, deps(later(2)))).rejects.toBeInstanceOf(MailBusyError);
    expect(await deliverMail(intent, deps(later(LEASE_SECONDS + 2)))).toBe('SENT');
    expect(fakes.mailTransport.sent).toHaveLength(1);
  });

  it('mails the access code with a filed claim, and skips one with no address', async () => {
    const intent = claimReceivedIntent(CLAIM_ID, 'AB12-CD34', NOW);
    expect(await deliverMail(intent, deps())).toBe('SENT');
    expect(fakes.mailTransport.sent[0]!.text).toContain('#claim=');
    expect(fakes.mailTransport.sent[0]!.text).toContain('code=AB12-CD34');
    const { email: _none, ...noEmail } = claim().claimant;
    const other = newClaimId();
    fakes.claims.seed(claim({ claimId: other, claimant: noEmail }));
    expect(await deliverMail(claimReceivedIntent(other, 'X', NOW), deps())).toBe('NO_ADDRESS');
  });

  it('invites a consenting reporter in their language, with the code, while the programme is open', async () => {
    const pool = makePool({ poolId: POOL_ID, name: 'Operation <Lighthouse>' });
    fakes.pools.seed(pool);
    fakes.reports.seed({
      reportId: 'RPT-1',
      status: 'ENRICHED',
      receivedAt: NOW.toISOString(),
      content: {
        filer: { language: 'es-MX', contact: { email: 'ana@example.com' } },
        incident: { category: 'romance', narrative: 'n' },
        payments: [],
        scammer: { phones: [], emails: [], websites: [], socialHandles: [], namesUsed: [] },
        consents: { shareWithLawEnforcement: false, contactAboutRecovery: true },
      },
      lossByCurrency: {},
    } as never);
    const store = mailInvitations(fakes.pools, fakes.mail, () => NOW);
    await store.putInvitation({
      poolId: POOL_ID,
      reportId: 'RPT-1',
      code: 'INV-1',
      createdAt: NOW.toISOString(),
    });
    expect(await deliverMail(fakes.mail.intents[0]!, deps())).toBe('SENT');
    const sent = fakes.mailTransport.sent[0]!;
    expect(sent).toMatchObject({
      to: 'ana@example.com',
      lang: 'es',
      subject: 'Es posible que pueda recuperar dinero',
    });
    expect(sent.text).toContain('INV-1');
    expect(sent.html).toContain('Operation &lt;Lighthouse&gt;');
  });
});

describe('SES events', () => {
  it('reads the mail token of a sent event, and the recipients of a bounce or complaint', async () => {
    provide({ mailLedger: fakes.mailLedger });
    const { toMailEvent } = await import('#functions/mail-events/handler.ts');
    const now = NOW;
    const token = mailToken('CLM-1.v2');
    expect(
      toMailEvent({ eventType: 'Send', mail: { timestamp: 't', tags: { 'restore-mail': [token] } } }, now),
    ).toEqual({ kind: 'SENT', token, recipients: [], at: 't' });
    // A tag that is not one of our tokens names nothing.
    expect(toMailEvent({ eventType: 'Send', mail: { tags: { 'restore-mail': ['MAIL#x'] } } }, now)).toEqual({
      kind: 'SENT',
      recipients: [],
      at: now.toISOString(),
    });
    expect(
      toMailEvent(
        {
          eventType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@x.com' }] },
        },
        now,
      ),
    ).toMatchObject({ kind: 'BOUNCE', bounceType: 'Permanent', recipients: ['a@x.com'] });
    expect(
      toMailEvent(
        { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'b@x.com' }] } },
        now,
      ),
    ).toMatchObject({ kind: 'COMPLAINT', recipients: ['b@x.com'] });
    expect(toMailEvent({ eventType: 'Delivery' }, now).kind).toBe('OTHER');
  });
});
