import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { newReportId } from '#shared/domain/ids.ts';
import { linksOf } from '#shared/domain/report.ts';
import { monthsBetween } from '#shared/storage/report-keys.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { makeReportBody, TEST_KEY } from '#test/support/factories.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  mock.reset();
  mock.on(PutCommand).resolves({});
  mock.on(UpdateCommand).resolves({});
});

const { content } = validateReport(makeReportBody(), TEST_KEY);

describe('ReportRepository', () => {
  it('sets the TTL from the receipt time and retention on the report and every link', async () => {
    const repo = new ReportRepository(doc, 't', { retentionDays: 30 });
    const receivedAt = '2026-11-01T12:00:00.000Z';
    const id = newReportId();
    await repo.putReceived(id, receivedAt, content);
    await repo.putLinks(id, receivedAt, content, linksOf(content));
    const expected = Date.parse(receivedAt) / 1000 + 30 * 86_400;
    for (const call of mock.commandCalls(PutCommand))
      expect(call.args[0].input.Item!['expiresAt']).toBe(expected);
    expect(mock.commandCalls(PutCommand)).toHaveLength(1 + linksOf(content).length);
  });

  it('keeps reports without a TTL when no retention is configured', async () => {
    await new ReportRepository(doc, 't').putReceived(newReportId(), new Date().toISOString(), content);
    expect(mock.commandCalls(PutCommand)[0]!.args[0].input.Item).not.toHaveProperty('expiresAt');
  });

  it('treats an existing report as already received instead of failing', async () => {
    const err = Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
    mock.on(PutCommand).rejects(err);
    await expect(
      new ReportRepository(doc, 't').putReceived(newReportId(), new Date().toISOString(), content),
    ).resolves.toBe(false);
  });

  it('never overwrites original attributes when marking ENRICHED (if_not_exists on each)', async () => {
    await new ReportRepository(doc, 't').markEnriched(
      newReportId(),
      new Date().toISOString(),
      content,
      new Date().toISOString(),
    );
    const expr = mock.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression!;
    const assignments = expr.replace(/^SET /, '').split(/, (?=#)/);
    expect(assignments[0]).toBe('#status = :enriched');
    expect(assignments.slice(1).every((a) => /= if_not_exists\(/.test(a))).toBe(true);
  });

  it('rejects a page cursor from another search with a ValidationError, before querying', async () => {
    mock.on(QueryCommand).resolves({ Items: [] });
    const repo = new ReportRepository(doc, 't');
    const forged = Buffer.from(JSON.stringify({ p: 'REPORTS#1999-01' })).toString('base64url');
    await expect(
      repo.searchByTime({
        from: '2026-01-01T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
        limit: 10,
        cursor: forged,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      repo.searchByTime({
        from: '2026-01-01T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
        limit: 10,
        cursor: 'garbage!',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(mock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('walks month partitions newest first and resumes where a page ended', async () => {
    const repo = new ReportRepository(doc, 't');
    const item = (month: string, n: number) => ({
      reportId: `R${month}${n}`,
      receivedAt: `${month}-10T00:00:00.000Z`,
      status: 'ENRICHED',
      content,
      lossByCurrency: {},
    });
    // gsi1 holds keys only: the repository fetches the reports, and keeps the index's order even
    // when BatchGetItem answers in another.
    const keys = (month: string, n: number) => ({
      pk: `REPORT#R${month}${n}`,
      sk: 'REPORT',
      gsi1pk: `REPORTS#${month}`,
      gsi1sk: `${month}-10T00:00:00.000Z#R${month}${n}`,
    });
    mock.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      const month = input.ExpressionAttributeValues[':pk']!.slice('REPORTS#'.length);
      return { Items: month === '2026-02' ? [] : [keys(month, 1), keys(month, 2)] };
    });
    mock
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => ({
        Responses: {
          t: input.RequestItems['t']!.Keys.map((k) => {
            const id = k.pk.slice('REPORT#'.length);
            return item(id.slice(1, 8), Number(id.slice(8)));
          }).reverse(),
        },
      }));
    const page1 = await repo.searchByTime({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
      limit: 2,
    });
    expect(page1.items.map((r) => r.reportId)).toEqual(['R2026-031', 'R2026-032']);
    expect(page1.cursor).toBeDefined();
    const page2 = await repo.searchByTime({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
      limit: 2,
      cursor: page1.cursor,
    });
    expect(page2.items.map((r) => r.reportId)).toEqual(['R2026-011', 'R2026-012']);
  });

  it('lists months across a year boundary', () => {
    expect(monthsBetween('2025-11-15T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual([
      '2026-02',
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
  });
});
