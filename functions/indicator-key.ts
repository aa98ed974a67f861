/**
 * The HMAC key that turns bank-account and gift-card numbers into matchable tokens. In AWS it is
 * a Secrets Manager secret, read with Powertools Parameters and kept for the life of the
 * execution environment; locally it comes from INDICATOR_KEY, which the local runtime sets.
 *
 * Why Powertools over the Parameters and Secrets Lambda Extension: see docs/cold-start.md.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { requestHandler } from './clients.ts';
import { config } from './config.ts';

// The key only changes when an operator rotates it, and a rotation needs a redeploy anyway (the
// tokens already stored were made with the old key), so one read per cold start is enough.
const KEY_MAX_AGE_SECONDS = 24 * 60 * 60;

let secrets: SecretsProvider | undefined;
let loading: Promise<Uint8Array> | undefined;

export function indicatorKey(): Promise<Uint8Array> {
  loading ??= load().catch((e: unknown) => {
    loading = undefined; // let the next invocation try again rather than caching the failure
    throw e;
  });
  return loading;
}

async function load(): Promise<Uint8Array> {
  const { INDICATOR_KEY, INDICATOR_KEY_SECRET_ARN } = config();
  if (INDICATOR_KEY) return decodeKey(INDICATOR_KEY);
  if (!INDICATOR_KEY_SECRET_ARN) throw new Error('No indicator key configured');
  secrets ??= new SecretsProvider({ clientConfig: { maxAttempts: 3, requestHandler } });
  const secret = await secrets.get(INDICATOR_KEY_SECRET_ARN, { maxAge: KEY_MAX_AGE_SECONDS });
  if (typeof secret !== 'string' || secret === '') throw new Error('Indicator key secret is empty');
  return new TextEncoder().encode(secret);
}

function decodeKey(base64: string): Uint8Array {
  const key = Buffer.from(base64, 'base64');
  if (key.byteLength < 32) throw new Error('INDICATOR_KEY must be at least 32 bytes (base64)');
  return new Uint8Array(key);
}
