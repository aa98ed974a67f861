/**
 * Request bodies for the fuzz evidence, derived from the public routes' zod schemas: each schema
 * is turned into JSON Schema by zod itself (`z.toJSONSchema`) and walked into fast-check
 * arbitraries, with realistic values for identifier fields so that some bodies pass. On top:
 * near-valid bodies (one thing wrong) and hostile ones (characters that must be refused,
 * prototype keys, formulas, huge and odd values).
 *
 * Why a walker here: zod-fast-check supports zod 3 only, and the JSON-Schema-to-arbitrary
 * packages on npm target fast-check 1; the walk is ~60 lines over zod's own JSON Schema.
 */
import fc from 'fast-check';
import * as z from 'zod/mini';

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
};

/** Realistic values for fields the domain checks beyond the schema (phones, wallets, ...). */
const REALISTIC: Readonly<Record<string, readonly unknown[]>> = {
  phones: ['(202) 555-0143', '+44 20 7946 0958', '305-555-0147', '1 (800) 555-0100'],
  phone: ['(305) 555-0147', '+1 202 555 0143'],
  emails: ['agent@irs-payments.example.com', 'Support@Amaz0n-help.co.uk'],
  email: ['rosa.martinez@example.com', 'Jose@example.org'],
  websites: ['https://www.irs-payments.co.uk/pay', 'scam.github.io', 'hxxps://evil[.]com/x', '93.184.216.34'],
  socialHandles: ['@crypto_guru_88', 'https://instagram.com/real.invest'],
  address: ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe'],
  handle: ['$CashKing', '@venmo-user-22', '(202) 555-0143'],
  routingNumber: ['011000015', '021000021'],
  accountNumber: ['4455667788', '000123456789'],
  iban: ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000'],
  swift: ['DEUTDEFF', 'NWBKGB2L'],
  cardNumber: ['6006491286011234', 'X9ZQ-4RTP-7LMN'],
  mtcn: ['1234567890'],
  currency: ['USD', 'EUR', 'MXN'],
  country: ['US', 'MX'],
  code: ['INV-7K3M-9QXD-2HFA-8WN4'],
  claimId: ['CLM-7K3M-9QXD-2HFA-8WN4'],
  accessCode: ['AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG'],
};

/** Characters a field must refuse; `anywhere` ones even in free text. */
export const HOSTILE_CHARACTERS = [
  { text: '\u0000', anywhere: true },
  { text: '\u001b', anywhere: true },
  { text: '\u0007', anywhere: true },
  { text: '\ud800', anywhere: true },
  { text: '\udfff', anywhere: true },
  { text: '\n', anywhere: false },
  { text: '\t', anywhere: false },
  { text: '\u202e', anywhere: false },
  { text: '\u2066', anywhere: false },
] as const;

/** Odd but acceptable-or-refusable text: must never cause a 5xx or reach storage unclean. */
const ODD_TEXT = [
  '=HYPERLINK("http://evil")',
  '＝1+1',
  '\u200b@SUM(1)',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '💥🔥',
  'Jose\u0301',
  'ＡＢＣ１２３',
  ' ',
  '127.0.0.1',
  '250000',
  '0x7f.1',
  'a'.repeat(5000),
];

/** Free-text fields, where line breaks, tabs and bidi controls are allowed. */
export const MULTILINE_FIELDS = new Set(['narrative', 'description', 'reason']);

function arbitraryFrom(schema: JsonSchema, path: readonly string[]): fc.Arbitrary<unknown> {
  const name = [...path].reverse().find((p) => p !== '*') ?? '';
  const realistic = REALISTIC[name];
  const base = walk(schema, path);
  return realistic
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realistic) }, { weight: 1, arbitrary: base })
    : base;
}

function walk(schema: JsonSchema, path: readonly string[]): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((v) => arbitraryFrom(v, path)));
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, arbitraryFrom(value, [...path, key])]),
      );
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    case 'array':
      return fc.array(arbitraryFrom(schema.items ?? {}, [...path, '*']), {
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'string':
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('1990-01-01'), max: new Date(), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ unit: 'grapheme', maxLength: Math.min(schema.maxLength ?? 80, 120), minLength: 1 });
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
      return fc.integer({ min, max: Math.min(schema.maximum ?? 10_000_000, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({ noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Valid-shaped bodies for a zod schema (the domain may still refuse identifiers). */
export function bodiesFor(schema: z.core.$ZodType): fc.Arbitrary<Record<string, unknown>> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  return arbitraryFrom(json, []) as fc.Arbitrary<Record<string, unknown>>;
}

/** Paths of the string leaves of a value. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

export type FuzzKind = 'valid' | 'near-valid' | 'hostile';

export interface FuzzBody {
  kind: FuzzKind;
  /** The raw request body (JSON text, sometimes deliberately broken). */
  text: string;
  /** True when the body carries something every route must refuse. */
  mustRefuse: boolean;
}

/** Valid, near-valid and hostile bodies, in a fixed proportion, for one route's schema. */
export function fuzzBodies(
  schema: z.core.$ZodType,
  examples: readonly Record<string, unknown>[] = [],
): fc.Arbitrary<FuzzBody> {
  // Known-good bodies beside the generated ones, so hostile changes also reach the deeper steps.
  const valid =
    examples.length === 0 ? bodiesFor(schema) : fc.oneof(bodiesFor(schema), fc.constantFrom(...examples));
  const asValid = valid.map((b): FuzzBody => ({ kind: 'valid', text: JSON.stringify(b), mustRefuse: false }));
  const nearValid = fc
    .tuple(valid, fc.nat(), fc.constantFrom('drop', 'number', 'null', 'array', 'long', 'extra'))
    .map(([body, pick, how]): FuzzBody => {
      const keys = Object.keys(body);
      const key = keys.length > 0 ? keys[pick % keys.length]! : 'x';
      const changed: Record<string, unknown> = { ...body };
      if (how === 'drop') delete changed[key];
      else if (how === 'number') changed[key] = 12345;
      else if (how === 'null') changed[key] = null;
      else if (how === 'array') changed[key] = [changed[key]];
      else if (how === 'long') changed[key] = 'x'.repeat(70_000);
      else changed[`unexpected${pick % 7}`] = { nested: true };
      return { kind: 'near-valid', text: JSON.stringify(changed), mustRefuse: false };
    });
  const hostileCharacter = fc
    .tuple(valid, fc.nat(), fc.constantFrom(...HOSTILE_CHARACTERS), fc.nat())
    .map(([body, pick, hostile, at]): FuzzBody => {
      const leaves = stringLeaves(body).filter((p) => {
        const last = String(p[p.length - 1]);
        // Enumerations and patterns refuse anything else anyway; aim at the text fields.
        return ![
          'kind',
          'category',
          'method',
          'currency',
          'role',
          'state',
          'ageRange',
          'contactMethod',
          'date',
          'firstContactDate',
          'zip',
          'language',
          'country',
        ].includes(last);
      });
      if (leaves.length === 0) return { kind: 'hostile', text: JSON.stringify(body), mustRefuse: false };
      const path = leaves[pick % leaves.length]!;
      const field = String(path[path.length - 1]);
      const original = String(path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], body));
      const i = at % (original.length + 1);
      const text = original.slice(0, i) + hostile.text + original.slice(i);
      const mustRefuse = hostile.anywhere || !MULTILINE_FIELDS.has(field);
      return { kind: 'hostile', text: JSON.stringify(setAt(body, path, text)), mustRefuse };
    });
  const hostileOther = fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom(...ODD_TEXT),
      fc.constantFrom('leaf', 'proto', 'deep', 'broken', 'bigint'),
    )
    .map(([body, pick, odd, how]): FuzzBody => {
      if (how === 'proto')
        return {
          kind: 'hostile',
          text: JSON.stringify(body).replace(/^\{/, '{"__proto__":{"admin":true},'),
          mustRefuse: true,
        };
      if (how === 'deep')
        return { kind: 'hostile', text: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, mustRefuse: true };
      if (how === 'broken')
        return { kind: 'hostile', text: JSON.stringify(body).slice(0, -1), mustRefuse: true };
      if (how === 'bigint')
        return {
          kind: 'hostile',
          text: JSON.stringify(body).replace(/^\{/, '{"amountCents":1e400,'),
          mustRefuse: false,
        };
      const leaves = stringLeaves(body);
      if (leaves.length === 0) return { kind: 'hostile', text: JSON.stringify(body), mustRefuse: false };
      return {
        kind: 'hostile',
        text: JSON.stringify(setAt(body, leaves[pick % leaves.length]!, odd)),
        mustRefuse: false,
      };
    });
  return fc.oneof(
    { weight: 3, arbitrary: asValid },
    { weight: 2, arbitrary: nearValid },
    { weight: 3, arbitrary: hostileCharacter },
    { weight: 2, arbitrary: hostileOther },
  );
}

/** A stored string that should never be there: broken, with control characters, or not NFC. */
export function isMalformedStoredText(s: string): boolean {
  return !s.isWellFormed() || /[^\P{Cc}\t\n\r]/u.test(s) || s !== s.normalize('NFC');
}
