/**
 * `npm run token -- --role reviewer|admin [--sub NAME] [--ttl SECONDS]` or
 * `npm run token -- --client NAME`: prints a bearer token from the local identity provider, and
 * nothing else, so `TOKEN=$(npm run -s token -- ...)` works. The signing key is the one
 * `npm start`'s OpenID provider uses (created by whichever runs first), and the tokens have the
 * same claims as the provider's: a staff token for the console client, or a client-credentials
 * token with scope taxii/read for a partner named NAME.
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
       npm run -s token -- --client NAME [--ttl SECONDS]
  --role    the staff group the token carries
  --client  a machine client (TAXII partner): a token with scope taxii/read and no staff role
  --sub   the user id in the token (default: local-<role>)
  --ttl   validity in seconds, 1-${MAX_TOKEN_TTL_SECONDS} (default: ${DEFAULT_TOKEN_TTL_SECONDS})`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { role?: string; client?: string; sub?: string; ttl?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      client: { type: 'string' },
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
if (values.client !== undefined) {
  if (values.role !== undefined || values.sub !== undefined) fail('--client takes no --role or --sub.');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(values.client))
    fail('--client must be 1-64 letters, digits, dots, hyphens or underscores.');
} else if (!isRole(values.role)) {
  fail(values.role === undefined ? 'Missing --role (or --client).' : `Unknown role "${values.role}".`);
}
const ttlSeconds = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
  fail(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}.`);
}
if (values.sub !== undefined && values.sub.trim() === '') fail('--sub must not be empty.');

const identityProvider = await createLocalIdentityProvider({ dataDir: localSettings().dataDir });
process.stdout.write(
  `${await identityProvider.issueToken(
    values.client !== undefined
      ? { client: values.client, ttlSeconds }
      : { role: isRole(values.role) ? values.role : undefined, sub: values.sub, ttlSeconds },
  )}\n`,
);
