/**
 * Where `npm start` and `npm run token` keep their data and which ports they use; both read
 * this so they agree. Every value can be overridden from the environment.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readOrCreateOnce } from './files.ts';
import { repoRoot } from './lambda.ts';

const INDICATOR_KEY_BYTES = 32;

export interface LocalSettings {
  /** `.local/` in the repository (git-ignored) unless LOCAL_DATA_DIR says otherwise. */
  readonly dataDir: string;
  readonly httpHost: string;
  readonly httpPort: number;
  /** Fixed, because persisted queue URLs carry fauxqs's port. */
  readonly dynamoPort: number;
  readonly sqsPort: number;
  /**
   * Fixed too, so `npm run seed` finds the running runtime's S3 (plans and results live there),
   * and the pages' Content-Security-Policy names the origin documents are posted to.
   */
  readonly s3Port: number;
  /** The website build, served when it exists. */
  readonly staticDir: string;
}

function port(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

/**
 * The local runtime holds victims' reports with development credentials: it answers this machine
 * only, never the network it is on.
 */
export function loopbackHost(host: string): string {
  if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return host;
  throw new Error(`HOST must be a loopback address (127.0.0.1, ::1 or localhost), got "${host}"`);
}

export function localSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  return {
    dataDir: resolve(env['LOCAL_DATA_DIR'] || join(repoRoot, '.local')),
    httpHost: loopbackHost(env['HOST'] || '127.0.0.1'),
    httpPort: port('PORT', 3000, env),
    dynamoPort: port('LOCAL_DYNAMODB_PORT', 4569, env),
    sqsPort: port('LOCAL_SQS_PORT', 4576, env),
    s3Port: port('LOCAL_S3_PORT', 4572, env),
    staticDir: join(repoRoot, 'web', 'dist'),
  };
}

interface LocalSecrets {
  /** Base64 HMAC key for indicators (INDICATOR_KEY); in AWS it lives in Secrets Manager. */
  readonly indicatorKey: string;
  /**
   * Base64 AES-256 key sealing account numbers (PAYOUT_LOCAL_KEY): the local stand-in for the
   * KMS payout key (functions/payout-vault.ts).
   */
  readonly payoutKey: string;
}

const PAYOUT_KEY_BYTES = 32;

/**
 * `<dataDir>/secrets.json`, generated on first run and kept, so indicator tokens computed
 * today still match the reports stored yesterday.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const path = join(dataDir, 'secrets.json');
  const text = await readOrCreateOnce(path, () => {
    const secrets: Pick<LocalSecrets, 'indicatorKey'> = {
      indicatorKey: randomBytes(INDICATOR_KEY_BYTES).toString('base64'),
    };
    return `${JSON.stringify(secrets, null, 2)}\n`;
  });
  // Its own file, so a data directory made before account numbers were sealed gets one too.
  const payoutPath = join(dataDir, 'payout-key');
  const payoutKey = (
    await readOrCreateOnce(payoutPath, () => `${randomBytes(PAYOUT_KEY_BYTES).toString('base64')}\n`)
  ).trim();
  if (Buffer.from(payoutKey, 'base64').length !== PAYOUT_KEY_BYTES) {
    throw new Error(`${payoutPath} is not a ${PAYOUT_KEY_BYTES}-byte key (base64): fix or delete it`);
  }
  return { ...checked(JSON.parse(text), path), payoutKey };
}

function checked(secrets: unknown, path: string): Pick<LocalSecrets, 'indicatorKey'> {
  const key = (secrets as Partial<LocalSecrets> | null)?.indicatorKey;
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length < INDICATOR_KEY_BYTES) {
    throw new Error(
      `${path} has no valid indicatorKey (${INDICATOR_KEY_BYTES}+ bytes, base64): fix or delete it`,
    );
  }
  return { indicatorKey: key };
}
