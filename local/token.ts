/**
 * `npm run token -- --role reviewer|admin [--sub NAME] [--ttl SECONDS]`: prints a bearer token
 * from the local identity provider, and nothing else, so `TOKEN=$(npm run -s token -- ...)`
 * works. The signing key is the one `npm start` uses (created by whichever runs first).
 */
import { parseArgs } from 'node:util';
import {
  createLocalIdentityProvider,
  DEFAULT_TOKEN_TTL_SECONDS,
  isRole,
  knownRoles,
  MAX_TOKEN_TTL_SECONDS,
} from './auth.ts';
import { localSettings } from './settings.ts';

const USAGE = `Usage: npm run -s token -- --role ${knownRoles.join('|')} [--sub NAME] [--ttl SECONDS]
  --role  the staff group the token carries (required)
  --sub   the user id in the token (default: local-<role>)
  --ttl   validity in seconds, 1-${MAX_TOKEN_TTL_SECONDS} (default: ${DEFAULT_TOKEN_TTL_SECONDS})`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { role?: string; sub?: string; ttl?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!isRole(values.role)) {
  fail(values.role === undefined ? 'Missing --role.' : `Unknown role "${values.role}".`);
}
const ttlSeconds = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
  fail(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}.`);
}
if (values.sub !== undefined && values.sub.trim() === '') fail('--sub must not be empty.');

const identityProvider = await createLocalIdentityProvider({ dataDir: localSettings().dataDir });
process.stdout.write(
  `${await identityProvider.issueToken({ role: values.role, sub: values.sub, ttlSeconds })}\n`,
);
