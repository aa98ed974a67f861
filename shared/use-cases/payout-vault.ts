/**
 * The port through which claimants' bank account numbers are kept for the payment file: sealed
 * (encrypted) when a claimant gives one, opened only while the payment file is written. The
 * stored claim keeps a keyed token, the last 4 digits and the routing number in clear, and the
 * full number only as `payoutAccount.sealed` (docs/security.md, "Bank account numbers").
 *
 * The adapter (functions/payout-vault.ts) uses the AWS Encryption SDK: in AWS a KMS keyring over
 * the payout key, where only the payment-file writer may decrypt; locally a raw AES keyring.
 */
export interface PayoutVault {
  /** The account number encrypted and bound to this claim: opening it for another claim fails. */
  seal(claimId: string, accountNumber: string): Promise<string>;
  /** The account number, or a throw when `sealed` was not made for this claim (or was altered). */
  open(claimId: string, sealed: string): Promise<string>;
}

/** What the ciphertext is for: part of its encryption context, and the IAM grants' condition. */
export const PAYOUT_PURPOSE = 'restore-payout-account';
