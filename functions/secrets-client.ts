/**
 * Reads one secret string. Imported by indicator-key.ts only when a secret has to be read (once
 * per cold start, and never locally), and kept in its own module so that the bundler sees named
 * imports: a dynamic import of the package itself would keep every Secrets Manager command and
 * schema in each bundle (about 20 KB more).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export async function readSecretString(secretId: string): Promise<string | undefined> {
  const client = new SecretsManagerClient({ maxAttempts: 3 });
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return res.SecretString;
}
