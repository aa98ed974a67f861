/**
 * `npm run token -- --role reviewer|admin [--sub NAME] [--ttl SECONDS]`: a staff bearer token;
 * `npm run token -- --client NAME [--scope SCOPE] [--ttl SECONDS]`: a partner's client-credentials
 * token (sub = NAME, scope taxii/read, no groups). Prints the token and nothing else, so
 * `TOKEN=$(npm run -s token -- ...)` works. The signing key is the one `npm start` uses
 * (created by whichever runs first).
 */
import { parseArgs } from 'node:util';
import {
  createLocalIdentityProvider,
  DEFAULT_TOKEN_TTL_SECONDS,
  isRole,
  knownRoles,
  knownScopes,
  MAX_TOKEN_TTL_SECONDS,
} from './auth.ts';
import { localSettings } from './settings.ts';

const USAGE = `Usage: npm run -s token -- --role ${knownRoles.join('|')} [--sub NAME] [--ttl SECONDS]
       npm run -s token -- --client NAME [--scope SCOPE]... [--ttl SECONDS]
  --role    the staff group the token carries
  --sub     the user id in the token (default: local-<role>)
  --client  a partner agency's client id: a client-credentials token with no groups
  --scope   a scope for --client (default: ${knownScopes.join(' ')}); repeat for more
  --ttl     validity in seconds, 1-${MAX_TOKEN_TTL_SECONDS} (default: ${DEFAULT_TOKEN_TTL_SECONDS})`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { role?: string; sub?: string; ttl?: string; client?: string; scope?: string[]; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      client: { type: 'string' },
      scope: { type: 'string', multiple: true },
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
const ttlSeconds = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
  fail(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS}.`);
}
const identityProvider = await createLocalIdentityProvider({ dataDir: localSettings().dataDir });

if (values.client !== undefined) {
  if (values.role !== undefined || values.sub !== undefined)
    fail('--client cannot be combined with --role or --sub.');
  try {
    const token = await identityProvider.issueClientToken({
      clientId: values.client,
      ...(values.scope ? { scopes: values.scope } : {}),
      ttlSeconds,
    });
    process.stdout.write(`${token}\n`);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
} else {
  if (values.scope !== undefined) fail('--scope goes with --client.');
  if (!isRole(values.role)) {
    fail(values.role === undefined ? 'Missing --role or --client.' : `Unknown role "${values.role}".`);
  }
  if (values.sub !== undefined && values.sub.trim() === '') fail('--sub must not be empty.');
  process.stdout.write(
    `${await identityProvider.issueToken({ role: values.role, sub: values.sub, ttlSeconds })}\n`,
  );
}
