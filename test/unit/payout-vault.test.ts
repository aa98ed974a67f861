import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptionSdkVault, localKeyring } from '#functions/payout-vault.ts';
import type { Claim } from '#shared/domain/claim.ts';
import { newClaimId } from '#shared/domain/secrets.ts';
import { toStaffView } from '#shared/use-cases/review-claims.ts';

const ACCOUNT = '4455667788';
const vault = encryptionSdkVault(localKeyring(randomBytes(32)));

describe('payout vault (Encryption SDK, raw AES keyring as the local stand-in for KMS)', () => {
  it('opens what it sealed for the same claim, and the sealed text holds nothing of the number', async () => {
    const claimId = newClaimId();
    const sealed = await vault.seal(claimId, ACCOUNT);
    expect(await vault.open(claimId, sealed)).toBe(ACCOUNT);
    expect(sealed).not.toContain(ACCOUNT);
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain(ACCOUNT);
    // A fresh data key each time: two seals of one number do not match (nothing to compare).
    expect(await vault.seal(claimId, ACCOUNT)).not.toBe(sealed);
  });

  it('refuses to open a value sealed for another claim (copied onto this one)', async () => {
    const sealed = await vault.seal(newClaimId(), ACCOUNT);
    await expect(vault.open(newClaimId(), sealed)).rejects.toThrow(/sealed for another claim/);
  });

  it('refuses an altered value and a value sealed under another key', async () => {
    const claimId = newClaimId();
    const bytes = Buffer.from(await vault.seal(claimId, ACCOUNT), 'base64');
    bytes[bytes.length - 40]! ^= 1;
    await expect(vault.open(claimId, bytes.toString('base64'))).rejects.toThrow();
    const other = encryptionSdkVault(localKeyring(randomBytes(32)));
    await expect(vault.open(claimId, await other.seal(claimId, ACCOUNT))).rejects.toThrow();
  });

  it('takes only a 256-bit local key', () => {
    expect(() => localKeyring(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('never shows the sealed number in the staff view of a claim', async () => {
    const claimId = newClaimId();
    const sealed = await vault.seal(claimId, ACCOUNT);
    const claim = {
      claimId,
      reportIds: [],
      accessCodeHash: 'h',
      claimedCents: 1,
      recoveriesCents: 0,
      decisions: [],
      claimant: {
        name: 'Ana',
        address: { line1: '1 A St', city: 'Miami', country: 'US' },
        payoutAccount: {
          token: 't',
          display: 'Bank acct ••••7788',
          routingNumber: '011000015',
          last4: '7788',
          sealed,
        },
        payoutMethod: 'direct-deposit',
      },
    } as unknown as Claim;
    const view = toStaffView(claim);
    expect(view.claimant.payoutAccount).toEqual({
      token: 't',
      display: 'Bank acct ••••7788',
      routingNumber: '011000015',
      last4: '7788',
    });
    expect(JSON.stringify(view)).not.toContain(sealed);
    // The stored claim itself is unchanged.
    expect(claim.claimant.payoutAccount?.sealed).toBe(sealed);
  });
});
