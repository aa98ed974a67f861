import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// In AWS the key is a Secrets Manager secret (INDICATOR_KEY_SECRET_ARN); locally it is INDICATOR_KEY.
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:restore-indicator-key-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

async function freshModule() {
  vi.resetModules();
  const { resetConfigForTests } = await import('#functions/config.ts');
  resetConfigForTests();
  return import('#functions/indicator-key.ts');
}

describe('indicatorKey', () => {
  beforeEach(() => {
    secretsManager.reset();
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('INDICATOR_KEY', undefined);
    vi.stubEnv('INDICATOR_KEY_SECRET_ARN', undefined);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('reads the secret once per cold start and reuses it', async () => {
    vi.stubEnv('INDICATOR_KEY_SECRET_ARN', ARN);
    secretsManager.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(48) });
    const { indicatorKey } = await freshModule();
    expect(new TextDecoder().decode(await indicatorKey())).toBe('k'.repeat(48));
    await indicatorKey();
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('tries again on the next call after a failed read', async () => {
    vi.stubEnv('INDICATOR_KEY_SECRET_ARN', ARN);
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: 'second-try' });
    const { indicatorKey } = await freshModule();
    await expect(indicatorKey()).rejects.toThrow();
    expect(new TextDecoder().decode(await indicatorKey())).toBe('second-try');
  });

  it('prefers the local key and never calls Secrets Manager for it', async () => {
    vi.stubEnv('INDICATOR_KEY', Buffer.alloc(32, 7).toString('base64'));
    vi.stubEnv('INDICATOR_KEY_SECRET_ARN', ARN);
    const { indicatorKey } = await freshModule();
    expect(await indicatorKey()).toEqual(new Uint8Array(32).fill(7));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('refuses a local key shorter than 32 bytes', async () => {
    vi.stubEnv('INDICATOR_KEY', Buffer.alloc(16).toString('base64'));
    const { indicatorKey } = await freshModule();
    await expect(indicatorKey()).rejects.toThrow(/at least 32 bytes/);
  });
});
