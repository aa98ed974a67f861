/** The distribution use cases wired to a local stack's table, bucket and queue, for tests and bench. */

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '#local/runtime.ts';
import { ArtefactStore } from '#shared/storage/artefact-store.ts';
import { ClaimRepository } from '#shared/storage/claim-repository.ts';
import { DistributionRepository } from '#shared/storage/distribution-repository.ts';
import { PoolRepository } from '#shared/storage/pool-repository.ts';
import { StatsRepository } from '#shared/storage/stats-repository.ts';
import { artefactBucket, distributionQueue, mainTable } from '#shared/storage/tables.ts';
import type { DistributionDeps } from '#shared/use-cases/distribute.ts';

export function distributionDepsFor(runtime: LocalRuntime): DistributionDeps {
  const { aws } = runtime;
  const doc = DynamoDBDocumentClient.from(aws.dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const table = aws.tableNames[mainTable.id]!;
  const sqs = aws.sqsClient();
  const queueUrl = aws.queueUrls[distributionQueue.id]!.url;
  return {
    pools: new PoolRepository(doc, table),
    claims: new ClaimRepository(doc, table),
    distributions: new DistributionRepository(doc, table),
    artefacts: new ArtefactStore(aws.s3Client(), aws.bucketNames[artefactBucket.id]!),
    jobs: {
      async send(message) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
      },
    },
    counts: new StatsRepository(doc, table),
    settings: { approvers: 2, returnedPaymentWaitDays: 90 },
  };
}
