/**
 * Flags for reviewers: reasons to look twice at a claim before deciding it. A flag never decides
 * anything; it says what was seen and why it matters, in a sentence a reviewer can act on.
 *
 * - The same payout bank account, e-mail, phone or postal address on claims by different
 *   claimants, in the same programme or another (one person filing under several names, or a
 *   "recovery" fraudster collecting victims' claims).
 * - An invitation code used by an earlier claim; a report already named by another claim.
 * - A claimed loss much larger than what the reports it names say was paid.
 */
import type { Claim } from './claim.ts';
import { formatCents } from './claim.ts';

export const contactKinds = ['payout-account', 'email', 'phone', 'address'] as const;
export type ContactKind = (typeof contactKinds)[number];

export interface ContactKey {
  kind: ContactKind;
  /** Normalised: the same account, address or phone typed differently gives the same value. */
  value: string;
}

/** Another claim found under one of this claim's contact keys. */
export interface ContactNeighbour {
  kind: ContactKind;
  claimId: string;
  poolId?: string;
  /** claimantIdentity() of its claimant. */
  claimant: string;
}

export type FlagCode =
  | 'SHARED_PAYOUT_ACCOUNT'
  | 'SHARED_EMAIL'
  | 'SHARED_PHONE'
  | 'SHARED_ADDRESS'
  | 'INVITATION_ALREADY_USED'
  | 'REPORT_ALREADY_CLAIMED'
  | 'LOSS_ABOVE_REPORTS';

export interface ClaimFlag {
  code: FlagCode;
  /** Plain-language reason, shown as is in the console. */
  reason: string;
  /** The other claims or reports involved, for links. */
  claimIds?: string[];
  reportIds?: string[];
  /** For shared contact details: whether the other claims are in this programme, others, or both. */
  scope?: 'same-programme' | 'other-programmes' | 'both';
}

const STREET_WORDS: Readonly<Record<string, string>> = {
  STREET: 'ST',
  AVENUE: 'AVE',
  ROAD: 'RD',
  DRIVE: 'DR',
  BOULEVARD: 'BLVD',
  LANE: 'LN',
  COURT: 'CT',
  PLACE: 'PL',
  TERRACE: 'TER',
  HIGHWAY: 'HWY',
  PARKWAY: 'PKWY',
  CIRCLE: 'CIR',
  APARTMENT: 'APT',
  SUITE: 'STE',
  UNIT: 'APT',
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
};

/** Upper case, accents and punctuation gone, USPS street words abbreviated, ZIP to 5 digits. */
export function normaliseAddress(a: Claim['claimant']['address']): string {
  const words = (s: string | undefined) =>
    (s ?? '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/#/g, ' APT ')
      .replace(/[^A-Z0-9 ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => STREET_WORDS[w] ?? w);
  const zip = (a.zip ?? '').replace(/\D/g, '').slice(0, 5);
  return [
    ...words(a.line1),
    ...words(a.line2),
    '|',
    ...words(a.city),
    '|',
    zip,
    a.country.toUpperCase(),
  ].join(' ');
}

/** Who the claimant is, for "different claimants": the name's letters, case and order ignored. */
export function claimantIdentity(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** The keys a claim is indexed under (email and phone are already normalised when filed). */
export function contactKeysOf(claim: Pick<Claim, 'claimant'>): ContactKey[] {
  const c = claim.claimant;
  const keys: ContactKey[] = [];
  if (c.payoutAccount) keys.push({ kind: 'payout-account', value: c.payoutAccount.token });
  if (c.email) keys.push({ kind: 'email', value: c.email });
  if (c.phone) keys.push({ kind: 'phone', value: c.phone });
  keys.push({ kind: 'address', value: normaliseAddress(c.address) });
  return keys;
}

const CONTACT_FLAG: Readonly<Record<ContactKind, { code: FlagCode; what: string }>> = {
  'payout-account': { code: 'SHARED_PAYOUT_ACCOUNT', what: 'bank account for payment' },
  email: { code: 'SHARED_EMAIL', what: 'e-mail address' },
  phone: { code: 'SHARED_PHONE', what: 'phone number' },
  address: { code: 'SHARED_ADDRESS', what: 'mailing address' },
};

/** A loss is "much larger" than the reports' when it is over 1.5 times theirs and $500 more. */
export const LOSS_RATIO = 1.5;
export const LOSS_MARGIN_CENTS = 50_000;

/**
 * Every flag of a claim: from its neighbours under shared contact keys, the markers set when it
 * was filed (`claim.flags`), and the payments of the reports it names (`reportedCents`: their
 * total in the claim's currency; undefined when it names none).
 */
export function flagsFor(
  claim: Pick<Claim, 'claimId' | 'poolId' | 'claimant' | 'flags' | 'claimedCents' | 'currency' | 'reportIds'>,
  neighbours: readonly ContactNeighbour[],
  reportedCents: number | undefined,
): ClaimFlag[] {
  const flags: ClaimFlag[] = [];
  const me = claimantIdentity(claim.claimant.name);
  for (const kind of contactKinds) {
    const others = neighbours.filter(
      (n) => n.kind === kind && n.claimId !== claim.claimId && n.claimant !== me,
    );
    if (others.length === 0) continue;
    // Claims naming no programme are "the same programme" as each other: the unassigned pile.
    const same = others.filter((n) => n.poolId === claim.poolId);
    const scope =
      same.length === others.length ? 'same-programme' : same.length === 0 ? 'other-programmes' : 'both';
    const here = claim.poolId === undefined ? 'among claims naming no programme' : 'in this programme';
    const where = {
      'same-programme': here,
      'other-programmes': 'in other programmes',
      both: `${here} and in other programmes`,
    }[scope];
    const ids = [...new Set(others.map((n) => n.claimId))].sort();
    const { code, what } = CONTACT_FLAG[kind];
    flags.push({
      code,
      scope,
      claimIds: ids,
      reason: `The same ${what} is on ${ids.length === 1 ? 'another claim' : `${ids.length} other claims`} ${where} by a different claimant (${ids.join(', ')}). Check that each claimant is a separate person.`,
    });
  }

  for (const marker of claim.flags) {
    const [code, id] = marker.split(':');
    if (code === 'INVITATION_ALREADY_USED_BY' && id) {
      flags.push({
        code: 'INVITATION_ALREADY_USED',
        claimIds: [id],
        reason: `Its invitation code was already used by claim ${id}. One invitation is for one victim: check who received the letter.`,
      });
    } else if (code === 'REPORT_ALREADY_CLAIMED' && id) {
      flags.push({
        code: 'REPORT_ALREADY_CLAIMED',
        reportIds: [id],
        reason: `Report ${id} is already named by another claim. The same loss should not be paid twice.`,
      });
    }
  }

  if (
    reportedCents !== undefined &&
    claim.claimedCents > reportedCents * LOSS_RATIO &&
    claim.claimedCents - reportedCents >= LOSS_MARGIN_CENTS
  ) {
    flags.push({
      code: 'LOSS_ABOVE_REPORTS',
      reportIds: [...claim.reportIds],
      reason: `It claims ${formatCents(claim.claimedCents, claim.currency)} paid, but the ${claim.reportIds.length === 1 ? 'report it names lists' : `${claim.reportIds.length} reports it names list`} ${formatCents(reportedCents, claim.currency)}. Ask for proof of the difference.`,
    });
  }
  return flags;
}
