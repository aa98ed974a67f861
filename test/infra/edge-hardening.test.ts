/**
 * The front door in the synthesized templates: the API refuses what did not come through
 * CloudFront, per-client limits see the viewer's address, public and staff routes have their own
 * throttles, the WAF's XSS and path rules spare the free-text forms only, every log group masks
 * personal data, and tracing stays off unless a deployment asks for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_HEADER, VIEWER_ADDRESS_HEADER } from '#functions/http/edge.ts';
import { routes } from '#functions/routes.ts';
import { ORIGIN_VERIFY_ENV, THROTTLES } from '#infra/stacks/api-stack.ts';
import { BODY_RULE_LABELS, FREE_TEXT_FORM_PATHS } from '#infra/stacks/waf-stack.ts';
import {
  deployedFunctions,
  example,
  json,
  logicalId,
  onlyResourceOfType,
  resourcesOfType,
  type Synthesised,
  synthesise,
} from './support.ts';

let dev: Synthesised;
let active: Synthesised;

beforeAll(() => {
  const [a, b] = synthesise([example('dev'), { ...example('prod'), envName: 'traced', tracing: 'active' }]);
  dev = a!;
  active = b!;
});

/** The secret's logical id inside a dynamic reference, e.g. {{resolve:secretsmanager:<Ref>...}}. */
const refersToSecret = (value: unknown, secretId: string) => {
  const text = JSON.stringify(value);
  return text.includes('{{resolve:secretsmanager:') && text.includes(secretId);
};

describe('the execute-api address cannot bypass CloudFront', () => {
  it('gives every API function the origin secret, resolved at deploy time', () => {
    const secretId = logicalId(dev.deployment.api.originSecret);
    const apiFunctions = deployedFunctions(dev).filter((f) => f.stack === dev.deployment.api);
    expect(apiFunctions.length).toBeGreaterThan(5);
    for (const f of apiFunctions) {
      const env = json(f.template).Resources[f.functionId]!.Properties!['Environment'] as {
        Variables: Record<string, unknown>;
      };
      expect(refersToSecret(env.Variables[ORIGIN_VERIFY_ENV], secretId), f.name).toBe(true);
    }
  });

  it('has CloudFront send it to the API origin, and only there', () => {
    const config = onlyResourceOfType(dev.edge, 'AWS::CloudFront::Distribution').Properties![
      'DistributionConfig'
    ] as {
      Origins: { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
      DefaultCacheBehavior: { TargetOriginId: string };
    };
    const api = config.Origins.filter((o) => o.Id !== config.DefaultCacheBehavior.TargetOriginId);
    const site = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId)!;
    expect(api).toHaveLength(1);
    const header = api[0]!.OriginCustomHeaders?.find((h) => h.HeaderName === ORIGIN_HEADER);
    // The edge stack imports the secret's ARN from the API stack.
    expect(JSON.stringify(header?.HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(site.OriginCustomHeaders).toBeUndefined();
  });
});

describe("per-client limits key on the viewer's address", () => {
  it('every API behaviour runs the function that forwards it', () => {
    const config = onlyResourceOfType(dev.edge, 'AWS::CloudFront::Distribution').Properties![
      'DistributionConfig'
    ] as { CacheBehaviors: { FunctionAssociations?: { FunctionARN: unknown }[] }[] };
    const [functionId, fn] = resourcesOfType(dev.edge, 'AWS::CloudFront::Function').find(([, r]) =>
      String((r.Properties as { FunctionCode: string }).FunctionCode).includes(VIEWER_ADDRESS_HEADER),
    )!;
    expect(String((fn.Properties as { FunctionCode: string }).FunctionCode)).toContain('event.viewer.ip');
    expect(config.CacheBehaviors.length).toBeGreaterThan(0);
    for (const behaviour of config.CacheBehaviors) {
      expect(JSON.stringify(behaviour.FunctionAssociations ?? [])).toContain(functionId);
    }
  });
});

describe('throttles', () => {
  it('sets every route its own limits: public routes one pair, staff routes another', () => {
    const stage = onlyResourceOfType(dev.api, 'AWS::ApiGatewayV2::Stage').Properties!;
    const settings = stage['RouteSettings'] as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    for (const route of routes) {
      const expected = route.auth === 'public' ? THROTTLES.public : THROTTLES.staff;
      expect(settings[`${route.method} ${route.path}`], `${route.method} ${route.path}`).toEqual({
        ThrottlingRateLimit: expected.rateLimit,
        ThrottlingBurstLimit: expected.burstLimit,
      });
    }
    expect(THROTTLES.staff).not.toEqual(THROTTLES.public);
  });
});

describe('WAF body rules', () => {
  interface Rule {
    Name: string;
    Statement: Record<string, unknown>;
    Action?: unknown;
  }
  const rules = () => onlyResourceOfType(dev.waf, 'AWS::WAFv2::WebACL').Properties!['Rules'] as Rule[];

  it('only counts the XSS and path-traversal body rules inside the common rule set', () => {
    const common = rules().find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!;
    const overrides = JSON.stringify(common.Statement);
    for (const rule of ['CrossSiteScripting_BODY', 'GenericLFI_BODY']) {
      expect(overrides).toContain(`{"ActionToUse":{"Count":{}},"Name":"${rule}"}`);
    }
  });

  it('blocks on their labels everywhere but the free-text forms', () => {
    const rule = rules().find((r) => r.Name === 'BodyRulesOutsideForms')!;
    expect(rule.Action).toEqual({ Block: {} });
    const text = JSON.stringify(rule.Statement);
    for (const label of BODY_RULE_LABELS) expect(text).toContain(label);
    for (const path of FREE_TEXT_FORM_PATHS) expect(text).toContain(`"SearchString":"${path}"`);
    expect(text).toContain('NotStatement');
    const common = rules().findIndex((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    expect(rules().indexOf(rule)).toBeGreaterThan(common);
  });
});

describe('CloudWatch Logs data protection', () => {
  it('masks e-mail, phone, card and account numbers in every log group of every stack', () => {
    let groups = 0;
    for (const template of dev.all) {
      for (const [id, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
        groups += 1;
        const policy = JSON.stringify(group.Properties?.['DataProtectionPolicy'] ?? null);
        for (const name of ['EmailAddress', 'PhoneNumber-US', 'CreditCardNumber', 'BankAccountNumber-US']) {
          expect(policy, id).toContain(`data-identifier/${name}`);
        }
        expect(policy, id).toContain('Deidentify');
      }
    }
    expect(groups).toBeGreaterThan(10);
  });
});

describe('tracing', () => {
  const modes = (s: Synthesised) =>
    deployedFunctions(s).map(
      (f) =>
        (json(f.template).Resources[f.functionId]!.Properties!['TracingConfig'] as { Mode: string }).Mode,
    );

  it('records no traces by default, and samples when a deployment asks for it', () => {
    expect(new Set(modes(dev))).toEqual(new Set(['PassThrough']));
    expect(new Set(modes(active))).toEqual(new Set(['Active']));
  });
});
