/**
 * What sharing export jobs need from AWS: their items, S3 for the file, SQS for their steps. In
 * its own module so the TAXII function, which shares the sharing settings, bundles neither client.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ExportFileBucket } from '#shared/storage/export-file-bucket.ts';
import { ExportJobRepository } from '#shared/storage/export-job-repository.ts';
import type { ExportJobDeps } from '#shared/use-cases/export-job.ts';
import { documentClient } from './clients.ts';
import { required } from './config.ts';
import { providedOr } from './provided.ts';
import { sharedIndicatorRepository } from './repositories.ts';
import { s3 } from './s3-client.ts';
import { sharingContext } from './sharing.ts';
import { sqs } from './sqs-client.ts';

export const exportJobDeps = (): ExportJobDeps => ({
  jobs: providedOr('exportJobs', () => new ExportJobRepository(documentClient, required('TABLE_NAME'))),
  files: providedOr('exportFiles', () => new ExportFileBucket(s3, required('ARTEFACT_BUCKET'))),
  queue: providedOr('exportQueue', () => {
    const queueUrl = required('SHARING_EXPORT_QUEUE_URL');
    return {
      async send(message) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
      },
    };
  }),
  source: sharedIndicatorRepository(),
  ctx: sharingContext(),
});
