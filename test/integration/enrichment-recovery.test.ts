/**
 * "A report answered with 202 is stored exactly once, even if the consumer crashes mid-batch."
 * The consumer's steps are idempotent single-item writes; here we stop it after every possible
 * prefix of its writes (the state a crash would leave) and check that redelivering the message
 * always ends in the same, complete state. Also: a queue outage answers 503 and keeps nothing.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReportId } from '#shared/domain/ids.ts';
import { linksOf } from '#shared/domain/report.ts';
import { reportReceivedMessage } from '#shared/messages/report-received.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/support/events.ts';
import { makeReportBody, TEST_KEY } from '#test/support/factories.ts';
import { type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

let stack: LocalStack;
let repo: ReportRepository;
let enrich: (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.pausePoller();
  repo = new ReportRepository(DynamoDBDocumentClient.from(stack.dynamo), stack.tableNames.main);
  ({ handler: enrich } = (await import('#functions/enrich/handler.ts')) as unknown as {
    handler: (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>;
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function partition(pk: string) {
  const res = await stack.dynamo.send(
    new QueryCommand({
      TableName: stack.tableNames.main,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
    }),
  );
  return res.Items ?? [];
}

describe('enrichment after a crash at any point', () => {
  const { content } = validateReport(makeReportBody(), TEST_KEY);
  const links = linksOf(content);
  // The consumer's writes in order: each link, then the status update. Plus intake's RECEIVED write.
  const steps = links.length + 1;

  for (let done = 0; done <= steps; done++) {
    it(`repairs the state left after ${done} of ${steps} writes (with and without intake's write)`, async () => {
      for (const intakeWrote of [true, false]) {
        const reportId = newReportId();
        const receivedAt = new Date().toISOString();
        const message = reportReceivedMessage(reportId, receivedAt, content);
        if (intakeWrote) await repo.putReceived(reportId, receivedAt, content);
        if (done > 0)
          await repo.putLinks(reportId, receivedAt, content, links.slice(0, Math.min(done, links.length)));
        if (done > links.length) await repo.markEnriched(reportId, receivedAt, content, receivedAt);

        // Redelivery (twice, as SQS may) completes the work.
        for (let i = 0; i < 2; i++) {
          const res = await enrich(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('enrich'));
          expect(res.batchItemFailures).toEqual([]);
        }
        const stored = await repo.get(reportId);
        expect(stored?.status).toBe('ENRICHED');
        expect(stored?.content).toEqual(content);
        expect(await partition(`REPORT#${reportId}`)).toHaveLength(1);
        for (const link of links) {
          const items = (await partition(`IND#${link.type}#${link.value}`)).filter(
            (i) => i['reportId']?.S === reportId,
          );
          expect(items).toHaveLength(1);
        }
      }
    });
  }
});

describe('queue outage', () => {
  it('answers 503 and writes nothing when the queue cannot take the report', async () => {
    await stack.sqs.send(new DeleteQueueCommand({ QueueUrl: stack.queueUrls.enrichment }));
    const month = `REPORTS#${new Date().toISOString().slice(0, 7)}`;
    const before = await stack.dynamo.send(
      new QueryCommand({
        TableName: stack.tableNames.main,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: month } },
        Select: 'COUNT',
      }),
    );
    const res = await fetch(`${stack.baseUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(makeReportBody()),
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('SERVICE_UNAVAILABLE');
    expect(body.detail).toMatch(/nothing was saved/);
    const after = await stack.dynamo.send(
      new QueryCommand({
        TableName: stack.tableNames.main,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: month } },
        Select: 'COUNT',
      }),
    );
    expect(after.Count).toBe(before.Count);
  });
});
