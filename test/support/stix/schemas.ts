/**
 * JSON schemas (draft 2020-12, for ajv) of the STIX 2.1 objects Restore emits, written from the
 * property tables of the STIX 2.1 specification (sections 3.2 common properties, 4.8 identity,
 * 4.9 indicator, 7.2 marking-definition, 7.3 extension-definition, 8 bundle) with OASIS's
 * published JSON schemas as the reference. Stricter than the specification where Restore
 * promises more: no custom top-level properties at all (extensions only), and `created` /
 * `modified` to the millisecond.
 */

/** RFC 3339 in UTC ending in Z (STIX 3.2 "timestamp"). */
export const TIMESTAMP =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d+)?Z$';
/** created/modified: "MUST be precise to the nearest millisecond". */
export const TIMESTAMP_MS =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)\\.\\d{3}Z$';
/** STIX identifier: `type--` + an RFC 4122 UUID (variant 10xx). */
export const identifier = (type = '[a-z][a-z0-9-]+[a-z0-9]') =>
  `^${type}--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`;

const timestamp = { type: 'string', pattern: TIMESTAMP, format: 'date-time' };
const timestampMs = { type: 'string', pattern: TIMESTAMP_MS, format: 'date-time' };
const ref = (type?: string) => ({ type: 'string', pattern: identifier(type) });
const stringList = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 };
/** Vocabulary and property names: 3-250 characters (STIX 3.1). */
const vocab = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$' };

const externalReference = {
  type: 'object',
  required: ['source_name'],
  properties: {
    source_name: { type: 'string' },
    description: { type: 'string' },
    url: { type: 'string', format: 'uri' },
    hashes: { type: 'object' },
    external_id: { type: 'string' },
  },
  additionalProperties: false,
};

/** Every key an extension-definition id, each value saying its extension_type (STIX 3.2 extensions). */
const extensions = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: identifier('extension-definition') },
  additionalProperties: {
    type: 'object',
    required: ['extension_type'],
    properties: {
      extension_type: {
        enum: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'],
      },
    },
  },
};

/** Common properties of SDOs (3.2): required type, spec_version, id, created, modified. */
const sdoCommon = {
  type: { type: 'string' },
  spec_version: { const: '2.1' },
  id: ref(),
  created_by_ref: ref('identity'),
  created: timestampMs,
  modified: timestampMs,
  revoked: { type: 'boolean' },
  labels: stringList,
  confidence: { type: 'integer', minimum: 0, maximum: 100 },
  lang: { type: 'string' },
  external_references: { type: 'array', items: externalReference, minItems: 1 },
  object_marking_refs: { type: 'array', items: ref('marking-definition'), minItems: 1 },
  granular_markings: { type: 'array', minItems: 1 },
  extensions,
};
const SDO_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'];

export const identitySchema = {
  $id: 'identity',
  type: 'object',
  required: [...SDO_REQUIRED, 'name'],
  properties: {
    ...sdoCommon,
    type: { const: 'identity' },
    id: ref('identity'),
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    roles: stringList,
    identity_class: vocab,
    sectors: { type: 'array', items: vocab, minItems: 1 },
    contact_information: { type: 'string' },
  },
  additionalProperties: false,
};

export const indicatorSchema = {
  $id: 'indicator',
  type: 'object',
  required: [...SDO_REQUIRED, 'pattern', 'pattern_type', 'valid_from'],
  properties: {
    ...sdoCommon,
    type: { const: 'indicator' },
    id: ref('indicator'),
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    indicator_types: { type: 'array', items: vocab, minItems: 1 },
    pattern: { type: 'string', minLength: 3 },
    pattern_type: vocab,
    pattern_version: { type: 'string' },
    valid_from: timestamp,
    valid_until: timestamp,
    kill_chain_phases: { type: 'array', minItems: 1 },
  },
  additionalProperties: false,
};

/** 7.2: no `modified`; definition_type/definition required unless an extension defines it. */
export const markingDefinitionSchema = {
  $id: 'marking-definition',
  type: 'object',
  required: ['type', 'spec_version', 'id', 'created'],
  properties: {
    type: { const: 'marking-definition' },
    spec_version: { const: '2.1' },
    id: ref('marking-definition'),
    created_by_ref: ref('identity'),
    created: timestampMs,
    external_references: sdoCommon.external_references,
    object_marking_refs: sdoCommon.object_marking_refs,
    granular_markings: sdoCommon.granular_markings,
    extensions,
    name: { type: 'string' },
    definition_type: { type: 'string' },
    definition: { type: 'object' },
  },
  anyOf: [{ required: ['extensions'] }, { required: ['definition_type', 'definition'] }],
  additionalProperties: false,
};

export const extensionDefinitionSchema = {
  $id: 'extension-definition',
  type: 'object',
  required: [...SDO_REQUIRED, 'created_by_ref', 'name', 'schema', 'version', 'extension_types'],
  properties: {
    ...sdoCommon,
    type: { const: 'extension-definition' },
    id: ref('extension-definition'),
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    schema: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    extension_types: {
      type: 'array',
      minItems: 1,
      items: { enum: ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'] },
    },
    extension_properties: stringList,
  },
  additionalProperties: false,
};

/** 8: a bundle has no spec_version in 2.1. */
export const bundleSchema = {
  $id: 'bundle',
  type: 'object',
  required: ['type', 'id'],
  properties: {
    type: { const: 'bundle' },
    id: ref('bundle'),
    objects: { type: 'array', items: { type: 'object', required: ['type', 'id'] } },
  },
  additionalProperties: false,
};

export const objectSchemas = {
  identity: identitySchema,
  indicator: indicatorSchema,
  'marking-definition': markingDefinitionSchema,
  'extension-definition': extensionDefinitionSchema,
} as const;

/**
 * STIX 2.1 cyber-observable properties the patterns may compare (section 6), by object type.
 * Types Restore declares itself come from its extension definitions' schemas instead.
 */
export const standardObservableProperties: Readonly<Record<string, readonly string[]>> = {
  'domain-name': ['value', 'resolves_to_refs'],
  'email-addr': ['value', 'display_name', 'belongs_to_ref'],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  url: ['value'],
  'user-account': ['user_id', 'credential', 'account_login', 'account_type', 'display_name'],
};
