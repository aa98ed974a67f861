/**
 * One typed, validated object per deployment. Agencies describe their deployments in cdk.json
 * under the context key `restore:deployments` (an object keyed by environment name) and pick
 * one with `cdk synth -c env=NAME` (default: the first). Every error names the setting and says
 * what a valid value looks like, because the person reading it is configuring, not coding.
 *
 * This module is plain zod: no CDK import, so scripts can validate a config cheaply.
 */
import { z } from 'zod';

export const DEPLOYMENTS_CONTEXT_KEY = 'restore:deployments';
export const ENV_CONTEXT_KEY = 'env';

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else is rejected at deploy. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

// Commercial, GovCloud (us-gov-west-1) and ISO partitions (us-iso-east-1, us-isob-east-1).
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Regions outside the commercial partition have no CloudFront (or no us-east-1 for its WAF).
const NON_COMMERCIAL_REGION = /^(cn-|us-gov-|us-iso)/;

/** CloudFront-scoped WAF web ACLs (and the certificates CloudFront uses) live in this region only. */
export const EDGE_REGION = 'us-east-1';

// A DNS host name: labels of letters, digits and hyphens, at least one dot, no trailing dot.
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
// Lowercase, starts with a letter, no trailing hyphen; short because it prefixes stack ids and
// every generated resource name.
const SLUG = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

const httpsUrl = (what: string) =>
  z.string({ error: `expected ${what} as a string` }).refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: `expected ${what}: an https:// URL` },
  );

/** A browser origin: scheme + host (+ port), no path. http only for local development hosts. */
const origin = z.string({ error: 'expected an origin string like https://reports.agency.gov' }).refine(
  (value) => {
    try {
      const url = new URL(value);
      const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && local);
      return schemeOk && url.origin === value;
    } catch {
      return false;
    }
  },
  {
    error:
      'expected an origin like https://reports.agency.gov (scheme and host only, no path or trailing slash; http only for localhost)',
  },
);

const cognitoProvider = z.strictObject({ kind: z.literal('cognito') });

const oidcProvider = z.strictObject({
  kind: z.literal('oidc'),
  issuer: httpsUrl('the issuer URL exactly as it appears in the tokens\' "iss" claim'),
  audience: z
    .array(z.string().min(1, { error: 'expected a non-empty audience (client id)' }), {
      error: 'expected a list of audiences (client ids), e.g. ["restore-console"]',
    })
    .min(1, { error: 'expected at least one audience (client id)' }),
  /** The token claim that lists the user's groups (reviewer/admin). */
  groupsClaim: z.string().min(1, { error: 'expected a claim name like "groups"' }).default('groups'),
});

const identityProvider = z.discriminatedUnion('kind', [cognitoProvider, oidcProvider], {
  error: 'expected { "kind": "cognito" } or { "kind": "oidc", "issuer": "https://...", "audience": ["..."] }',
});

const customDomain = z.strictObject(
  {
    domainName: z
      .string({ error: 'expected the site\'s host name as a string, e.g. "reports.agency.gov"' })
      .regex(HOSTNAME, {
        error: 'expected a lowercase host name without scheme or path, e.g. "reports.agency.gov"',
      }),
    certificateArn: z
      .string({ error: 'expected an ACM certificate ARN as a string' })
      .regex(ACM_CERTIFICATE_ARN, {
        error: 'expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/<uuid>',
      })
      .refine((arn) => ACM_CERTIFICATE_ARN.exec(arn)?.[1] === EDGE_REGION, {
        error: `expected a certificate in ${EDGE_REGION}: CloudFront only uses ACM certificates from ${EDGE_REGION}`,
      }),
  },
  { error: 'expected { "domainName": "reports.agency.gov", "certificateArn": "arn:aws:acm:us-east-1:..." }' },
);

/** TLP 2.0 levels (the same list as shared/domain/sharing/stix.ts `tlpLevels`; a test keeps them equal). */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
// Cognito domain prefixes: lowercase letters, digits and hyphens, globally unique per region.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Sharing scammer identifiers with partner agencies over TAXII (docs/sharing.md). */
const sharing = z.strictObject(
  {
    tlp: z
      .enum(TLP_LEVELS, {
        error: `expected a TLP 2.0 level: ${TLP_LEVELS.join(', ')} (default amber)`,
      })
      .default('amber'),
    /** One OAuth client (client credentials, scope taxii/read) per partner, in the Cognito pool. */
    partners: z
      .array(
        z.string().regex(SLUG, {
          error: 'expected a partner name as a lowercase slug, e.g. "fbi-ic3" or "state-police"',
        }),
        { error: 'expected a list of partner names, e.g. ["fbi-ic3"]' },
      )
      .default([]),
    /** The Cognito domain partners fetch tokens from: https://<prefix>.auth.<region>.amazoncognito.com. */
    domainPrefix: z
      .string()
      .regex(DOMAIN_PREFIX, {
        error:
          'expected a Cognito domain prefix: lowercase letters, digits and hyphens, unique in the region, e.g. "ag-florida-restore"',
      })
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
        error: 'expected a prefix without "aws", "amazon" or "cognito" (Cognito refuses them)',
      })
      .optional(),
    /** OIDC deployments: the audiences (client ids) partner tokens from the agency's provider carry. */
    partnerAudience: z.array(z.string().min(1)).min(1).optional(),
  },
  { error: 'expected { "tlp": "amber", "partners": ["fbi-ic3"], "domainPrefix": "ag-florida-restore" }' },
);

/**
 * E-mail to claimants and reporters with Amazon SES (docs/email.md). The stack creates the domain
 * identity (DKIM records to publish are in its outputs) and a configuration set; absent, the
 * deployment sends no e-mail at all.
 */
const email = z.strictObject(
  {
    /** The sending domain, verified in SES with DKIM, e.g. "reports.agency.gov". */
    domain: z
      .string({ error: 'expected the sending domain as a string, e.g. "reports.agency.gov"' })
      .regex(HOSTNAME, {
        error: 'expected a lowercase domain without scheme or path, e.g. "reports.agency.gov"',
      }),
    /** Mail comes from this address on that domain; replies are not read (the mails say so). */
    fromAddress: z.email({ error: 'expected an address like no-reply@reports.agency.gov' }),
    /** The site the mails link to; defaults to https://<customDomain.domainName>. */
    siteUrl: httpsUrl('the public site address, e.g. https://reports.agency.gov').optional(),
  },
  { error: 'expected { "domain": "reports.agency.gov", "fromAddress": "no-reply@reports.agency.gov" }' },
);

const deploymentSchema = z.strictObject({
  agencyName: z
    .string({ error: 'expected the agency name as a string' })
    .trim()
    .min(2, { error: 'expected the agency name, e.g. "State Attorney General"' })
    .max(100, { error: 'expected at most 100 characters' }),
  envName: z.string().regex(SLUG, {
    error:
      'expected a lowercase slug (letters, digits, hyphens; starts with a letter; at most 20 characters), e.g. "dev" or "prod-east"',
  }),
  account: z
    .string({ error: 'expected a 12-digit AWS account id as a string (quote it so leading zeros survive)' })
    .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id, e.g. "123456789012"' })
    .optional(),
  region: z
    .string({ error: 'expected an AWS region like us-east-1' })
    .regex(REGION, { error: 'expected an AWS region like us-east-1' })
    .refine((region) => !NON_COMMERCIAL_REGION.test(region), {
      error:
        'expected a commercial AWS region: the public site needs CloudFront and a CloudFront WAF, which GovCloud, ISO and China regions do not offer (see docs/deploy.md)',
    }),
  stage: z.enum(['dev', 'prod'], {
    error: 'expected "dev" (resources may be destroyed) or "prod" (data is retained and deletion-protected)',
  }),
  logRetentionDays: z
    .number({ error: 'expected a number of days' })
    .refine((days) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(days), {
      error: `expected one of the retention periods CloudWatch accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
    }),
  reportRetentionDays: z
    .number({ error: 'expected a number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(36_500, { error: 'expected at most 36500 days (100 years)' }),
  /** Removal of stored data when a stack is deleted; defaults by stage (prod retains, dev destroys). */
  removalPolicy: z
    .enum(['retain', 'destroy'], {
      error: 'expected "retain" (keep tables, keys, queues and logs when a stack is deleted) or "destroy"',
    })
    .optional(),
  backupRetentionDays: z
    .number({ error: 'expected a number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(36_500, { error: 'expected at most 36500 days (100 years)' })
    .default(35),
  /**
   * Years the audit trail's archive copies stay locked (S3 Object Lock, compliance mode: nobody,
   * not even the account root, can delete or change them before then).
   */
  auditRetentionDays: z
    .number({ error: 'expected a number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(36_500, { error: 'expected at most 36500 days (100 years)' })
    .default(2557),
  /**
   * Cognito threat protection for staff sign-in: "enforced" blocks risky sign-ins and
   * compromised passwords (needs the Plus plan), "audit" only reports, "off" keeps Essentials.
   */
  /** The Cognito hosted sign-in domain prefix; defaults to restore-<env>-<agency> (infra/config/edge.ts). */
  cognitoDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error:
        'expected lowercase letters, digits and hyphens (at most 63), not starting or ending with a hyphen',
    })
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
      error: 'Cognito refuses domain prefixes containing "aws", "amazon" or "cognito"',
    })
    .optional(),
  cognitoThreatProtection: z
    .enum(['off', 'audit', 'enforced'], { error: 'expected "off", "audit" or "enforced"' })
    .default('off'),
  alarmEmail: z.email({ error: 'expected an email address like ops@agency.gov' }).optional(),
  /** A phone line victims can call instead of using the site; shown by the website. */
  agencyPhone: z
    .string({ error: 'expected a phone number as a string, e.g. "1-800-555-0100"' })
    .regex(/^[0-9+() .-]{7,25}$/, {
      error: 'expected a phone number of digits, spaces and + ( ) - . only, e.g. "1-800-555-0100"',
    })
    .optional(),
  /** When the phone line answers, shown next to the number, e.g. "Monday to Friday, 8 a.m. to 6 p.m.". */
  agencyPhoneHours: z
    .string({ error: "expected the phone line's hours as a string" })
    .trim()
    .min(3, { error: 'expected the hours, e.g. "Monday to Friday, 8 a.m. to 6 p.m."' })
    .max(100, { error: 'expected at most 100 characters' })
    .optional(),
  customDomain: customDomain.optional(),
  /** Requests one IP address may make in any 5 minutes before the WAF answers 429. */
  wafRateLimit: z
    .number({ error: 'expected a number of requests per IP address per 5 minutes' })
    .int({ error: 'expected a whole number of requests' })
    .min(10, { error: 'expected at least 10 (the smallest limit AWS WAF accepts)' })
    .max(2_000_000_000, { error: 'expected at most 2000000000 (the largest limit AWS WAF accepts)' })
    .default(1000),
  /** Concurrent executions reserved for (and capping) each function. */
  reservedConcurrency: z
    .number({ error: 'expected a number of concurrent executions per function' })
    .int({ error: 'expected a whole number' })
    .min(2, { error: 'expected at least 2 (a queue consumer needs 2 to poll)' })
    .max(1000, { error: 'expected at most 1000' })
    .default(10),
  /**
   * X-Ray for the functions. Lambda's own sampling (the first request each second, then 5%) cannot
   * be changed and, at an agency's volume, traces nearly every report (up to $10 per million):
   * "pass-through" (the default) records no traces; "active" while looking for a slow path.
   * Errors and latency are watched through logs, metrics and alarms either way (docs/cost.md).
   */
  tracing: z
    .enum(['pass-through', 'active'], { error: 'expected "pass-through" (the default) or "active"' })
    .default('pass-through'),
  /**
   * Dual control of money: how many people sign off a distribution plan, and again its payment
   * file, counting the plan's creator (who may not be one of the others). Never fewer than 2.
   */
  moneyApprovers: z
    .number({ error: 'expected the number of people who sign off a payment, e.g. 2' })
    .int({ error: 'expected a whole number of people' })
    .min(2, { error: 'expected at least 2: money moves only with two admins (dual control)' })
    .max(10, { error: 'expected at most 10' })
    .default(2),
  /** Days a returned payment waits for the claimant's new address before its money goes back to the pool. */
  returnedPaymentWaitDays: z
    .number({ error: 'expected a number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(3650, { error: 'expected at most 3650 days' })
    .default(90),
  identityProvider,
  sharing: sharing.default({ tlp: 'amber', partners: [] }),
  email: email.optional(),
  corsAllowedOrigins: z.array(origin, {
    error: 'expected a list of origins, e.g. ["https://reports.agency.gov"]',
  }),
});

/**
 * Cross-field rules, then the defaults that depend on other settings. Kept apart from the object
 * schema so `deploymentSchema` stays a plain object (its keys are listed in the README).
 */
const resolvedDeploymentSchema = deploymentSchema
  .superRefine((config, ctx) => {
    if (
      config.identityProvider.kind === 'cognito' &&
      config.sharing.partners.length > 0 &&
      !config.sharing.domainPrefix
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharing', 'domainPrefix'],
        message:
          'expected a Cognito domain prefix when partners are listed: partners fetch their tokens from that domain (e.g. "ag-florida-restore-prod")',
      });
    }
    const prefix = config.sharing.domainPrefix;
    if (prefix !== undefined && !prefix.includes(config.envName)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sharing', 'domainPrefix'],
        message: `expected the environment name "${config.envName}" in the domain prefix (e.g. "ag-florida-restore-${config.envName}"), so two deployments never reach for one domain`,
      });
    }
    if (config.email && !config.email.fromAddress.toLowerCase().endsWith(`@${config.email.domain}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['email', 'fromAddress'],
        message: `expected an address on the sending domain, e.g. "no-reply@${config.email.domain}": SES sends only from verified identities`,
      });
    }
    if (config.email && !config.email.siteUrl && !config.customDomain) {
      ctx.addIssue({
        code: 'custom',
        path: ['email', 'siteUrl'],
        message:
          'expected the public site address (e.g. "https://reports.agency.gov") for the links in mails: this deployment has no customDomain to take it from',
      });
    }
    if (config.stage === 'prod' && config.removalPolicy === 'destroy') {
      ctx.addIssue({
        code: 'custom',
        path: ['removalPolicy'],
        message:
          'expected "retain" (or nothing) in a prod deployment: prod never deletes victims\' data with its stack',
      });
    }
  })
  .transform((config) => ({
    ...config,
    removalPolicy: config.removalPolicy ?? (config.stage === 'prod' ? 'retain' : 'destroy'),
  }));

export type DeploymentConfig = z.output<typeof resolvedDeploymentSchema>;
export type DeploymentInput = z.input<typeof resolvedDeploymentSchema>;
export type RemovalPolicyName = DeploymentConfig['removalPolicy'];
export type Stage = DeploymentConfig['stage'];
export type IdentityProviderConfig = DeploymentConfig['identityProvider'];

export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError';
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    prefix,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates one deployment. `envName` defaults to the key it is stored under; if given, it must
 * equal that key so `-c env=NAME` and the stack ids can never disagree.
 */
export function parseDeployment(envName: string, raw: unknown): DeploymentConfig {
  const where = `${DEPLOYMENTS_CONTEXT_KEY}.${envName}`;
  if (!isPlainObject(raw)) {
    throw new DeploymentConfigError(`${where}: expected an object with the deployment's settings`);
  }
  if (raw['envName'] !== undefined && raw['envName'] !== envName) {
    throw new DeploymentConfigError(
      `${where}.envName: expected "${envName}" (the key it is stored under) or no envName at all`,
    );
  }
  const result = resolvedDeploymentSchema.safeParse({ ...raw, envName });
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${formatPath(where, issue.path)}: ${issue.message}`);
    throw new DeploymentConfigError(lines.join('\n'));
  }
  return result.data;
}

/** Validates every deployment under `restore:deployments`, in declaration order. */
export function parseDeployments(raw: unknown): DeploymentConfig[] {
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    throw new DeploymentConfigError(
      `${DEPLOYMENTS_CONTEXT_KEY}: expected an object keyed by environment name, e.g. { "dev": { "region": "us-east-1", ... } }`,
    );
  }
  return Object.entries(raw).map(([envName, value]) => parseDeployment(envName, value));
}

/** The minimal view of CDK's context lookup, so this module stays free of CDK imports. */
export interface ContextReader {
  tryGetContext(key: string): unknown;
}

/** Reads `restore:deployments` and picks the one named by `-c env=NAME` (default: the first). */
export function deploymentFromContext(context: ContextReader): DeploymentConfig {
  const deployments = parseDeployments(context.tryGetContext(DEPLOYMENTS_CONTEXT_KEY));
  const selected = context.tryGetContext(ENV_CONTEXT_KEY);
  if (selected === undefined) {
    return deployments[0]!;
  }
  const match = deployments.find((d) => d.envName === selected);
  if (!match) {
    const known = deployments.map((d) => d.envName).join(', ');
    throw new DeploymentConfigError(
      `${ENV_CONTEXT_KEY}: no deployment named "${String(selected)}" under ${DEPLOYMENTS_CONTEXT_KEY} (known: ${known})`,
    );
  }
  return match;
}
