import type { CfnElement, StackProps } from 'aws-cdk-lib';
import { Annotations, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { BehaviorOptions } from 'aws-cdk-lib/aws-cloudfront';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { ORIGIN_HEADER, VIEWER_ADDRESS_HEADER } from '#functions/http/edge.ts';
import { routes } from '#functions/routes.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import {
  apiPathPatterns,
  builtSettingsDiffer,
  contentSecurityPolicy,
  HSTS_MAX_AGE_DAYS,
  PERMISSIONS_POLICY,
  publicApiPaths,
  SITE_DIR_CONTEXT_KEY,
  sitePages,
  siteRequestFunctionCode,
  siteResponseFunctionCode,
  siteSourceDir,
  uploadOrigin,
} from '../config/edge.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { REPO_ROOT } from '../constructs/bundling.ts';
import { giveHelperFunctionsLogGroups } from '../constructs/helper-function-logs.ts';
import { RestoreKey } from '../constructs/restore-key.ts';
import { protectsData, removalPolicyFor } from '../constructs/stage.ts';
import type { ApiStack } from './api-stack.ts';
import type { AuthStack } from './auth-stack.ts';
import type { DataStack } from './data-stack.ts';

/** Where each kind of access log lands in the log bucket. */
export const LOG_PREFIXES = { cloudfront: 'cloudfront/', siteBucket: 's3-access/site/' } as const;

/** How long an old version of a site file (or log) stays recoverable after being replaced. */
const NONCURRENT_VERSION_DAYS = 30;

/** The runtime configuration the website reads from /config.json (web/src/app/config.ts). */
export interface WebConfig {
  /** The site's own origin: CloudFront sends the API paths of functions/routes.ts to the API. */
  readonly apiBaseUrl: string;
  readonly environment: string;
  readonly agencyName: string;
  readonly phone?: string;
  readonly phoneHours?: string;
  /** How staff sign in from the browser (public identifiers only). */
  readonly auth:
    | {
        readonly kind: 'cognito';
        readonly region: string;
        readonly userPoolId: string;
        readonly clientId: string;
      }
    | {
        readonly kind: 'oidc';
        readonly issuer: string;
        readonly clientId: string;
        readonly groupsClaim: string;
      };
}

export interface EdgeStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly auth?: AuthStack;
  /** The WAF web ACL (us-east-1; a cross-region reference when this stack is elsewhere). */
  readonly webAclArn: string;
}

/**
 * What the public sees: one CloudFront distribution (behind the WAF) serving the website from a
 * private, KMS-encrypted bucket through origin access control, and the API paths of
 * functions/routes.ts from the HTTP API, uncached except the public answers routes.ts marks
 * `cache: 'public'` (kept as briefly as their Cache-Control says). Every response carries the
 * security headers.
 * Access logs of CloudFront and of the site bucket go to a log bucket.
 */
export class EdgeStack extends Stack {
  readonly distribution: Distribution;
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;
  readonly siteUrl: string;
  readonly webConfig: WebConfig;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, api } = props;
    const removalPolicy = removalPolicyFor(config);
    const autoDeleteObjects = !protectsData(config);

    this.logBucket = new Bucket(this, 'LogBucket', {
      // S3 server access logging only delivers to SSE-S3 buckets; CloudFront standard logs need
      // ACLs (bucket owner preferred) because they are written by the awslogsdelivery account.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          expiration: Duration.days(config.logRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
    acknowledge(
      this.logBucket,
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'S3 server access logging delivers only to buckets encrypted with SSE-S3 (AES-256); SSE-KMS is not supported for a log target. Logs hold no report content (docs/security.md).',
    );
    acknowledge(
      this.logBucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Access logs are kept in the deployment region only, for the configured log retention; cross-region copies of visitor IP addresses would widen their exposure without an operational need.',
    );

    const siteKey = new RestoreKey(this, 'SiteKey', {
      config,
      description: "encrypts the website bucket and the edge stack's deploy-time logs",
      forLogs: true,
    });
    const key = siteKey.key;
    this.siteBucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: LOG_PREFIXES.siteBucket,
      removalPolicy,
      autoDeleteObjects,
    });
    acknowledge(
      this.siteBucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'The bucket holds only the built website, which is rebuilt from the repository and redeployed by cdk deploy; versioning keeps the previous files for 30 days.',
    );

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Restore ${config.envName}: security headers on every response`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(HSTS_MAX_AGE_DAYS),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: {
          // Browsers post to two buckets: claimants' documents, and staff's large results files.
          contentSecurityPolicy: contentSecurityPolicy(config, [
            uploadOrigin(props.data.uploadBucket.bucketRegionalDomainName),
            uploadOrigin(props.data.artefactBucket.bucketRegionalDomainName),
          ]),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
      removeHeaders: ['Server'],
    });

    // S3 serves objects, not directories: `/report/` and `/report` both mean /report/index.html;
    // an address that is no page of the site gets the 404 page (with status 404) in its language.
    // Distribution-wide custom error responses would also rewrite the API's own 403/404 answers.
    const siteDir = siteSourceDir(REPO_ROOT, this.node.tryGetContext(SITE_DIR_CONTEXT_KEY));
    const sitePageList = sitePages(siteDir);
    const differs = builtSettingsDiffer(siteDir, config);
    if (differs)
      Annotations.of(this).addWarningV2(
        'restore:site-settings',
        `The built pages show ${differs}, not this deployment's: build with RESTORE_DEPLOYMENT=${config.envName} npm run build:web (docs/deploy.md).`,
      );
    const directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      comment: 'Serves index.html for directory paths of the static site, and the 404 page for others',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(siteRequestFunctionCode(sitePageList)),
    });
    const notFoundStatus = new CloudFrontFunction(this, 'NotFoundStatus', {
      comment: 'Sends the 404 page of the static site with status 404',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(siteResponseFunctionCode(sitePageList)),
    });

    // The viewer's address for the API's per-client limits: behind CloudFront the API sees an
    // edge server's address, shared by everyone that edge serves. Set on every API request,
    // overwriting whatever a client sent under that name.
    const viewerAddress = new CloudFrontFunction(this, 'ViewerAddress', {
      comment: 'Forwards the viewer IP to the API for per-client limits',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          `  event.request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };`,
          '  return event.request;',
          '}',
        ].join('\n'),
      ),
    });

    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(api.originDomainName, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        // The API refuses requests without it: its execute-api address cannot bypass the WAF.
        customHeaders: { [ORIGIN_HEADER]: api.originSecretValue.unsafeUnwrap() },
      }),
      functionAssociations: [{ function: viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST }],
      // An API answers over HTTPS only: redirecting a POST would drop its body.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every viewer header but Host (API Gateway routes on its own host name), so the
      // Authorization header, Idempotency-Key and the query string reach the API.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
      compress: true,
    };

    // Public answers that hold no personal data (routes marked `cache: 'public'`: the contract,
    // the programme list) are cached as briefly as the API's Cache-Control says and revalidated
    // with their ETag. Origin is in the key because CORS answers echo it.
    const publicApiCache = new CachePolicy(this, 'PublicApiCache', {
      comment: `Restore ${config.envName}: public API answers, for as long as their Cache-Control says`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
      headerBehavior: CacheHeaderBehavior.allowList('Origin'),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const publicApiBehavior: BehaviorOptions = { ...apiBehavior, cachePolicy: publicApiCache };

    const certificate = config.customDomain
      ? Certificate.fromCertificateArn(this, 'Certificate', config.customDomain.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Restore ${config.envName}: website and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [
          { function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST },
          { function: notFoundStatus, eventType: FunctionEventType.VIEWER_RESPONSE },
        ],
      },
      // Exact cached paths first: CloudFront takes the first behaviour whose pattern matches.
      additionalBehaviors: Object.fromEntries([
        ...publicApiPaths(routes).map((path) => [path, publicApiBehavior] as const),
        ...apiPathPatterns(routes)
          .filter((pattern) => !publicApiPaths(routes).includes(pattern))
          .map((pattern) => [pattern, apiBehavior] as const),
      ]),
      ...(config.customDomain && certificate
        ? {
            domainNames: [config.customDomain.domainName],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America and Europe edges: the portal's public is in the US; the cheapest class.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: LOG_PREFIXES.cloudfront,
      logIncludesCookies: false,
      webAclId: props.webAclArn,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: victims include people abroad (service members, travellers, relatives filing for someone); abuse is limited by the WAF rate limit and managed rules instead.',
    );
    // The OAC origin lets CloudFront decrypt with the site key. The key policy cannot name this
    // distribution (key -> bucket -> distribution -> key would be a cycle), so it names every
    // distribution of this account; the bucket policy still admits only this one.
    acknowledge(
      siteKey,
      'Annotation::@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      'The site key lets CloudFront decrypt for any distribution of this account (the key policy cannot name this one without a cycle); the bucket policy admits only this distribution, and the bucket holds only the public website.',
    );
    if (!config.customDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'No customDomain is configured, so CloudFront serves its default *.cloudfront.net certificate, whose minimum TLS version cannot be raised. Setting customDomain (docs/deploy.md) applies TLSv1.2_2021.',
      );
    }

    this.siteUrl = `https://${config.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
    this.webConfig = {
      apiBaseUrl: this.siteUrl,
      environment: config.envName,
      agencyName: config.agencyName,
      ...(config.agencyPhone ? { phone: config.agencyPhone } : {}),
      ...(config.agencyPhoneHours ? { phoneHours: config.agencyPhoneHours } : {}),
      auth:
        config.identityProvider.kind === 'cognito'
          ? {
              kind: 'cognito',
              region: config.region,
              userPoolId: requireAuth(props.auth).userPool.userPoolId,
              clientId: requireAuth(props.auth).consoleClient.userPoolClientId,
            }
          : {
              kind: 'oidc',
              issuer: config.identityProvider.issuer,
              clientId: config.identityProvider.audience[0]!,
              groupsClaim: config.identityProvider.groupsClaim,
            },
    };

    const deployLogs = new LogGroup(this, 'SiteDeploymentLogs', {
      retention: config.logRetentionDays as RetentionDays,
      encryptionKey: key,
      removalPolicy,
    });
    const deployment = new BucketDeployment(this, 'SiteDeployment', {
      sources: [
        // The build's own config.json (for `npm start`) is replaced by this deployment's.
        Source.asset(siteDir, {
          exclude: ['config.json'],
        }),
        Source.jsonData('config.json', this.webConfig),
      ],
      destinationBucket: this.siteBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
      logGroup: deployLogs,
    });
    acknowledgeSiteDeployment(this, deployment, this.siteBucket);

    giveHelperFunctionsLogGroups(this, config, key);

    new CfnOutput(this, 'SiteUrl', { description: 'The portal: website and API', value: this.siteUrl });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', {
      description: 'Point the custom domain here (CNAME or Route 53 alias)',
      value: this.distribution.distributionDomainName,
    });
  }
}

function requireAuth(auth: AuthStack | undefined): AuthStack {
  if (!auth)
    throw new Error('identityProvider.kind is "cognito" but no AuthStack was given to the EdgeStack');
  return auth;
}

/**
 * BucketDeployment brings CDK's own upload function (Python with the AWS CLI, run by
 * CloudFormation during `cdk deploy`, never by a visitor) and its role. cdk-nag sees them as
 * ordinary resources; each finding is acknowledged on the one function, role or policy it
 * concerns. The function is a singleton per stack (one per memory size).
 */
function acknowledgeSiteDeployment(stack: Stack, deployment: BucketDeployment, bucket: Bucket): void {
  const fn = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!fn)
    throw new Error(
      "BucketDeployment: CDK's upload function was not found; update acknowledgeSiteDeployment",
    );
  const cfnFunction = fn.node.findChild('Resource');
  const role = deployment.handlerRole.node.findChild('Resource');
  const policy = deployment.handlerRole.node.findChild('DefaultPolicy').node.findChild('Resource');
  const deployOnly =
    "CDK's BucketDeployment function runs only while CloudFormation deploys the site (copying the built files into the bucket and invalidating CloudFront), never for a visitor";

  acknowledge(
    cfnFunction,
    'AwsSolutions-L1',
    `${deployOnly}; aws-cdk-lib pins its Python runtime and updates it with the library.`,
  );
  acknowledge(
    cfnFunction,
    'Serverless-LambdaLatestVersion',
    `${deployOnly}; aws-cdk-lib pins its Python runtime and updates it with the library.`,
  );
  acknowledge(
    cfnFunction,
    'Serverless-LambdaTracing',
    `${deployOnly}; its role (AWS-managed basic execution) has no X-Ray permission and tracing a file copy has no operational value.`,
  );
  acknowledge(
    cfnFunction,
    'NIST.800.53.R5-LambdaConcurrency',
    `${deployOnly}; CloudFormation invokes it once per deploy, so there is no load to cap.`,
  );
  acknowledge(
    cfnFunction,
    'NIST.800.53.R5-LambdaDLQ',
    `${deployOnly}; CloudFormation invokes it and waits for its answer, and a failure fails (and rolls back) the deploy.`,
  );
  acknowledge(
    cfnFunction,
    'Serverless-LambdaDLQ',
    `${deployOnly}; CloudFormation invokes it and waits for its answer, and a failure fails (and rolls back) the deploy.`,
  );
  acknowledge(
    cfnFunction,
    'NIST.800.53.R5-LambdaInsideVPC',
    `${deployOnly}; it talks only to S3 and CloudFront APIs over TLS with IAM-signed requests.`,
  );
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${deployOnly}; aws-cdk-lib attaches the basic execution policy (write its own logs) to the role it creates.`,
  );
  acknowledge(
    policy,
    'NIST.800.53.R5-IAMNoInlinePolicy',
    `${deployOnly}; aws-cdk-lib generates this policy for the function's role alone.`,
  );

  // IAM5: the object-level wildcards of CDK's grants, on the site bucket, its key and the
  // bootstrap asset bucket (where `cdk deploy` uploaded the zipped site).
  const qualifier = stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds';
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  const wildcards: [string, string][] = [
    ['Action::s3:GetObject*', 'reads the zipped site and the existing files (object and version reads)'],
    ['Action::s3:GetBucket*', "reads the buckets' location and settings before syncing"],
    ['Action::s3:List*', 'lists the existing files to prune the ones the new build dropped'],
    ['Action::s3:DeleteObject*', 'prunes files the new build dropped from the site bucket'],
    ['Action::s3:Abort*', 'aborts its own multipart uploads when a copy fails'],
    ['Action::kms:ReEncrypt*', 'writes objects encrypted with the site key'],
    ['Action::kms:GenerateDataKey*', 'writes objects encrypted with the site key'],
    [`Resource::<${bucketId}.Arn>/*`, 'works on the objects of the site bucket, and only that bucket'],
    [
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${stack.region}/*`,
      'reads the zipped site from the CDK bootstrap asset bucket of this account and region',
    ],
    [
      'Resource::*',
      "creates and reads CloudFront invalidations. Those actions do accept a distribution ARN, but aws-cdk-lib's BucketDeployment writes this grant itself with Resource '*' and has no option to name the distribution",
    ],
  ];
  for (const [finding, what] of wildcards) {
    acknowledge(policy, `AwsSolutions-IAM5[${finding}]`, `${deployOnly}; it ${what}.`);
  }
}
