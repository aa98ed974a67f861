import type { StackProps } from 'aws-cdk-lib';
import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '#functions/routes.ts';
import { mailQueue } from '#shared/storage/tables.ts';
import type { DeploymentConfig } from '../config/deployment.ts';
import { acknowledge } from '../constructs/acknowledge.ts';
import { createFunction, type MailSender } from '../constructs/function-access.ts';
import { addQueueWorker } from '../constructs/queue-worker.ts';
import type { RestoreFunction } from '../constructs/restore-function.ts';
import { removalPolicyFor } from '../constructs/stage.ts';
import type { DataStack } from './data-stack.ts';

/** Mail is not urgent: a few senders at once keep SES well under its sending rate. */
export const MAX_MAILER_CONCURRENCY = 2;

/** SES's events on the default bus, as EventBridge names them. */
export const SES_EVENT_DETAIL_TYPES = ['Email Sent', 'Email Bounced', 'Email Complaint Received'];

export interface MailStackProps extends StackProps {
  readonly config: DeploymentConfig & { email: NonNullable<DeploymentConfig['email']> };
  readonly data: DataStack;
}

/**
 * E-mail (docs/email.md): the outbox queue and its dead-letter queue, the mailer that sends what
 * it promises through SES, the sending identity (a domain signed with DKIM) and a configuration set
 * whose sent, bounce and complaint events reach the mailEvents function through EventBridge (it
 * marks sent mail in the ledger and suppresses bad addresses). The API, enrichment and
 * distribution stacks send intents.
 */
export class MailStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly consumers: ReadonlyMap<FunctionName, RestoreFunction>;
  readonly events: RestoreFunction;
  readonly eventsDeadLetterQueue: Queue;
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: MailStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const { email } = config;
    const removalPolicy = removalPolicyFor(config);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // SES also keeps these addresses on the account's list and refuses to send to them.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    // Sent: the ledger learns SES took a mail even if the mailer died before saying so.
    this.configurationSet.addEventDestination('MailEvents', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(email.domain),
      configurationSet: this.configurationSet,
    });

    const sender: MailSender = {
      identityArn: this.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: this.identity.emailIdentityName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      configurationSetArn: this.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      configurationSetName: this.configurationSet.configurationSetName,
      fromAddress: email.fromAddress,
      siteUrl: email.siteUrl ?? `https://${config.customDomain?.domainName}`,
    };

    const worker = addQueueWorker(this, {
      config,
      queueName: 'mailQueue',
      definition: mailQueue,
      key: data.key,
      logEncryptionKey: data.opsKey,
      removalPolicy,
      maxConcurrency: MAX_MAILER_CONCURRENCY,
      deadLetterReason:
        'This is the dead-letter queue: a mail that failed every retry waits here; redriving it sends it at most once (the ledger keeps its id).',
      resources: (queue) => ({
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
        mailQueue: queue,
        mailSender: sender,
      }),
    });
    this.queue = worker.queue;
    this.deadLetterQueue = worker.deadLetterQueue;
    this.consumers = worker.consumers;

    this.events = createFunction(this, 'mailEvents', {
      config,
      logEncryptionKey: data.opsKey,
      resources: {
        mainTable: data.mainTable,
        idempotencyTable: data.idempotencyTable,
        indicatorKey: data.indicatorKey,
      },
    });
    this.eventsDeadLetterQueue = new Queue(this, 'MailEventsDlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(
      this.eventsDeadLetterQueue,
      'Serverless-SQSRedrivePolicy',
      'This is the dead-letter queue of SES events EventBridge could not deliver; replaying one suppresses the address (suppressing twice is harmless).',
    );
    acknowledge(
      this.eventsDeadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge target (bounce and complaint events that failed every retry), so it has none of its own.',
    );
    new Rule(this, 'MailEventsRule', {
      description: 'Sent, bounce and complaint events of the Restore configuration set -> mailEvents',
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_EVENT_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.events.fn, {
          deadLetterQueue: this.eventsDeadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    new CfnOutput(this, `${mailQueue.id}DlqUrl`, {
      description: 'Dead-letter queue of mails that failed every retry',
      value: this.deadLetterQueue.queueUrl,
    });
    // Publish these three CNAMEs in the domain's DNS so SES can verify it and sign with DKIM.
    const dkim = [
      [this.identity.dkimDnsTokenName1, this.identity.dkimDnsTokenValue1],
      [this.identity.dkimDnsTokenName2, this.identity.dkimDnsTokenValue2],
      [this.identity.dkimDnsTokenName3, this.identity.dkimDnsTokenValue3],
    ];
    dkim.forEach(([name, value], i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} for ${email.domain}: name -> value`,
        value: `${name} -> ${value}`,
      });
    });
  }
}
