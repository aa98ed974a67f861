/**
 * STIX 2.1 objects for partner agencies, built from shared-indicator summaries (summary.ts).
 *
 * - One `indicator` per identifier, its id a UUIDv5 over the canonical identifier, so a re-export
 *   or a later TAXII poll updates the partner's copy (newer `modified`) instead of duplicating it.
 * - Identifiers STIX has no cyber-observable for (phones, wallets, bank-account tokens, payment
 *   handles) are new SCO types declared by `extension-definition` objects with a JSON schema;
 *   report counts, timing and loss bands travel in a declared property extension.
 * - Every object carries a TLP 2.0 marking (the OASIS-published marking definitions): the data
 *   the configured level, the format definitions (the same in every deployment) TLP:CLEAR.
 */
import { v5 as uuidv5 } from 'uuid';
import {
  confidenceFor,
  type LossBand,
  lossBand,
  lossBands,
  type ShareableType,
  type SharedIndicator,
  shareableTypes,
} from './summary.ts';

/** Namespace of every id Restore derives; fixed forever, or re-exports would duplicate. */
export const RESTORE_STIX_NAMESPACE = '1b6f3f0e-7c1a-5d8e-9a4b-6e2d0c9f4a17';

const deterministicId = (type: string, name: string): string =>
  `${type}--${uuidv5(name, RESTORE_STIX_NAMESPACE)}`;

export const tlpLevels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof tlpLevels)[number];
export const DEFAULT_TLP: TlpLevel = 'amber';

/** The TLP 2.0 extension and marking definitions as OASIS published them (ids and dates are fixed). */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const TLP_MARKING_IDS: Readonly<Record<TlpLevel, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP_MARKING_CREATED = '2022-10-01T00:00:00.000Z';

export type StixObject = Readonly<Record<string, unknown>> & { readonly type: string; readonly id: string };

export function tlpMarkingDefinition(level: TlpLevel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[level],
    created: TLP_MARKING_CREATED,
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** When Restore's format definitions were published; part of their identity, so fixed. */
export const DEFINITIONS_CREATED = '2026-01-01T00:00:00.000Z';

/** The Restore project, creator of the format definitions every deployment shares. */
export const RESTORE_PROJECT_IDENTITY_ID = deterministicId('identity', 'restore-project');

export interface SharingContext {
  readonly agencyName: string;
  readonly tlp: TlpLevel;
}

export const agencyIdentityId = (agencyName: string): string =>
  deterministicId('identity', `agency:${agencyName.trim()}`);

// ---- Extension definitions (their `schema` is the JSON schema, as text) ----------------------

interface ExtensionSpec {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly extensionType: 'new-sco' | 'property-extension';
  readonly schema: Readonly<Record<string, unknown>>;
}

const scoSchema = (title: string, properties: Record<string, unknown>, required: readonly string[]) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title,
  type: 'object',
  required: ['type', 'id', ...required],
  properties: {
    type: { const: title },
    spec_version: { const: '2.1' },
    id: {
      type: 'string',
      pattern: `^${title}--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
    },
    object_marking_refs: { type: 'array', items: { type: 'string' } },
    extensions: { type: 'object' },
    ...properties,
  },
  additionalProperties: false,
});

const EXTENSIONS = {
  reportSummary: {
    key: 'restore-report-summary',
    name: 'Restore fraud report summary',
    description:
      'How often victims reported an identifier to the issuing agency: first and last report, number of reports, total reported loss per currency as a band. Only reports whose filers agreed to share with law enforcement are counted.',
    extensionType: 'property-extension',
    schema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'restore-report-summary',
      type: 'object',
      required: [
        'extension_type',
        'identifier_kind',
        'first_seen',
        'last_seen',
        'report_count',
        'loss_bands',
      ],
      properties: {
        extension_type: { const: 'property-extension' },
        identifier_kind: { enum: [...shareableTypes] },
        first_seen: { type: 'string', format: 'date-time' },
        last_seen: { type: 'string', format: 'date-time' },
        report_count: { type: 'integer', minimum: 1 },
        loss_bands: {
          type: 'array',
          items: {
            type: 'object',
            required: ['currency', 'band'],
            properties: {
              currency: { type: 'string', pattern: '^[A-Z]{3}$' },
              band: { enum: lossBands.map((b) => b.band) },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  },
  phoneNumber: {
    key: 'phone-number',
    name: 'Phone number',
    description:
      'A telephone number in E.164 form (+ and digits), as used by a scammer to call, text or be paid.',
    extensionType: 'new-sco',
    schema: scoSchema('phone-number', { value: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' } }, [
      'value',
    ]),
  },
  cryptocurrencyWallet: {
    key: 'cryptocurrency-wallet',
    name: 'Cryptocurrency wallet',
    description:
      'A cryptocurrency address, validated and checksummed for its chain; `chain` names the address family (btc, eth, trx, sol, ...).',
    extensionType: 'new-sco',
    schema: scoSchema(
      'cryptocurrency-wallet',
      { value: { type: 'string', minLength: 8 }, chain: { type: 'string', pattern: '^[a-z0-9-]{2,30}$' } },
      ['value'],
    ),
  },
  bankAccount: {
    key: 'bank-account',
    name: 'Bank account (keyed token)',
    description:
      "A bank account as a keyed token: scheme (us, iban, swift, acct), a colon, and the lower-case hex HMAC-SHA256 of the normalised account under the issuing agency's key. Only holders of that key can compute tokens to compare; see the agency's sharing documentation.",
    extensionType: 'new-sco',
    schema: scoSchema(
      'bank-account',
      { account_token: { type: 'string', pattern: '^(?:us|iban|swift|acct):[0-9a-f]{64}$' } },
      ['account_token'],
    ),
  },
  paymentHandle: {
    key: 'payment-handle',
    name: 'Payment app handle',
    description:
      'A person-to-person payment app account: `service` (zelle, venmo, cash-app, paypal, apple-cash, google-pay, chime, other) and the `handle` as the app shows it (a $cashtag, @username, e-mail address or E.164 phone).',
    extensionType: 'new-sco',
    schema: scoSchema(
      'payment-handle',
      { service: { type: 'string', pattern: '^[a-z0-9-]{2,30}$' }, handle: { type: 'string', minLength: 1 } },
      ['service', 'handle'],
    ),
  },
} as const satisfies Record<string, ExtensionSpec>;

export type ExtensionKey = keyof typeof EXTENSIONS;
const EXTENSION_VERSION = '1.0.0';

export const extensionId = (key: ExtensionKey): string =>
  deterministicId('extension-definition', `${EXTENSIONS[key].key}@${EXTENSION_VERSION}`);

/** The JSON schemas Restore publishes in its extension definitions, by extension. */
export const extensionSchemas = (): ReadonlyMap<ExtensionKey, Readonly<Record<string, unknown>>> =>
  new Map((Object.keys(EXTENSIONS) as ExtensionKey[]).map((k) => [k, EXTENSIONS[k].schema]));

function extensionDefinition(key: ExtensionKey): StixObject {
  const spec: ExtensionSpec = EXTENSIONS[key];
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: extensionId(key),
    created_by_ref: RESTORE_PROJECT_IDENTITY_ID,
    created: DEFINITIONS_CREATED,
    modified: DEFINITIONS_CREATED,
    name: spec.name,
    description: spec.description,
    schema: JSON.stringify(spec.schema),
    version: EXTENSION_VERSION,
    extension_types: [spec.extensionType],
    object_marking_refs: [TLP_MARKING_IDS.clear],
  };
}

/**
 * The objects every indicator refers to (creators, markings, extension definitions), oldest
 * first. Partners need them once; the TAXII collection lists them before any indicator.
 */
export function referenceObjects(ctx: SharingContext): StixObject[] {
  const markings =
    ctx.tlp === 'clear'
      ? [tlpMarkingDefinition('clear')]
      : [tlpMarkingDefinition('clear'), tlpMarkingDefinition(ctx.tlp)];
  return [
    ...markings,
    {
      type: 'identity',
      spec_version: '2.1',
      id: RESTORE_PROJECT_IDENTITY_ID,
      created: DEFINITIONS_CREATED,
      modified: DEFINITIONS_CREATED,
      name: 'Restore (open-source fraud reporting portal)',
      description: 'Publisher of the STIX extension definitions every Restore deployment uses.',
      identity_class: 'organization',
      object_marking_refs: [TLP_MARKING_IDS.clear],
    },
    ...(Object.keys(EXTENSIONS) as ExtensionKey[]).map(extensionDefinition),
    {
      type: 'identity',
      spec_version: '2.1',
      id: agencyIdentityId(ctx.agencyName),
      created: DEFINITIONS_CREATED,
      modified: DEFINITIONS_CREATED,
      name: ctx.agencyName.trim(),
      identity_class: 'organization',
      sectors: ['government'],
      object_marking_refs: [TLP_MARKING_IDS[ctx.tlp]],
    },
  ];
}

// ---- Indicators ---------------------------------------------------------------------------------

export const indicatorId = (type: ShareableType, value: string): string =>
  deterministicId('indicator', `${type}:${value}`);

/** A STIX pattern string literal: quotes and backslashes escaped (STIX 2.1 patterning, literals). */
export const stixString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Splits `prefix:rest` at the first colon (wallets, payment apps, social handles, bank tokens). */
function splitPrefixed(value: string): [string, string] {
  const at = value.indexOf(':');
  return at < 0 ? ['other', value] : [value.slice(0, at), value.slice(at + 1)];
}

export function patternFor(type: ShareableType, value: string): string {
  switch (type) {
    case 'phone':
      return `[phone-number:value = ${stixString(value)}]`;
    case 'email':
      return `[email-addr:value = ${stixString(value)}]`;
    case 'domain': {
      if (IPV4.test(value)) return `[ipv4-addr:value = ${stixString(value)}]`;
      if (value.startsWith('[')) return `[ipv6-addr:value = ${stixString(value.slice(1, -1))}]`;
      // The index keeps registrable domains: a scam site's subdomains are the same scammer's.
      return `[domain-name:value = ${stixString(value)} OR domain-name:value LIKE ${stixString(`%.${value}`)}]`;
    }
    case 'crypto-wallet': {
      const [chain, address] = splitPrefixed(value);
      return `[cryptocurrency-wallet:value = ${stixString(address)} AND cryptocurrency-wallet:chain = ${stixString(chain)}]`;
    }
    case 'bank-account':
      return `[bank-account:account_token = ${stixString(value)}]`;
    case 'payment-app': {
      const [service, handle] = splitPrefixed(value);
      return `[payment-handle:service = ${stixString(service)} AND payment-handle:handle = ${stixString(handle)}]`;
    }
    case 'social-handle': {
      const [platform, handle] = splitPrefixed(value);
      return `[user-account:account_type = ${stixString(platform)} AND user-account:account_login = ${stixString(handle)}]`;
    }
  }
}

const KIND_LABELS: Readonly<Record<ShareableType, string>> = {
  phone: 'Phone number',
  email: 'Email address',
  domain: 'Website',
  'crypto-wallet': 'Cryptocurrency wallet',
  'bank-account': 'Bank account (keyed token)',
  'payment-app': 'Payment app handle',
  'social-handle': 'Social media account',
};

const day = (iso: string): string => iso.slice(0, 10);

export function indicatorObject(shared: SharedIndicator, ctx: SharingContext): StixObject {
  const n = shared.reportCount;
  const loss_bands: { currency: string; band: LossBand }[] = Object.keys(shared.lossByCurrency)
    .sort()
    .map((currency) => ({ currency, band: lossBand(currency, shared.lossByCurrency[currency] ?? 0) }));
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorId(shared.type, shared.value),
    created_by_ref: agencyIdentityId(ctx.agencyName),
    created: shared.created,
    modified: shared.modified,
    // A bank token means nothing to a reader; every other value is the identifier itself.
    name:
      shared.type === 'bank-account'
        ? KIND_LABELS[shared.type]
        : `${KIND_LABELS[shared.type]} ${shared.value}`,
    description: `Named in ${n} fraud report${n === 1 ? '' : 's'} to ${ctx.agencyName.trim()} from ${day(shared.firstSeen)} to ${day(shared.lastSeen)}.`,
    indicator_types: ['malicious-activity'],
    pattern: patternFor(shared.type, shared.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: shared.firstSeen,
    labels: [...shared.categories],
    confidence: confidenceFor(n),
    object_marking_refs: [TLP_MARKING_IDS[ctx.tlp]],
    extensions: {
      [extensionId('reportSummary')]: {
        extension_type: 'property-extension',
        identifier_kind: shared.type,
        first_seen: shared.firstSeen,
        last_seen: shared.lastSeen,
        report_count: n,
        loss_bands,
      },
    },
  };
}
