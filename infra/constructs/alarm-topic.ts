import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.ts';
import { acknowledge } from './acknowledge.ts';

export interface AlarmTopicProps {
  readonly config: DeploymentConfig;
  /** A key whose policy lets CloudWatch alarms publish (RestoreKey `forAlarms`). */
  readonly key: IKey;
  readonly displayName: string;
}

/**
 * Where alarms go: an encrypted, TLS-only topic, always created (so every alarm has an action
 * and operators can subscribe a pager or chat tool later), with the configured e-mail subscribed.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.config.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.config.alarmEmail));
      const subscription = this.topic.node.children.find((c) => c.node.id === props.config.alarmEmail);
      if (subscription) {
        acknowledge(
          subscription,
          'Serverless-SNSRedrivePolicy',
          'An e-mail that cannot be delivered after SNS retries has nowhere useful to go: the alarm itself stays in ALARM state in CloudWatch and on the dashboard, where operators look first.',
        );
      }
    }
  }
}
