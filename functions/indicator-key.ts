/**
 * The HMAC key that turns bank-account and gift-card numbers into matchable tokens. In AWS it is
 * a Secrets Manager secret read once per cold start (secrets-client.ts); locally it comes from
 * INDICATOR_KEY.
 */
import { config } from './config.ts';
// A static import on purpose: a dynamic one makes esbuild wrap every module the two share (the
// SDK's signer and HTTP handler among them) in lazy initialisers, which costs more at cold start
// than the few hundred bytes it defers.
import { readSecretString } from './secrets-client.ts';

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
  const secret = await readSecretString(INDICATOR_KEY_SECRET_ARN);
  if (!secret) throw new Error('Indicator key secret is empty');
  return new TextEncoder().encode(secret);
}

function decodeKey(base64: string): Uint8Array {
  const key = Buffer.from(base64, 'base64');
  if (key.byteLength < 32) throw new Error('INDICATOR_KEY must be at least 32 bytes (base64)');
  return new Uint8Array(key);
}
