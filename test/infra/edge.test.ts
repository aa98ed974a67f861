import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import {
  apiPathPatterns,
  builtSettingsDiffer,
  contentSecurityPolicy,
  pathPatternMatches,
  publicApiPaths,
  sitePages,
  siteRequestFunctionCode,
  siteResponseFunctionCode,
  siteSourceDir,
} from '#infra/config/edge.ts';
import { COUNT_ONLY_RULES, MANAGED_RULE_GROUPS, wafMetricNames } from '#infra/stacks/waf-stack.ts';
import type { CfnResource, Synthesised } from './support.ts';
import {
  example,
  json,
  logicalId,
  onlyResourceOfType,
  PLACEHOLDER_SITE_DIR,
  resourcesOfType,
  synthesise,
} from './support.ts';

let dev: Synthesised;
let prod: Synthesised;
let staging: Synthesised;

beforeAll(() => {
  [dev, prod, staging] = synthesise([example('dev'), example('prod'), example('staging')]) as [
    Synthesised,
    Synthesised,
    Synthesised,
  ];
});

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  FunctionAssociations?: unknown[];
}
interface DistributionConfig {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    CustomOriginConfig?: Record<string, unknown>;
  }[];
  Logging: { Bucket: unknown; Prefix: string; IncludeCookies: boolean };
  WebACLId: unknown;
  Aliases?: string[];
  ViewerCertificate?: Record<string, unknown>;
  DefaultRootObject: string;
}
interface WafRule {
  Name: string;
  Priority: number;
  Statement: {
    RateBasedStatement?: unknown;
    ManagedRuleGroupStatement?: { Name: string; VendorName: string; RuleActionOverrides?: unknown };
  };
  Action?: unknown;
  OverrideAction?: unknown;
}
const wafRules = (s: Synthesised) =>
  onlyResourceOfType(s.waf, 'AWS::WAFv2::WebACL').Properties!['Rules'] as WafRule[];

interface SecurityHeaders {
  StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains: boolean };
  ContentTypeOptions: unknown;
  FrameOptions: unknown;
  ReferrerPolicy: unknown;
  ContentSecurityPolicy: { ContentSecurityPolicy: string };
}
interface PolicyStatement {
  Effect: string;
  Action: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const distribution = (s: Synthesised) =>
  onlyResourceOfType(s.edge, 'AWS::CloudFront::Distribution').Properties![
    'DistributionConfig'
  ] as DistributionConfig;

describe('WAF web ACL', () => {
  it('always lives in us-east-1 with CLOUDFRONT scope, whatever the deployment region', () => {
    for (const s of [dev, prod, staging]) {
      expect(s.deployment.waf.region).toBe('us-east-1');
      s.waf.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
      });
    }
    expect(staging.deployment.edge.region).toBe('us-west-2');
  });

  it('rate-limits each IP address to the configured requests per 5 minutes, answering 429', () => {
    for (const s of [dev, prod]) {
      const rate = wafRules(s).find((r) => r.Statement.RateBasedStatement)!;
      expect(rate.Priority).toBe(0);
      expect(rate.Statement.RateBasedStatement).toEqual({
        Limit: s.deployment.config.wafRateLimit,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
      });
      expect(rate.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429 } } });
    }
  });

  it('applies the AWS managed common, known-bad-inputs and IP reputation rule groups', () => {
    const groups = wafRules(dev).filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((r) => r.Statement.ManagedRuleGroupStatement!.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    expect(MANAGED_RULE_GROUPS).toEqual(
      expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']),
    );
    for (const r of groups) {
      expect(r.Statement.ManagedRuleGroupStatement!.VendorName).toBe('AWS');
      expect(r.OverrideAction).toEqual({ None: {} });
    }
    const common = groups.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!;
    expect(common.Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toEqual(
      COUNT_ONLY_RULES.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
    );
  });

  it('logs only blocked and counted requests, with tokens, cookies and query strings redacted', () => {
    for (const s of [dev, staging]) {
      const logging = onlyResourceOfType(s.waf, 'AWS::WAFv2::LoggingConfiguration').Properties!;
      expect(logging['ResourceArn']).toEqual({ 'Fn::GetAtt': ['WebAcl', 'Arn'] });
      expect(JSON.stringify(logging['LogDestinationConfigs'])).toContain(
        `log-group:aws-waf-logs-restore-${s.deployment.config.envName}`,
      );
      expect(logging['RedactedFields']).toEqual([
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { QueryString: {} },
      ]);
      expect(logging['LoggingFilter']).toMatchObject({ DefaultBehavior: 'DROP' });
      s.waf.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `aws-waf-logs-restore-${s.deployment.config.envName}`,
        RetentionInDays: s.deployment.config.logRetentionDays,
        KmsKeyId: Match.anyValue(),
      });
    }
  });

  it('alarms when blocked requests spike, to a topic that e-mails where configured', () => {
    for (const s of [dev, prod]) {
      const alarm = onlyResourceOfType(s.waf, 'AWS::CloudWatch::Alarm').Properties!;
      expect(alarm).toMatchObject({
        Namespace: 'AWS/WAFV2',
        MetricName: 'BlockedRequests',
        Threshold: s.deployment.config.wafRateLimit,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarm['Dimensions']).toEqual(
        expect.arrayContaining([
          { Name: 'WebACL', Value: wafMetricNames(s.deployment.config).webAcl },
          { Name: 'Rule', Value: 'ALL' },
        ]),
      );
      expect((alarm['AlarmActions'] as unknown[]).length).toBe(1);
    }
    dev.waf.resourceCountIs('AWS::SNS::Subscription', 0);
    prod.waf.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: example('prod').alarmEmail,
    });
  });

  it('reaches CloudFront by a plain reference in us-east-1 and through SSM across regions', () => {
    expect(JSON.stringify(distribution(dev).WebACLId)).toContain('Fn::ImportValue');
    expect(resourcesOfType(dev.waf, 'Custom::CrossRegionExportWriter')).toHaveLength(0);
    expect(JSON.stringify(distribution(staging).WebACLId)).toContain('ExportsReader');
    expect(resourcesOfType(staging.waf, 'Custom::CrossRegionExportWriter')).toHaveLength(1);
    expect(staging.deployment.edge.dependencies).toContain(staging.deployment.waf);
  });
});

describe('CloudFront distribution', () => {
  it('serves the site from the private bucket through origin access control', () => {
    const config = distribution(dev);
    const siteOrigin = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId)!;
    expect(siteOrigin.DomainName).toEqual({
      'Fn::GetAtt': [logicalId(dev.deployment.edge.siteBucket), 'RegionalDomainName'],
    });
    expect(siteOrigin.OriginAccessControlId).toBeDefined();
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const associations = (config.DefaultCacheBehavior.FunctionAssociations ?? []) as { EventType: string }[];
    expect(associations.map((f) => f.EventType)).toEqual(['viewer-request', 'viewer-response']);
    expect(config.DefaultRootObject).toBe('index.html');
    dev.edge.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
  });

  it('sends exactly the API paths of the route table to the API, uncached, with every viewer header but Host', () => {
    const config = distribution(dev);
    expect(apiPathPatterns(routes)).toEqual(expect.arrayContaining(['/health', '/openapi.json', '/v1/*']));
    expect(config.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(
      [...new Set([...apiPathPatterns(routes), ...publicApiPaths(routes)])].sort(),
    );
    const cached = publicApiPaths(routes);
    const apiOrigin = config.Origins.find((o) => o.Id === config.CacheBehaviors[0]!.TargetOriginId)!;
    expect(apiOrigin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.us-east-1.');
    for (const b of config.CacheBehaviors.filter((b) => !cached.includes(b.PathPattern!))) {
      expect(b, b.PathPattern).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ViewerProtocolPolicy: 'https-only',
      });
      expect(b.AllowedMethods).toEqual(
        expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']),
      );
    }
  });

  it('caches only the public answers (contract, programme list), for as long as their Cache-Control says', () => {
    const config = distribution(dev);
    const cached = publicApiPaths(routes);
    expect(cached.sort()).toEqual(['/openapi.json', '/v1/pools']);
    // First, so they win over /v1/*; the same API origin and viewer headers as the rest.
    expect(config.CacheBehaviors.slice(0, cached.length).map((b) => b.PathPattern)).toEqual(cached);
    const policies = new Set(
      config.CacheBehaviors.slice(0, cached.length).map((b) => JSON.stringify(b.CachePolicyId)),
    );
    expect(policies.size).toBe(1);
    for (const b of config.CacheBehaviors.slice(0, cached.length)) {
      expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    }
    dev.edge.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 300,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
        }),
      }),
    });
  });

  it('matches every route to an API behaviour and no page of the site', () => {
    const patterns = apiPathPatterns(routes);
    for (const route of routes) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'x');
      expect(
        patterns.some((p) => pathPatternMatches(p, concrete)),
        route.path,
      ).toBe(true);
    }
    for (const page of ['/', '/index.html', '/report/', '/es/report/', '/status/', '/config.json']) {
      expect(
        patterns.some((p) => pathPatternMatches(p, page)),
        page,
      ).toBe(false);
    }
    expect(() => apiPathPatterns([{ method: 'GET', path: '/{id}', fn: 'meta', auth: 'public' }])).toThrow(
      /fixed first segment/,
    );
  });

  it('logs to the log bucket without cookies', () => {
    for (const s of [dev, prod]) {
      expect(distribution(s).Logging).toEqual({
        Bucket: { 'Fn::GetAtt': [logicalId(s.deployment.edge.logBucket), 'RegionalDomainName'] },
        IncludeCookies: false,
        Prefix: 'cloudfront/',
      });
    }
  });

  it('uses the custom domain with TLS 1.2 (2021 policy) when a certificate is configured', () => {
    const config = distribution(prod);
    const custom = example('prod').customDomain!;
    expect(config.Aliases).toEqual([custom.domainName]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: custom.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(distribution(dev).Aliases).toBeUndefined();
  });
});

describe('security headers', () => {
  const policy = (s: Synthesised) =>
    onlyResourceOfType(s.edge, 'AWS::CloudFront::ResponseHeadersPolicy').Properties![
      'ResponseHeadersPolicyConfig'
    ] as {
      SecurityHeadersConfig: SecurityHeaders;
      CustomHeadersConfig: { Items: { Header: string; Value: string }[] };
    };

  it('apply to every behaviour, site and API', () => {
    const config = distribution(dev);
    const id = { Ref: logicalId(dev.deployment.edge.node.findChild('SecurityHeaders')) };
    for (const b of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(b.ResponseHeadersPolicyId).toEqual(id);
  });

  it('set HSTS for at least a year with subdomains, nosniff, DENY framing and a referrer policy', () => {
    const headers = policy(dev).SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(headers.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
  });

  it('send a CSP that allows only the site’s own code, no inline script, no framing', () => {
    for (const s of [dev, staging]) {
      // The buckets' addresses are known at deploy time only: a join with their domain names,
      // the uploads bucket (claimants' documents), then the artefact bucket (staff's results files).
      const raw = policy(s).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as unknown as {
        'Fn::Join': [string, unknown[]];
      };
      const [separator, parts] = raw['Fn::Join'];
      const tokens = parts.filter((p) => typeof p !== 'string');
      expect(tokens).toHaveLength(2);
      for (const t of tokens) expect(JSON.stringify(t)).toContain('RegionalDomainName');
      const names = ['uploads.s3.region.amazonaws.com', 'artefacts.s3.region.amazonaws.com'];
      let n = 0;
      const csp = parts.map((p) => (typeof p === 'string' ? p : names[n++])).join(separator);
      expect(csp).toBe(
        contentSecurityPolicy(s.deployment.config, [
          'https://uploads.s3.region.amazonaws.com',
          'https://artefacts.s3.region.amazonaws.com',
        ]),
      );
      const connect = csp.split('; ').find((d) => d.startsWith('connect-src'));
      expect(connect).toContain('https://uploads.s3.region.amazonaws.com');
      expect(connect).toContain('https://artefacts.s3.region.amazonaws.com');
      const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(["'self'", "'none'"]).toContain(directives.get('default-src')![0]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
    expect(contentSecurityPolicy(example('dev'))).toContain('https://cognito-idp.us-east-1.amazonaws.com');
    expect(contentSecurityPolicy(example('staging'))).toContain('https://sso.example.gov');
  });
});

describe('buckets', () => {
  it('encrypts the site bucket with its own rotated key and logs its access to the log bucket', () => {
    const bucket = json(dev.edge).Resources[logicalId(dev.deployment.edge.siteBucket)]!;
    const sse = (
      bucket.Properties!['BucketEncryption'] as {
        ServerSideEncryptionConfiguration: {
          ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: unknown };
        }[];
      }
    ).ServerSideEncryptionConfiguration[0]!;
    expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(JSON.stringify(sse.ServerSideEncryptionByDefault.KMSMasterKeyID)).toContain('SiteKey');
    expect(bucket.Properties!['LoggingConfiguration']).toEqual({
      DestinationBucketName: { Ref: logicalId(dev.deployment.edge.logBucket) },
      LogFilePrefix: 's3-access/site/',
    });
    dev.edge.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets only this distribution read the site bucket', () => {
    const policy = resourcesOfType(dev.edge, 'AWS::S3::BucketPolicy').find(([, p]) =>
      JSON.stringify(p.Properties!['Bucket']).includes(logicalId(dev.deployment.edge.siteBucket)),
    )![1] as CfnResource;
    const allow = (policy.Properties!['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement.find(
      (st) => st.Effect === 'Allow' && JSON.stringify(st.Principal).includes('cloudfront.amazonaws.com'),
    );
    expect(allow!.Action).toBe('s3:GetObject');
    expect(JSON.stringify(allow!.Condition)).toContain(logicalId(dev.deployment.edge.distribution));
  });

  it('keeps access logs for the log retention, and removes buckets with the stack only in dev', () => {
    for (const s of [dev, prod]) {
      const logBucket = json(s.edge).Resources[logicalId(s.deployment.edge.logBucket)]!;
      expect(JSON.stringify(logBucket.Properties!['LifecycleConfiguration'])).toContain(
        `"ExpirationInDays":${s.deployment.config.logRetentionDays}`,
      );
    }
    expect(json(prod.edge).Resources[logicalId(prod.deployment.edge.siteBucket)]!.DeletionPolicy).toBe(
      'Retain',
    );
    expect(json(dev.edge).Resources[logicalId(dev.deployment.edge.siteBucket)]!.DeletionPolicy).toBe(
      'Delete',
    );
    dev.edge.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    prod.edge.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('website deployment', () => {
  const deployment = (s: Synthesised) =>
    onlyResourceOfType(s.edge, 'Custom::CDKBucketDeployment').Properties!;

  /** The config.json a deployment writes, with CloudFormation's deploy-time values shown as JSON. */
  function writtenConfig(s: Synthesised): Record<string, unknown> {
    const props = deployment(s);
    const keys = props['SourceObjectKeys'] as string[];
    const markers = props['SourceMarkers'] as Record<string, unknown>[];
    const index = keys.length - 1;
    let text = readFileSync(
      join(s.assemblyDir, `asset.${keys[index]!.replace(/\.zip$/, '')}`, 'config.json'),
      'utf8',
    );
    for (const [marker, value] of Object.entries(markers[index]!)) {
      text = text.replaceAll(
        marker,
        typeof value === 'string' ? value : `\${${JSON.stringify(value).replaceAll('"', "'")}}`,
      );
    }
    return JSON.parse(text);
  }

  it('uploads the site and a config.json naming its API, then invalidates CloudFront', () => {
    const props = deployment(dev);
    expect(props['SourceObjectKeys']).toHaveLength(2);
    expect(props['DistributionPaths']).toEqual(['/*']);
    expect(props['Prune']).toBe(true);
    expect(writtenConfig(prod)).toMatchObject({
      apiBaseUrl: 'https://reports.example.gov',
      environment: 'prod',
      agencyName: example('prod').agencyName,
      phone: example('prod').agencyPhone,
      phoneHours: example('prod').agencyPhoneHours,
      auth: { kind: 'cognito', region: 'us-east-1' },
    });
    expect(writtenConfig(dev)['apiBaseUrl']).toMatch(/^https:\/\/\$\{.*Distribution.*DomainName.*\}$/);
    expect(writtenConfig(staging)['auth']).toEqual({
      kind: 'oidc',
      issuer: 'https://sso.example.gov/oauth2/restore',
      clientId: 'restore-staging-console',
      groupsClaim: 'groups',
    });
  });

  it('ships the placeholder page when the site has not been built', () => {
    const key = (deployment(dev)['SourceObjectKeys'] as string[])[0]!.replace(/\.zip$/, '');
    const staged = readFileSync(join(dev.assemblyDir, `asset.${key}`, 'index.html'), 'utf8');
    expect(staged).toBe(readFileSync(join(PLACEHOLDER_SITE_DIR, 'index.html'), 'utf8'));
  });

  it('uses web/dist once it has been built, else the placeholder', () => {
    const root = mkdtempSync(join(tmpdir(), 'restore-site-'));
    expect(siteSourceDir(root)).toBe(join(root, 'infra', 'site-placeholder'));
    mkdirSync(join(root, 'web', 'dist'), { recursive: true });
    expect(siteSourceDir(root)).toBe(join(root, 'infra', 'site-placeholder'));
    writeFileSync(join(root, 'web', 'dist', 'index.html'), '<!doctype html>');
    expect(siteSourceDir(root)).toBe(join(root, 'web', 'dist'));
    expect(siteSourceDir(root, 'elsewhere')).toBe(join(root, 'elsewhere'));
  });
});

describe('site routing at the edge (the CloudFront Functions code, run as CloudFront would)', () => {
  const pages = ['/', '/es/', '/es/report/', '/report/'];
  type Handler = (event: unknown) => { uri?: string; statusCode?: number };
  const load = (code: string) => runInNewContext(`${code}\nhandler`, {}) as Handler;
  const request = load(siteRequestFunctionCode(pages));
  const response = load(siteResponseFunctionCode(pages));
  const served = (uri: string) => request({ request: { uri } }).uri;
  const status = (uri: string) => response({ request: { uri }, response: { statusCode: 200 } }).statusCode;

  it('serves index.html for a page, with or without its slash', () => {
    expect(served('/')).toBe('/index.html');
    expect(served('/report/')).toBe('/report/index.html');
    expect(served('/report')).toBe('/report/index.html');
    expect(served('/es/report/index.html')).toBe('/es/report/index.html');
    expect(status('/report/')).toBe(200);
  });

  it('leaves files to S3 and sends unknown pages the 404 page, with status 404, in their language', () => {
    expect(served('/assets/site-abc.css')).toBe('/assets/site-abc.css');
    expect(status('/assets/site-abc.css')).toBe(200);
    expect(served('/no-such-page/')).toBe('/404.html');
    expect(served('/claims')).toBe('/404.html');
    expect(served('/es/nada/')).toBe('/es/404.html');
    expect(served('/old.html')).toBe('/404.html');
    for (const uri of ['/no-such-page/', '/es/nada', '/404.html', '/es/404.html'])
      expect(status(uri), uri).toBe(404);
  });

  it('finds the pages of a built site: every directory with an index.html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'restore-pages-'));
    mkdirSync(join(dir, 'es', 'report'), { recursive: true });
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '');
    writeFileSync(join(dir, 'es', 'report', 'index.html'), '');
    writeFileSync(join(dir, 'assets', 'a.js'), '');
    expect(sitePages(dir)).toEqual(['/', '/es/report/']);
  });
});

describe('the agency settings written into the built pages', () => {
  it('says which of the name, phone and hours differ from the deployment, and nothing when they agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'restore-built-'));
    const deployment = {
      agencyName: 'Example State Attorney General',
      agencyPhone: '1-800-555-0100',
      agencyPhoneHours: 'Monday to Friday, 8 a.m. to 6 p.m.',
    };
    expect(builtSettingsDiffer(dir, deployment)).toBeUndefined();
    writeFileSync(
      join(dir, 'site-settings.json'),
      JSON.stringify({
        en: {
          agencyName: deployment.agencyName,
          phone: deployment.agencyPhone,
          phoneHours: deployment.agencyPhoneHours,
        },
      }),
    );
    expect(builtSettingsDiffer(dir, deployment)).toBeUndefined();
    writeFileSync(join(dir, 'site-settings.json'), JSON.stringify({ en: { agencyName: 'Another Office' } }));
    expect(builtSettingsDiffer(dir, deployment)).toBe(
      'the agency name "Another Office", the phone "", the hours ""',
    );
  });
});
