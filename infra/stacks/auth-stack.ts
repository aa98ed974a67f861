import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  type UserPoolResourceServer,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { type Role, TAXII_READ_SCOPE } from '#functions/routes.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { hostedSignInPrefix } from '../config/edge.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { protectsData, removalPolicyFor } from '../constructs/stage.ts';

export interface AuthStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/** Staff roles as Cognito groups; handlers check membership through the `cognito:groups` claim. */
const GROUPS: ReadonlyArray<{
  readonly role: Role;
  readonly description: string;
  readonly precedence: number;
}> = [
  {
    role: 'admin',
    description: 'Agency administrators: everything reviewers can do, plus administration',
    precedence: 0,
  },
  { role: 'reviewer', description: 'Agency staff who read and search reports', precedence: 10 },
];

/**
 * Sign-in for agency staff when the agency has no identity provider of its own
 * (`identityProvider.kind === 'cognito'`). Accounts are created by an administrator only.
 */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  /** Cognito's hosted sign-in for the console: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly hostedDomain: UserPoolDomain;
  /** The `iss` of this pool's tokens, as the API's JWT authorizer expects it. */
  readonly issuer: string;
  /** Grants `taxii/read` (routes.ts TAXII_READ_SCOPE) to partner agencies' machine clients. */
  readonly taxiiResourceServer: UserPoolResourceServer;
  /** One confidential client (client credentials) per partner in `sharing.partners`. */
  readonly partnerClients: readonly UserPoolClient[];

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;
    const threatProtection = config.cognitoThreatProtection;

    this.userPool = new UserPool(this, 'StaffUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // TOTP only: SMS codes can be SIM-swapped and cost money per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Threat protection ("advanced security") needs the Plus plan, billed per active user:
      // `cognitoThreatProtection` turns it on (the production example enforces it: risky
      // sign-ins are blocked and compromised passwords refused).
      featurePlan: threatProtection === 'off' ? FeaturePlan.ESSENTIALS : FeaturePlan.PLUS,
      ...(threatProtection === 'off'
        ? {}
        : {
            standardThreatProtectionMode:
              threatProtection === 'enforced'
                ? StandardThreatProtectionMode.FULL_FUNCTION
                : StandardThreatProtectionMode.AUDIT_ONLY,
          }),
      userInvitation: {
        emailSubject: `${config.agencyName}: your Restore staff account`,
        emailBody:
          'An administrator created a Restore staff account for you. Sign in as {username} with the temporary password {####} within 3 days and set up an authenticator app.',
      },
      userVerification: { emailStyle: VerificationEmailStyle.CODE },
      deletionProtection: protectsData(config),
      removalPolicy: removalPolicyFor(config),
    });

    if (threatProtection !== 'enforced')
      acknowledge(
        this.userPool,
        'AwsSolutions-COG8',
        'Threat protection needs the Cognito Plus plan, billed per monthly active user; staff sign-in already requires TOTP MFA. Agencies may opt in.',
      );

    for (const group of GROUPS) {
      this.userPool.addGroup(`${group.role}Group`, {
        groupName: group.role,
        description: group.description,
        precedence: group.precedence,
      });
    }

    // The agency console (web/src/console) signs in through Cognito's hosted sign-in with the
    // authorization code flow and PKCE, as a public client (no secret). It comes back to
    // /staff/ on the site's own domain (and any origin the deployment allows for development).
    this.hostedDomain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: hostedSignInPrefix(config) },
    });
    const consoleOrigins = [
      ...(config.customDomain ? [`https://${config.customDomain.domainName}`] : []),
      ...config.corsAllowedOrigins,
    ];
    const callbackUrls = (consoleOrigins.length > 0 ? consoleOrigins : ['http://localhost:3000']).map(
      (origin) => `${origin.replace(/\/$/, '')}/staff/`,
    );
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls,
        logoutUrls: callbackUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // Partner agencies read the TAXII API as machines: OAuth 2.0 client credentials against a
    // resource server whose one scope is the one the TAXII routes require.
    const [serverId = '', scopeName = ''] = TAXII_READ_SCOPE.split('/');
    const readScope = new ResourceServerScope({
      scopeName,
      scopeDescription: 'Read shared fraud indicators over TAXII 2.1',
    });
    this.taxiiResourceServer = this.userPool.addResourceServer('TaxiiResourceServer', {
      identifier: serverId,
      userPoolResourceServerName: 'Restore TAXII API',
      scopes: [readScope],
    });
    this.partnerClients = config.sharing.partners.map((partner) =>
      this.userPool.addClient(`Partner-${partner}`, {
        userPoolClientName: `partner-${partner}`,
        generateSecret: true,
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [OAuthScope.resourceServer(this.taxiiResourceServer, readScope)],
        },
        supportedIdentityProviders: [],
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        accessTokenValidity: Duration.hours(1),
      }),
    );
    if (this.partnerClients.length > 0) {
      // A user pool has one Cognito domain: partners call the token endpoint (/oauth2/token) on
      // the same hosted domain the console signs in through.
      new CfnOutput(this, 'PartnerTokenUrl', { value: `${this.hostedDomain.baseUrl()}/oauth2/token` });
    }
    for (const [i, client] of this.partnerClients.entries()) {
      new CfnOutput(this, `PartnerClientId${i}`, {
        description: `Client id of partner "${config.sharing.partners[i]}" (its secret: aws cognito-idp describe-user-pool-client)`,
        value: client.userPoolClientId,
      });
    }

    // The `iss` Cognito puts in its tokens (the same form CDK's HttpUserPoolAuthorizer uses).
    this.issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.consoleClient.userPoolClientId });
    new CfnOutput(this, 'Issuer', { value: this.issuer });
  }
}
