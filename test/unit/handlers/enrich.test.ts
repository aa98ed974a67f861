import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newReportId } from '#shared/domain/ids.ts';
import { newPoolId } from '#shared/domain/secrets.ts';
import { reportReceivedMessage } from '#shared/messages/report-received.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/support/events.ts';
import { makeReportBody, TEST_KEY, wallets } from '#test/support/factories.ts';

process.env['TABLE_NAME'] = 'main';
process.env['AWS_REGION'] = 'us-east-1';
process.env['ENRICHMENT_QUEUE_URL'] = 'https://sqs.us-east-1.amazonaws.com/000000000000/enrichment';

const docMock = mockClient(DynamoDBDocumentClient);
type Handler = (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

beforeAll(async () => {
  ({ handler } = (await import('#functions/enrich/handler.ts')) as unknown as { handler: Handler });
});

beforeEach(() => {
  docMock.reset();
  docMock.on(PutCommand).resolves({});
  docMock.on(UpdateCommand).resolves({});
});

function validMessage() {
  const { content } = validateReport(makeReportBody(), TEST_KEY);
  return reportReceivedMessage(newReportId(), new Date().toISOString(), content);
}

describe('enrichment consumer', () => {
  it('writes one index item per distinct identifier, then marks the report ENRICHED', async () => {
    const message = validMessage();
    const res = await handler(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('enrich'));
    expect(res.batchItemFailures).toEqual([]);
    const puts = docMock.commandCalls(PutCommand).map((c) => c.args[0].input.Item!);
    // wallet (payment) + phone + email + domain (contacts)
    expect(puts.map((p) => p['pk']).sort()).toEqual(
      [
        `IND#crypto-wallet#btc:${wallets.btc}`,
        'IND#domain#irs-payments.co.uk',
        'IND#email#agent@irs-payments.example.com',
        'IND#phone#+12025550143',
      ].sort(),
    );
    expect(puts.every((p) => p['sk'] === `REPORT#${message.reportId}`)).toBe(true);
    const wallet = puts.find((p) => String(p['pk']).startsWith('IND#crypto-wallet'))!;
    expect(wallet['paid']).toEqual([{ currency: 'USD', amountCents: 250000 }]);
    const updates = docMock.commandCalls(UpdateCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args[0].input.ExpressionAttributeValues![':enriched']).toBe('ENRICHED');
    // the status update comes after every link write
    const order = docMock.calls().map((c) => c.args[0].constructor.name);
    expect(order.lastIndexOf('PutCommand')).toBeLessThan(order.indexOf('UpdateCommand'));
  });

  it('reports only the bad records of a batch as failures', async () => {
    const good = sqsRecord(JSON.stringify(validMessage()));
    const notJson = sqsRecord('{oops');
    const wrongVersion = sqsRecord(JSON.stringify({ ...validMessage(), version: 99 }));
    const res = await handler(sqsEvent([good, notJson, wrongVersion]), lambdaContext('enrich'));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [notJson.messageId, wrongVersion.messageId].sort(),
    );
    expect(docMock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('fails a record whose store write fails, so it is retried', async () => {
    docMock.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const record = sqsRecord(JSON.stringify(validMessage()));
    const other = sqsRecord(JSON.stringify(validMessage()));
    await expect(handler(sqsEvent([record, other]), lambdaContext('enrich'))).rejects.toThrow(
      /All records failed/,
    );
  });
});

describe('enrichment consumer: matching against pools', () => {
  it('matches a report paying a seized wallet to the open pool and prepares one invitation, before ENRICHED', async () => {
    const poolId = newPoolId();
    const walletPk = `IND#crypto-wallet#btc:${wallets.btc}`;
    docMock.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const v = input.ExpressionAttributeValues ?? {};
      if (v[':pk'] === walletPk && v[':p'] === 'POOL#') return { Items: [{ poolId }] };
      return { Items: [] };
    });
    docMock.on(GetCommand).resolves({
      Item: {
        poolId,
        name: 'Lighthouse',
        caseNumber: '1',
        court: 'c',
        eligibility: 'e',
        amountCents: 100,
        currency: 'USD',
        seizedIndicators: [{ type: 'crypto-wallet', value: `btc:${wallets.btc}`, display: 'w' }],
        claimDeadline: '2099-12-31',
        minimumPayoutCents: 10,
        status: 'OPEN',
        version: 1,
        createdBy: 'a',
        createdAt: 'x',
      },
    });
    docMock.on(BatchWriteCommand).resolves({});
    const message = validMessage();
    const res = await handler(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('enrich'));
    expect(res.batchItemFailures).toEqual([]);

    const matches = docMock
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems!['main']!)
      .map((r) => r.PutRequest!.Item!);
    expect(matches).toEqual([
      expect.objectContaining({
        pk: `POOL#${poolId}`,
        sk: `MATCH#REPORT#${message.reportId}#crypto-wallet#btc:${wallets.btc}`,
        paid: [{ currency: 'USD', amountCents: 250000 }],
        contactAboutRecovery: true,
      }),
    ]);
    const invitation = docMock
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input)
      .find((i) => String(i.Item?.['sk']).startsWith('INVITE#'))!;
    expect(invitation.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(invitation.Item).toMatchObject({
      sk: `INVITE#${message.reportId}`,
      gsi1pk: expect.stringMatching(/^INVITE#INV-/),
    });
    const order = docMock.calls().map((c) => c.args[0].constructor.name);
    expect(order.lastIndexOf('BatchWriteCommand')).toBeLessThan(order.indexOf('UpdateCommand'));
  });
});
