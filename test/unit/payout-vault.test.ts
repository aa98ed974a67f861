import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encryptionSdkVault, localKeyring } from '#functions/payout-vault.ts';
import type { Claim } from '#shared/domain/claim.ts';
import { newClaimId } from '#shared/domain/secrets.ts';
import { type DistributionHeader, type PlanLine, paymentRows } from '#shared/use-cases/distribute.ts';
import { PAYOUT_PURPOSE } from '#shared/use-cases/payout-vault.ts';
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

describe('payout vault in AWS (KMS keyring over the payout key, KMS mocked)', () => {
  const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const kms = mockClient(KMSClient);
  const dataKey = new Uint8Array(randomBytes(32));
  const wrapped = new Uint8Array(randomBytes(64));

  beforeEach(() => {
    kms.reset();
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('PAYOUT_LOCAL_KEY', undefined);
    vi.stubEnv('PAYOUT_KEY_ARN', KEY_ARN);
    // Fresh copies: the SDK zeroes a plaintext data key once it has used it.
    kms
      .on(GenerateDataKeyCommand)
      .callsFake(() => ({ KeyId: KEY_ARN, Plaintext: new Uint8Array(dataKey), CiphertextBlob: wrapped }));
    kms.on(DecryptCommand).callsFake(() => ({ KeyId: KEY_ARN, Plaintext: new Uint8Array(dataKey) }));
  });
  afterEach(() => vi.unstubAllEnvs());

  async function deployedVault() {
    vi.resetModules();
    const { resetConfigForTests } = await import('#functions/config.ts');
    resetConfigForTests();
    return (await import('#functions/payout-vault.ts')).payoutVault();
  }

  it('asks KMS for a data key under the payout key with the claim and purpose as context, and decrypts with the same', async () => {
    const vault = await deployedVault();
    const claimId = newClaimId();
    const sealed = await vault.seal(claimId, ACCOUNT);
    const generated = kms.commandCalls(GenerateDataKeyCommand);
    expect(generated).toHaveLength(1);
    expect(generated[0]!.args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      EncryptionContext: { purpose: PAYOUT_PURPOSE, claimId },
    });
    // Sealing never decrypts (the claims function holds no kms:Decrypt).
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);

    expect(await vault.open(claimId, sealed)).toBe(ACCOUNT);
    const decrypted = kms.commandCalls(DecryptCommand);
    expect(decrypted).toHaveLength(1);
    expect(decrypted[0]!.args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      EncryptionContext: { purpose: PAYOUT_PURPOSE, claimId },
    });
    expect(Buffer.from(decrypted[0]!.args[0].input.CiphertextBlob!)).toEqual(Buffer.from(wrapped));
  });

  it('answers a KMS outage as "unavailable, nothing kept" (a 503 the claimant may retry)', async () => {
    kms
      .on(GenerateDataKeyCommand)
      .rejects(Object.assign(new Error('KMS is down'), { name: 'KMSInternalException' }));
    const vault = await deployedVault();
    const failed = vault.seal(newClaimId(), ACCOUNT);
    await expect(failed).rejects.toThrow(/nothing was saved/);
    await expect(failed).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('builds nothing until first used, and then says what is missing', async () => {
    vi.stubEnv('PAYOUT_KEY_ARN', undefined);
    const vault = await deployedVault();
    await expect(vault.seal(newClaimId(), ACCOUNT)).rejects.toThrow(/No payout key configured/);
  });
});

describe('payment file rows (paymentRows) with sealed account numbers', () => {
  const header = { distributionId: 'DST-1', currency: 'USD' } as DistributionHeader;
  const claimOf = async (claimId: string, sealed?: string) =>
    ({
      claimId,
      claimant: {
        name: 'Ana',
        address: { line1: '1 Main St', city: 'Miami', state: 'FL', zip: '33101', country: 'US' },
        payoutMethod: 'direct-deposit',
        payoutAccount: {
          token: 't',
          display: 'Bank acct ••••7788',
          routingNumber: '011000015',
          last4: '7788',
          ...(sealed ? { sealed } : {}),
        },
      },
    }) as unknown as Claim;
  const line = (claimId: string) =>
    ({ claimId, recognizedLossCents: 80_000, payoutCents: 12_345, claimVersion: 1 }) as PlanLine;
  const rowsFor = (claims: Claim[]) =>
    paymentRows(
      header,
      claims.map((c) => line(c.claimId)),
      new Set(),
      {
        claims: { getMany: async () => new Map(claims.map((c) => [c.claimId, c])) },
        payoutVault: vault,
      } as unknown as Parameters<typeof paymentRows>[3],
    );

  it('carries the opened number for a sealed claim and leaves it empty for an older one', async () => {
    const sealedId = newClaimId();
    const olderId = newClaimId();
    const rows = await rowsFor([
      await claimOf(sealedId, await vault.seal(sealedId, ACCOUNT)),
      await claimOf(olderId),
    ]);
    expect(rows[0]).toMatch(/"direct-deposit","011000015","7788","4455667788"$/);
    expect(rows[1]).toMatch(/"direct-deposit","011000015","7788",""$/);
  });

  it('refuses to write a row whose sealed copy was made for another claim', async () => {
    const sealed = await vault.seal(newClaimId(), ACCOUNT);
    await expect(rowsFor([await claimOf(newClaimId(), sealed)])).rejects.toThrow(/sealed for another claim/);
  });
});
