import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provide } from '#functions/provided.ts';
import { newReportId } from '#shared/domain/ids.ts';
import { newPoolId } from '#shared/domain/secrets.ts';
import { reportReceivedMessage } from '#shared/messages/report-received.ts';
import { validateReport } from '#shared/use-cases/submit-report.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/support/events.ts';
import { makeReportBody, TEST_KEY, wallets } from '#test/support/factories.ts';
import { Fakes } from '#test/support/fakes.ts';

const fakes = new Fakes();
provide(fakes.deps);
type Handler = (e: SQSEvent, c: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

beforeAll(async () => {
  ({ handler } = (await import('#functions/enrich/handler.ts')) as unknown as { handler: Handler });
});

beforeEach(() => fakes.reset());

function validMessage() {
  const { content } = validateReport(makeReportBody(), TEST_KEY);
  return reportReceivedMessage(newReportId(), new Date().toISOString(), content);
}

const walletKey = `btc:${wallets.btc}`;

describe('enrichment consumer', () => {
  it('links the report to each distinct identifier, then marks it ENRICHED', async () => {
    const message = validMessage();
    const res = await handler(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('enrich'));
    expect(res.batchItemFailures).toEqual([]);
    // wallet (payment) + phone + email + domain (contacts)
    for (const [type, value] of [
      ['crypto-wallet', walletKey],
      ['domain', 'irs-payments.co.uk'],
      ['email', 'agent@irs-payments.example.com'],
      ['phone', '+12025550143'],
    ] as const) {
      const linked = await fakes.reports.linkedReports(type, value, { limit: 10 });
      expect(linked.items.map((r) => r.reportId)).toEqual([message.reportId]);
    }
    const wallet = await fakes.reports.linkedReports('crypto-wallet', walletKey, { limit: 10 });
    expect(wallet.items[0]!.paid).toEqual([{ currency: 'USD', amountCents: 250000 }]);
    expect(fakes.reports.items.get(message.reportId)?.status).toBe('ENRICHED');
    // the status changes only after every link is written
    expect(fakes.log.filter((c) => c.startsWith('reports.put') || c === 'reports.markEnriched')).toEqual([
      'reports.putLinks',
      'reports.markEnriched',
    ]);
  });

  it('reports only the bad records of a batch as failures', async () => {
    const good = sqsRecord(JSON.stringify(validMessage()));
    const notJson = sqsRecord('{oops');
    const wrongVersion = sqsRecord(JSON.stringify({ ...validMessage(), version: 99 }));
    const res = await handler(sqsEvent([good, notJson, wrongVersion]), lambdaContext('enrich'));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [notJson.messageId, wrongVersion.messageId].sort(),
    );
    expect(fakes.log.filter((c) => c === 'reports.markEnriched')).toHaveLength(1);
  });

  it('fails a record whose store write fails, so it is retried', async () => {
    fakes.reports.failOn('markEnriched', new Error('ProvisionedThroughputExceededException'));
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
    const seized = { type: 'crypto-wallet' as const, value: walletKey, display: 'w' };
    fakes.pools.seed({
      poolId,
      name: 'Lighthouse',
      caseNumber: '1',
      court: 'c',
      eligibility: 'e',
      amountCents: 100,
      currency: 'USD',
      seizedIndicators: [seized],
      claimDeadline: '2099-12-31',
      minimumPayoutCents: 10,
      status: 'OPEN',
      version: 1,
      createdBy: 'a',
      createdAt: 'x',
    });
    await fakes.pools.putSeizedMarker(poolId, seized);
    const message = validMessage();
    const res = await handler(sqsEvent([sqsRecord(JSON.stringify(message))]), lambdaContext('enrich'));
    expect(res.batchItemFailures).toEqual([]);

    expect([...fakes.pools.matches.values()]).toEqual([
      expect.objectContaining({
        poolId,
        kind: 'REPORT',
        subjectId: message.reportId,
        indicator: expect.objectContaining({ type: 'crypto-wallet', value: walletKey }),
        paid: [{ currency: 'USD', amountCents: 250000 }],
        contactAboutRecovery: true,
      }),
    ]);
    const invitations = [...fakes.pools.invitations.values()];
    expect(invitations).toEqual([
      expect.objectContaining({ poolId, reportId: message.reportId, code: expect.stringMatching(/^INV-/) }),
    ]);
    expect(fakes.log.lastIndexOf('pools.putMatches')).toBeLessThan(fakes.log.indexOf('reports.markEnriched'));
    expect(fakes.log.lastIndexOf('pools.putInvitation')).toBeLessThan(
      fakes.log.indexOf('reports.markEnriched'),
    );
  });
});
