/**
 * Keys of the claimant contact index (docs/dashboard.md): one item per normalised contact detail
 * and claim, so the claims sharing a detail are one partition.
 *
 *   pk = CLAIMANT#<kind>#<normalised value>     sk = CLAIM#<claimId>
 */
export const claimantContactPk = (kind: string, value: string): string => `CLAIMANT#${kind}#${value}`;
export const claimantContactSk = (claimId: string): string => `CLAIM#${claimId}`;
