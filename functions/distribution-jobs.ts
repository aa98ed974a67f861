/** What the distribution use cases need from AWS: S3 for artefacts, SQS for the job's steps. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ArtefactStore } from '#shared/storage/artefact-store.ts';
import type {
  ArtefactStore as ArtefactStoreInterface,
  DistributionDeps,
  JobQueue,
} from '#shared/use-cases/distribute.ts';
import { moneySettings, required } from './config.ts';
import { mailingClaimRepository } from './mail-outbox.ts';
import { providedOr } from './provided.ts';
import { distributionRepository, poolRepository } from './repositories.ts';
import { s3 } from './s3-client.ts';
import { sqs } from './sqs-client.ts';

export const artefactStore = (): ArtefactStoreInterface =>
  providedOr('artefacts', () => new ArtefactStore(s3, required('ARTEFACT_BUCKET')));

export const jobQueue = (): JobQueue =>
  providedOr('jobs', () => {
    const queueUrl = required('DISTRIBUTION_QUEUE_URL');
    return {
      async send(message) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
      },
    };
  });

export const distributionDeps = (): DistributionDeps => ({
  pools: poolRepository(),
  claims: mailingClaimRepository(),
  distributions: distributionRepository(),
  artefacts: artefactStore(),
  jobs: jobQueue(),
  settings: moneySettings(),
});
