/**
 * Checks an emitted STIX object the way a strict consumer would: its JSON schema from the
 * specification's property tables (schemas.ts), a TLP marking, its pattern against the STIX
 * pattern grammar with every object path known (standard observables, or the types and
 * properties Restore's own extension definitions declare), and any extension against the JSON
 * schema its extension definition publishes.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { referenceObjects, type StixObject, TLP_MARKING_IDS } from '#shared/domain/sharing/stix.ts';
import { parsePattern } from './pattern-grammar.ts';
import { bundleSchema, objectSchemas, standardObservableProperties } from './schemas.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validators = new Map(
  Object.entries(objectSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
);
const validateBundle = ajv.compile(bundleSchema);

/** Restore's extension definitions, by id: their parsed JSON schema and compiled validator. */
const extensionsById = new Map(
  referenceObjects({ agencyName: 'Any', tlp: 'amber' })
    .filter((o) => o.type === 'extension-definition')
    .map((o) => {
      const schema = JSON.parse(String(o['schema'])) as {
        title: string;
        properties: Record<string, unknown>;
      };
      return [
        o.id,
        { schema, validate: ajv.compile(schema), types: o['extension_types'] as string[] },
      ] as const;
    }),
);

/** Object types (and their properties) Restore declares as new SCOs. */
const declaredObservables = new Map(
  [...extensionsById.values()]
    .filter((e) => e.types.includes('new-sco'))
    .map((e) => [e.schema.title, Object.keys(e.schema.properties)] as const),
);

const TLP_IDS = new Set(Object.values(TLP_MARKING_IDS));

export interface Tally {
  objects: number;
  patterns: number;
  extensions: number;
  byType: Record<string, number>;
}

export const newTally = (): Tally => ({ objects: 0, patterns: 0, extensions: 0, byType: {} });

/** Problems with one object; empty when it is valid. Counts what it checked into `tally`. */
export function problemsOf(object: StixObject, tally: Tally = newTally()): string[] {
  const problems: string[] = [];
  const validate = validators.get(object.type);
  if (!validate) return [`${object.id}: Restore does not emit objects of type ${object.type}`];
  if (!validate(object)) problems.push(`${object.id}: ${ajv.errorsText(validate.errors)}`);
  tally.objects += 1;
  tally.byType[object.type] = (tally.byType[object.type] ?? 0) + 1;

  if (typeof object['modified'] === 'string' && String(object['modified']) < String(object['created'])) {
    problems.push(`${object.id}: modified is before created`);
  }
  const uuid = object.id.slice(object.id.indexOf('--') + 2);
  if (!isUuid(uuid)) problems.push(`${object.id}: not an RFC 4122 UUID`);
  if (['indicator', 'identity', 'extension-definition'].includes(object.type) && uuidVersion(uuid) !== 5) {
    problems.push(`${object.id}: not a deterministic (UUIDv5) id`);
  }
  if (object.type !== 'marking-definition') {
    const markings = (object['object_marking_refs'] as string[] | undefined) ?? [];
    if (!markings.some((m) => TLP_IDS.has(m))) problems.push(`${object.id}: no TLP 2.0 marking`);
  }

  if (typeof object['pattern'] === 'string') {
    tally.patterns += 1;
    const parsed = parsePattern(object['pattern']);
    if (!parsed.ok)
      problems.push(`${object.id}: pattern ${object['pattern']} does not parse: ${parsed.message}`);
    else {
      for (const path of parsed.paths) {
        const [type = '', property = ''] = path.split(':');
        const known = standardObservableProperties[type] ?? declaredObservables.get(type);
        if (!known) problems.push(`${object.id}: pattern names undeclared object type ${type}`);
        else if (!known.includes(property.split(/[.[]/)[0] ?? '')) {
          problems.push(`${object.id}: ${type} has no property ${property}`);
        }
      }
    }
  }

  const extensions = (object['extensions'] as Record<string, unknown> | undefined) ?? {};
  for (const [id, value] of Object.entries(extensions)) {
    const declared = extensionsById.get(id);
    if (!declared) continue; // TLP 2.0's own extension, published by OASIS
    tally.extensions += 1;
    if (!declared.validate(value))
      problems.push(`${object.id}: extension ${id}: ${ajv.errorsText(declared.validate.errors)}`);
  }
  return problems;
}

export function bundleProblems(bundle: unknown, tally: Tally = newTally()): string[] {
  if (!validateBundle(bundle)) return [`bundle: ${ajv.errorsText(validateBundle.errors)}`];
  const objects = (bundle as { objects?: StixObject[] }).objects ?? [];
  const problems = objects.flatMap((o) => problemsOf(o, tally));
  const refs = new Set(objects.map((o) => o.id));
  for (const o of objects) {
    for (const r of [o['created_by_ref'], ...((o['object_marking_refs'] as string[] | undefined) ?? [])]) {
      if (typeof r === 'string' && !refs.has(r))
        problems.push(`${o.id}: refers to ${r}, which the bundle does not hold`);
    }
  }
  return problems;
}
