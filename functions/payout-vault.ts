/**
 * The PayoutVault (shared/use-cases/payout-vault.ts) over the AWS Encryption SDK. In AWS the
 * keyring is KMS over the payout key (PAYOUT_KEY_ARN): functions that take account numbers may
 * only generate data keys with it, and only the payment-file writer may decrypt (IAM conditions on
 * the encryption context, infra/constructs/function-access.ts). Locally and in tests the keyring
 * is raw AES-256 with PAYOUT_LOCAL_KEY, which the local runtime generates and keeps: the local
 * stand-in for KMS.
 *
 * Each sealed value is one Encryption SDK message (base64) whose encryption context names the
 * claim and the purpose, so a value copied onto another claim does not open.
 */
import {
  buildClient,
  CommitmentPolicy,
  getClient,
  type KeyringNode,
  KMS,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { ServiceUnavailableError } from '#shared/domain/errors.ts';
import { PAYOUT_PURPOSE, type PayoutVault } from '#shared/use-cases/payout-vault.ts';
import { requestHandler } from './clients.ts';
import { config } from './config.ts';
import { providedOr } from './provided.ts';

// One wrapped data key per message: a message with more is refused before any key is tried.
const { encrypt, decrypt } = buildClient({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: 1,
});

const LOCAL_KEY_NAMESPACE = 'restore-local';
const LOCAL_KEY_NAME = 'payout-key';

const context = (claimId: string) => ({ purpose: PAYOUT_PURPOSE, claimId });

/** A vault over any keyring (tests pass a raw AES one). */
export function encryptionSdkVault(keyring: KeyringNode): PayoutVault {
  return {
    async seal(claimId, accountNumber) {
      try {
        const { result } = await encrypt(keyring, accountNumber, { encryptionContext: context(claimId) });
        return result.toString('base64');
      } catch (e) {
        // KMS unreachable or refusing: nothing was written yet (callers seal first), so say so
        // with a 503 the person can retry, not a 500.
        throw new ServiceUnavailableError(
          'We could not keep your bank details safe just now, so nothing was saved. Please try again in a few minutes.',
          { cause: e },
        );
      }
    },
    async open(claimId, sealed) {
      const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(sealed, 'base64'));
      // The SDK authenticates the context but does not know which claim we expect: check it.
      const ctx = messageHeader.encryptionContext;
      if (ctx['purpose'] !== PAYOUT_PURPOSE || ctx['claimId'] !== claimId) {
        throw new Error(`The sealed account number stored on claim ${claimId} was sealed for another claim`);
      }
      return plaintext.toString('utf8');
    },
  };
}

/** Raw AES-256-GCM keyring: the local stand-in for the KMS payout key. */
export function localKeyring(key: Uint8Array): KeyringNode {
  if (key.byteLength !== 32) throw new Error('PAYOUT_LOCAL_KEY must be 32 bytes (base64)');
  return new RawAesKeyringNode({
    keyNamespace: LOCAL_KEY_NAMESPACE,
    keyName: LOCAL_KEY_NAME,
    // A copy of its own: the SDK refuses a view into a shared buffer (Buffer.from's pool).
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}

/**
 * The deployment's vault (or a test's stand-in). Its keyring is built on first use, so routes
 * that never seal or open (a status check) neither pay for it at cold start nor fail with it.
 */
export function payoutVault(): PayoutVault {
  return providedOr('payoutVault', () => {
    let vault: PayoutVault | undefined;
    const built = () => (vault ??= encryptionSdkVault(keyring()));
    return {
      seal: async (claimId, accountNumber) => built().seal(claimId, accountNumber),
      open: async (claimId, sealed) => built().open(claimId, sealed),
    };
  });
}

function keyring(): KeyringNode {
  const { PAYOUT_KEY_ARN, PAYOUT_LOCAL_KEY } = config();
  if (PAYOUT_KEY_ARN) {
    return new KmsKeyringNode({
      generatorKeyId: PAYOUT_KEY_ARN,
      clientProvider: getClient(KMS, { maxAttempts: 3, requestHandler }),
    });
  }
  if (PAYOUT_LOCAL_KEY) return localKeyring(Buffer.from(PAYOUT_LOCAL_KEY, 'base64'));
  throw new Error('No payout key configured (PAYOUT_KEY_ARN in AWS, PAYOUT_LOCAL_KEY locally)');
}
