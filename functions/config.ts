/**
 * Runtime configuration, read once per cold start and checked so a mis-deployed function fails
 * fast with a clear log line instead of half-working.
 */
import * as z from 'zod/mini';

const nonEmpty = z.string().check(z.minLength(1));

const schema = z.object({
  TABLE_NAME: z.optional(nonEmpty),
  IDEMPOTENCY_TABLE_NAME: z.optional(nonEmpty),
  /** The audit trail; every function serving a staff route records to it. */
  AUDIT_TABLE_NAME: z.optional(nonEmpty),
  ENRICHMENT_QUEUE_URL: z.optional(nonEmpty),
  /** In AWS: the Secrets Manager secret holding the indicator HMAC key. */
  INDICATOR_KEY_SECRET_ARN: z.optional(nonEmpty),
  /** Locally and in tests: the key itself, base64. */
  INDICATOR_KEY: z.optional(nonEmpty),
  /** Which JWT claim lists the caller's groups (Cognito: cognito:groups). */
  AUTH_GROUPS_CLAIM: z._default(nonEmpty, 'cognito:groups'),
  /** Days a report is kept before DynamoDB's TTL removes it; unset keeps reports indefinitely. */
  REPORT_RETENTION_DAYS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d{0,5}$/)),
      z.transform((s) => Number(s)),
    ),
  ),
});

export type RuntimeConfig = z.output<typeof schema>;

let cached: RuntimeConfig | undefined;

export function config(): RuntimeConfig {
  cached ??= z.parse(schema, process.env);
  return cached;
}

export function required<K extends keyof RuntimeConfig>(key: K): NonNullable<RuntimeConfig[K]> {
  const value = config()[key];
  if (value === undefined) throw new Error(`Missing required environment variable ${String(key)}`);
  return value as NonNullable<RuntimeConfig[K]>;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
