/**
 * Checks HTTP exchanges against the served OpenAPI document with ajv (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses): the operation exists, the status is declared, the content type is one the
 * status declares, the body validates, declared headers validate and the headers a client acts on
 * (Retry-After, Link, ETag, WWW-Authenticate...) are declared where they are sent. A 2xx answer
 * also means the request was valid, so its parameters and body are checked against the contract
 * too. Used by test/support/local-stack.ts on every response the integration and e2e suites see.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface Exchange {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Headers that carry meaning for a client: sending one the contract does not declare is drift. */
const MEANINGFUL_HEADERS = [
  'retry-after',
  'link',
  'etag',
  'www-authenticate',
  'content-disposition',
  'x-next-cursor',
  'location',
];

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { headers?: Record<string, HeaderObject> };
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, ResponseObject>;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: unknown;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema: unknown }>;
}
interface HeaderObject {
  required?: boolean;
  schema: unknown;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface ContractChecker {
  /** Problems with this exchange (empty when it keeps the contract); undefined when no operation matches. */
  check(exchange: Exchange): { operation: string; problems: string[] } | undefined;
}

export function contractChecker(document: unknown): ContractChecker {
  const spec = document as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  // Parameters arrive as text: "25" must pass as the integer it stands for.
  const coercing = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true });
  addFormats.default(coercing);
  ajv.addSchema(spec as object, 'openapi.json');
  coercing.addSchema(spec as object, 'openapi.json');
  const compiled = new Map<string, ValidateFunction>();
  const validator = (at: string, coerce = false): ValidateFunction => {
    const key = `${coerce}:${at}`;
    let v = compiled.get(key);
    if (!v) {
      v = (coerce ? coercing : ajv).compile({ $ref: `openapi.json#/${at}` });
      compiled.set(key, v);
    }
    return v;
  };
  const errorsOf = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(root)'} ${e.message}`)
      .join('; ');

  const templates = Object.keys(spec.paths).map((template) => {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        const m = /^\{(.+)\}$/.exec(segment);
        if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '([^/]+)';
      })
      .join('/');
    // Literal segments outrank parameters, as API Gateway routes them.
    const rank = template.split('/').map((s) => (s.startsWith('{') ? 1 : 0));
    return { template, pattern: new RegExp(`^${source}$`), names, rank };
  });
  templates.sort((a, b) => {
    for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
      const d = a.rank[i]! - b.rank[i]!;
      if (d !== 0) return d;
    }
    return 0;
  });

  const resolveHeader = (h: HeaderObject | { $ref: string }): { object: HeaderObject; at: string } => {
    if ('$ref' in h) {
      const name = h.$ref.split('/').pop()!;
      return { object: spec.components!.headers![name]!, at: pointer('components', 'headers', name) };
    }
    return { object: h, at: '' };
  };

  return {
    check(ex) {
      const url = new URL(ex.url, 'http://localhost');
      const path = url.pathname;
      const method = ex.method.toUpperCase() === 'HEAD' ? 'get' : ex.method.toLowerCase();
      const matches = templates
        .map((t) => ({ t, m: t.pattern.exec(path) }))
        .filter((x): x is { t: (typeof templates)[number]; m: RegExpExecArray } => x.m !== null);
      const found = matches.find((x) => spec.paths[x.t.template]?.[method]);
      if (!found) return undefined;
      const { t, m } = found;
      const op = spec.paths[t.template]![method]!;
      const opAt = pointer('paths', t.template, method);
      const operation = `${ex.method.toUpperCase()} ${t.template}`;
      const problems: string[] = [];
      const say = (what: string) => problems.push(`${operation} -> ${ex.status}: ${what}`);

      const response = op.responses[String(ex.status)];
      if (!response) {
        say(`status ${ex.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`);
        return { operation, problems };
      }
      const responseAt = `${opAt}/responses/${ex.status}`;

      // Headers: declared ones validate; meaningful ones sent must be declared.
      const declared = new Map(
        Object.entries(response.headers ?? {}).map(([name, h]) => [name.toLowerCase(), resolveHeader(h)]),
      );
      for (const name of MEANINGFUL_HEADERS) {
        if (ex.headers[name] !== undefined && !declared.has(name))
          say(`header ${name} is sent but not declared`);
      }
      for (const [name, { object, at }] of declared) {
        const value = ex.headers[name];
        if (value === undefined) {
          if (object.required) say(`required header ${name} is missing`);
          continue;
        }
        const v = validator(`${at}/schema`, true);
        if (!v(value)) say(`header ${name}: ${JSON.stringify(value)} ${errorsOf(v)}`);
      }

      // Body: the content type is declared for this status and the body validates.
      const isHead = ex.method.toUpperCase() === 'HEAD';
      const content = response.content ?? {};
      // A declared media type may carry parameters (application/taxii+json;version=2.1): match the
      // full type first, else the type without parameters.
      const normalise = (t: string) => t.toLowerCase().replace(/\s+/g, '');
      const sentFull = normalise(ex.headers['content-type'] ?? '');
      const sentType = sentFull.split(';')[0]!;
      const declaredType =
        Object.keys(content).find((k) => normalise(k) === sentFull) ??
        Object.keys(content).find((k) => normalise(k).split(';')[0] === sentType);
      if (isHead) {
        if (ex.body.length > 0) say('HEAD answered with a body');
      } else if (ex.body.length === 0) {
        if (Object.keys(content).length > 0 && ex.status !== 304) say('empty body where content is declared');
      } else if (!declaredType) {
        say(
          `content type "${sentType}" is not declared (declared: ${Object.keys(content).join(', ') || 'none'})`,
        );
      } else {
        const text = ex.body.toString('utf8');
        let value: unknown = text;
        if (/[/+]json$/.test(sentType)) {
          try {
            value = JSON.parse(text);
          } catch {
            say('body is not JSON');
            return { operation, problems };
          }
        }
        const v = validator(`${responseAt}/content/${pointer(declaredType)}/schema`);
        if (!v(value)) say(`body ${errorsOf(v)}`);
      }

      // A 2xx answer means the request was valid: its parameters and body must fit the contract.
      if (ex.status >= 200 && ex.status < 300) {
        const parameters = op.parameters ?? [];
        const given = (p: Parameter): string | undefined => {
          if (p.in === 'path') return decodeURIComponent(m[t.names.indexOf(p.name) + 1] ?? '');
          if (p.in === 'query') return url.searchParams.get(p.name) ?? undefined;
          if (p.in === 'header') {
            const h = ex.requestHeaders[p.name.toLowerCase()];
            return Array.isArray(h) ? h.join(',') : h;
          }
          return undefined;
        };
        parameters.forEach((p, i) => {
          const value = given(p);
          if (value === undefined) {
            if (p.required) say(`request parameter ${p.name} is required but was not sent`);
            return;
          }
          const v = validator(`${opAt}/parameters/${i}/schema`, true);
          if (!v(value)) say(`request ${p.in} parameter ${p.name}=${JSON.stringify(value)} ${errorsOf(v)}`);
        });
        for (const name of url.searchParams.keys()) {
          if (!parameters.some((p) => p.in === 'query' && p.name === name))
            say(`query parameter ${name} is not declared`);
        }
        const bodySchema = op.requestBody?.content['application/json'];
        if (bodySchema && ex.requestBody.length > 0) {
          const v = validator(`${opAt}/requestBody/content/${pointer('application/json')}/schema`);
          let body: unknown;
          try {
            body = JSON.parse(ex.requestBody.toString('utf8'));
          } catch {
            body = undefined;
          }
          if (!v(body)) say(`request body ${errorsOf(v)}`);
        }
      }
      return { operation, problems };
    },
  };
}
