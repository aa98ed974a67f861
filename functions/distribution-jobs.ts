/** What the distribution use cases need from AWS: S3 for artefacts, SQS for the job's steps. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ArtefactStore } from '#shared/storage/artefact-store.ts';
import { AuditRepository } from '#shared/storage/audit-repository.ts';
import { recordAudit } from '#shared/use-cases/audit-trail.ts';
import type {
  ArtefactStore as ArtefactStoreInterface,
  DistributionDeps,
  JobQueue,
} from '#shared/use-cases/distribute.ts';
import type { PaymentFileDeps } from '#shared/use-cases/payment-file-job.ts';
import { documentClient } from './clients.ts';
import { moneySettings, required } from './config.ts';
import { mailingClaimRepository } from './mail-outbox.ts';
import { payoutVault } from './payout-vault.ts';
import { providedOr } from './provided.ts';
import { distributionRepository, poolRepository, statsRepository } from './repositories.ts';
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
  // Job steps count their claims' moves once per step (use-cases/distribute.ts StepMoves).
  counts: statsRepository(),
  settings: moneySettings(),
});

/**
 * The worker also appends to the audit trail (a written payment file and its checksum), and opens
 * sealed account numbers for the file's rows (the only function allowed to).
 */
export const workerDeps = (): PaymentFileDeps => {
  const store = () =>
    providedOr('audit', () => new AuditRepository(documentClient, required('AUDIT_TABLE_NAME')));
  return {
    ...distributionDeps(),
    audit: { record: (event) => recordAudit(event, store()) },
    payoutVault: payoutVault(),
  };
};
