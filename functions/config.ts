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
  DISTRIBUTION_QUEUE_URL: z.optional(nonEmpty),
  /** Steps of sharing export jobs (one STIX bundle per date range, written to S3). */
  SHARING_EXPORT_QUEUE_URL: z.optional(nonEmpty),
  /** The mail queue (docs/email.md); unset where the deployment sends no e-mail. */
  MAIL_QUEUE_URL: z.optional(nonEmpty),
  /** The mailer: who mail comes from, and the SES configuration set that sends it. */
  MAIL_FROM: z.optional(nonEmpty),
  MAIL_CONFIGURATION_SET: z.optional(nonEmpty),
  /** The site the mails link to (the deployment's address; the local runtime's own). */
  MAIL_SITE_URL: z.optional(nonEmpty),
  /** S3 bucket for plan lines and payment results files. */
  ARTEFACT_BUCKET: z.optional(nonEmpty),
  /** S3 bucket for claimants' uploads (quarantine/, documents/). */
  UPLOAD_BUCKET: z.optional(nonEmpty),
  /** Local S3 servers need path-style URLs; AWS does not. */
  S3_FORCE_PATH_STYLE: z.optional(z.enum(['true', 'false'])),
  /**
   * People who must sign off a plan (and, again, its release): its creator and this many minus
   * one other admins. Deployment configuration (infra/config), never below 2.
   */
  MONEY_APPROVERS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^([2-9]|10)$/)),
      z.transform((s) => Number(s)),
    ),
  ),
  /** Days a returned payment waits for the claimant's new details before its money goes back to the pool. */
  RETURNED_PAYMENT_WAIT_DAYS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d{0,3}$/)),
      z.transform((s) => Number(s)),
    ),
  ),
  /** In AWS: the Secrets Manager secret holding the indicator HMAC key. */
  INDICATOR_KEY_SECRET_ARN: z.optional(nonEmpty),
  /** Locally and in tests: the key itself, base64. */
  INDICATOR_KEY: z.optional(nonEmpty),
  /** In AWS: the KMS key that seals claimants' account numbers (functions/payout-vault.ts). */
  PAYOUT_KEY_ARN: z.optional(nonEmpty),
  /** Locally and in tests: the raw AES-256 key standing in for it, base64. */
  PAYOUT_LOCAL_KEY: z.optional(nonEmpty),
  /** In AWS: the secret CloudFront sends in its origin header (http/edge.ts); unset locally. */
  ORIGIN_VERIFY: z.optional(nonEmpty),
  /** The consumer's first retry delay; unset in AWS (60 s). Local evidence runs shorten it. */
  RETRY_BASE_SECONDS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d{0,4}$/)),
      z.transform((s) => Number(s)),
    ),
  ),
  /** Which JWT claim lists the caller's groups (Cognito: cognito:groups). */
  AUTH_GROUPS_CLAIM: z._default(nonEmpty, 'cognito:groups'),
  /** The agency's name, as partners see it on the STIX identity that creates every indicator. */
  AGENCY_NAME: z._default(nonEmpty, 'Restore (local)'),
  /** TLP 2.0 level on shared objects (deployment config `sharing.tlp`). */
  SHARING_TLP: z._default(z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']), 'amber'),
  /** The site's public URL (custom domain); TAXII discovery names its API Root under it. */
  PUBLIC_BASE_URL: z.optional(nonEmpty),
  /** Days a report is kept before DynamoDB's TTL removes it; unset keeps reports indefinitely. */
  REPORT_RETENTION_DAYS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[1-9]\d{0,5}$/)),
      z.transform((s) => Number(s)),
    ),
  ),
});

/** Money settings with the defaults every shipped example uses (at least two people per plan). */
export function moneySettings(): { approvers: number; returnedPaymentWaitDays: number } {
  return {
    approvers: config().MONEY_APPROVERS ?? 2,
    returnedPaymentWaitDays: config().RETURNED_PAYMENT_WAIT_DAYS ?? 90,
  };
}

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
