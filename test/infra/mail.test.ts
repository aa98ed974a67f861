/**
 * E-mail as deployed (docs/email.md): the outbox queue and its dead-letter queue, the SES
 * configuration set and identity, bounce and complaint events reaching the suppression function,
 * and least privilege (SendEmail only for the mailer, only on the identity and configuration set,
 * only from the configured address; only the functions that record intents may send to the queue).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { functions, VISIBILITY_TIMEOUT_FACTOR } from '#functions/routes.ts';
import { DeploymentConfigError, parseDeployment } from '#infra/config/deployment.ts';
import { mailQueue } from '#shared/storage/tables.ts';
import type { DeployedFunction, Synthesised } from './support.ts';
import {
  actionsOf,
  deployedFunctions,
  example,
  json,
  logicalId,
  mentions,
  onlyResourceOfType,
  policyStatements,
  resourcesOfType,
  synthesise,
} from './support.ts';

let prod: Synthesised;
let withoutMail: Synthesised;

beforeAll(() => {
  const { email: _none, ...noEmail } = example('dev');
  const both = synthesise([example('prod'), { ...noEmail, envName: 'nomail' }]);
  prod = both[0]!;
  withoutMail = both[1]!;
});

const envOf = (f: DeployedFunction): Record<string, unknown> =>
  ((
    json(f.template).Resources[f.functionId]!.Properties!['Environment'] as {
      Variables?: Record<string, unknown>;
    }
  )?.Variables ?? {}) as Record<string, unknown>;

describe('mail queue', () => {
  it('is encrypted with the data key, dead-letters after maxReceiveCount, and outlasts the mailer 6 times', () => {
    const t = prod.mail!;
    const queue = json(t).Resources[logicalId(prod.deployment.mail!.queue)]!.Properties!;
    const dlqId = logicalId(prod.deployment.mail!.deadLetterQueue);
    expect(queue['VisibilityTimeout']).toBe(VISIBILITY_TIMEOUT_FACTOR * functions.mailer.timeoutSeconds);
    expect(queue['RedrivePolicy']).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: mailQueue.maxReceiveCount,
    });
    expect(queue['MessageRetentionPeriod']).toBe(14 * 86_400);
    for (const [, q] of resourcesOfType(t, 'AWS::SQS::Queue')) {
      expect(mentions(q.Properties!['KmsMasterKeyId'], 'DataKey')).toBe(true);
    }
    const mapping = onlyResourceOfType(t, 'AWS::Lambda::EventSourceMapping').Properties!;
    expect(mapping['FunctionResponseTypes']).toEqual(['ReportBatchItemFailures']);
    expect(mentions(mapping['EventSourceArn'], logicalId(prod.deployment.mail!.queue))).toBe(true);
  });

  it('is sent to only by the functions that record intents, and read only by the mailer', () => {
    const on = (f: DeployedFunction, action: string) =>
      policyStatements(f.template, f.policyId).some(
        (st) => actionsOf(st).includes(action) && mentions(st.Resource, 'MailQueue'),
      );
    const fns = deployedFunctions(prod);
    for (const f of fns) {
      const access = functions[f.name].access as { mailQueue?: string };
      expect(on(f, 'sqs:SendMessage'), `${f.name} sends`).toBe(access.mailQueue === 'send');
      expect(on(f, 'sqs:ReceiveMessage'), `${f.name} receives`).toBe(f.name === 'mailer');
      expect('MAIL_QUEUE_URL' in envOf(f), `${f.name} env`).toBe(access.mailQueue !== undefined);
    }
    // Every writer of claim changes and invitations is among them.
    for (const name of [
      'claims',
      'adminClaims',
      'adminPools',
      'adminDistributions',
      'distributionWorker',
      'enrich',
    ])
      expect(
        fns.find((f) => f.name === name && on(f, 'sqs:SendMessage')),
        name,
      ).toBeDefined();
  });
});

describe('SES', () => {
  it('has a configuration set that requires TLS and suppresses bounces and complaints', () => {
    const set = onlyResourceOfType(prod.mail!, 'AWS::SES::ConfigurationSet').Properties!;
    expect(set['SuppressionOptions']).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });
    expect(set['DeliveryOptions']).toMatchObject({ TlsPolicy: 'REQUIRE' });
  });

  it('sends sent, bounce and complaint events to EventBridge, and a rule hands ours to mailEvents', () => {
    const dest = onlyResourceOfType(prod.mail!, 'AWS::SES::ConfigurationSetEventDestination').Properties!;
    const d = dest['EventDestination'] as Record<string, unknown>;
    expect(d['MatchingEventTypes']).toEqual(['send', 'bounce', 'complaint']);
    expect(mentions(d['EventBridgeDestination'], 'event-bus/default')).toBe(true);
    const rule = onlyResourceOfType(prod.mail!, 'AWS::Events::Rule').Properties!;
    expect(rule['EventPattern']).toMatchObject({
      source: ['aws.ses'],
      'detail-type': ['Email Sent', 'Email Bounced', 'Email Complaint Received'],
    });
    const setId = resourcesOfType(prod.mail!, 'AWS::SES::ConfigurationSet')[0]![0];
    expect(mentions(rule['EventPattern'], setId)).toBe(true);
    const target = (rule['Targets'] as Record<string, unknown>[])[0]!;
    expect(mentions(target['Arn'], logicalId(prod.deployment.mail!.events.fn))).toBe(true);
    expect(target['DeadLetterConfig']).toBeDefined();
  });

  it('verifies the configured domain with DKIM and makes it send through the configuration set', () => {
    const identity = onlyResourceOfType(prod.mail!, 'AWS::SES::EmailIdentity').Properties!;
    expect(identity['EmailIdentity']).toBe(prod.deployment.config.email!.domain);
    expect(identity['ConfigurationSetAttributes']).toBeDefined();
    expect(
      Object.keys(json(prod.mail!).Outputs ?? {}).filter((k) => k.startsWith('DkimRecord')),
    ).toHaveLength(3);
  });

  it('lets only the mailer send, with ses:SendEmail alone, on the identity and configuration set, from our address', () => {
    for (const f of deployedFunctions(prod)) {
      const ses = policyStatements(f.template, f.policyId).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('ses:')),
      );
      if (f.name !== 'mailer') {
        expect(ses, f.name).toEqual([]);
        continue;
      }
      expect(ses).toHaveLength(1);
      const [st] = ses;
      expect(actionsOf(st!)).toEqual(['ses:SendEmail']);
      const resources = st!.Resource as unknown[];
      expect(resources).toHaveLength(2);
      expect(mentions(resources, ':identity/')).toBe(true);
      expect(mentions(resources, ':configuration-set/')).toBe(true);
      expect(JSON.stringify(resources)).not.toContain('*');
      expect(st!.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': prod.deployment.config.email!.fromAddress },
      });
      expect(envOf(f)).toMatchObject({
        MAIL_FROM: 'no-reply@reports.example.gov',
        MAIL_SITE_URL: 'https://reports.example.gov',
      });
    }
  });
});

describe('a deployment without e-mail', () => {
  it('has no mail stack, and its functions record no intents', () => {
    expect(withoutMail.deployment.mail).toBeUndefined();
    const fns = deployedFunctions(withoutMail);
    expect(fns.some((f) => f.name === 'mailer')).toBe(false);
    for (const f of fns) expect('MAIL_QUEUE_URL' in envOf(f), f.name).toBe(false);
  });
});

describe('the email setting', () => {
  const base = {
    agencyName: 'Example Attorney General',
    region: 'us-east-1',
    stage: 'dev',
    logRetentionDays: 14,
    reportRetentionDays: 30,
    identityProvider: { kind: 'cognito' },
    corsAllowedOrigins: [],
  };
  const errorFor = (email: unknown) => {
    try {
      parseDeployment('staging', { ...base, email });
    } catch (e) {
      expect(e).toBeInstanceOf(DeploymentConfigError);
      return (e as Error).message;
    }
    throw new Error('expected the config to be rejected');
  };

  it('wants the from address on the sending domain, and a site to link to', () => {
    expect(
      errorFor({ domain: 'a.example.gov', fromAddress: 'x@b.example.gov', siteUrl: 'https://a.example.gov' }),
    ).toContain('email.fromAddress');
    expect(errorFor({ domain: 'a.example.gov', fromAddress: 'x@a.example.gov' })).toContain('email.siteUrl');
    expect(errorFor({ domain: 'https://a.example.gov', fromAddress: 'x@a.example.gov' })).toContain(
      'email.domain',
    );
  });
});
