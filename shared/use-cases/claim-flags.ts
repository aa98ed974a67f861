/**
 * Use case: the flags a reviewer sees on a claim (shared/domain/claim-flags.ts says which and why).
 *
 * 1. When a claim is filed, its normalised contact details are indexed (file-claim.ts, step 7).
 * 2. When staff open it, each detail is one Query for the other claims that share it, and the
 *    reports it names give what they say was paid; flagsFor turns both into reasons.
 * Reading at view time keeps every flag current in both directions: the first of two claims
 * sharing an account shows the flag as soon as the second is filed.
 */
import type { Claim } from '../domain/claim.ts';
import {
  type ClaimFlag,
  type ContactKey,
  type ContactNeighbour,
  contactKeysOf,
  flagsFor,
} from '../domain/claim-flags.ts';

export interface ClaimContactIndex {
  put(claim: Claim): Promise<void>;
  neighbours(keys: readonly ContactKey[]): Promise<ContactNeighbour[]>;
}

export interface FlagDeps {
  contacts: Pick<ClaimContactIndex, 'neighbours'>;
  reports: {
    getMany(
      ids: readonly string[],
    ): Promise<{ content: { payments: { amountCents: number; currency: string }[] } }[]>;
  };
}

export async function flagClaim(claim: Claim, deps: FlagDeps): Promise<ClaimFlag[]> {
  const neighbours = await deps.contacts.neighbours(contactKeysOf(claim));
  let reportedCents: number | undefined;
  if (claim.reportIds.length > 0) {
    const reports = await deps.reports.getMany(claim.reportIds);
    // Reports gone with retention cannot be compared: say nothing rather than flag on half the data.
    if (reports.length === claim.reportIds.length) {
      reportedCents = reports
        .flatMap((r) => r.content.payments)
        .filter((p) => p.currency === claim.currency)
        .reduce((s, p) => s + p.amountCents, 0);
    }
  }
  return flagsFor(claim, neighbours, reportedCents);
}
