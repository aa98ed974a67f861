/**
 * The shared-summary backfill against the local servers: reports are filed and enriched through
 * the real handlers, their summaries removed (as if enriched before summaries existed), then the
 * backfill rebuilds them page by page, resumes from its checkpoint after being stopped, and a
 * second full run changes nothing.
 */
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorId } from '#shared/domain/sharing/stix.ts';
import { BackfillCheckpointRepository } from '#shared/storage/backfill-checkpoint-repository.ts';
import { ReportRepository } from '#shared/storage/report-repository.ts';
import {
  SharedIndicatorRepository,
  type StoredSharedIndicator,
} from '#shared/storage/shared-indicator-repository.ts';
import { backfillSharedSummaries } from '#shared/use-cases/backfill-shared.ts';
import { makeReportBody } from '#test/support/factories.ts';
import { fileEnrichedReports, type LocalStack, startLocalStack } from '#test/support/local-stack.ts';

let stack: LocalStack;
let doc: DynamoDBDocumentClient;
let summaries: SharedIndicatorRepository;
const scammer = (n: number, phones: string[]) => ({
  phones,
  emails: [`agent${n}@refund-desk.example.com`],
  websites: [],
  socialHandles: [],
  namesUsed: [],
});

async function all(): Promise<StoredSharedIndicator[]> {
  const items: StoredSharedIndicator[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const page = await summaries.page({ ...(afterKey ? { afterKey } : {}), limit: 100 });
    items.push(...page.items);
    const last = page.items.at(-1);
    if (!page.more || !last) return items;
    afterKey = `${last.dateAdded}#${last.id}`;
  }
}

const byId = (items: readonly StoredSharedIndicator[]) =>
  Object.fromEntries(
    items.map((s) => [s.id, { reportCount: s.reportCount, lossByCurrency: s.lossByCurrency }]),
  );

beforeAll(async () => {
  stack = await startLocalStack();
  doc = DynamoDBDocumentClient.from(stack.dynamo);
  summaries = new SharedIndicatorRepository(doc, stack.tableNames.main);
  const bodies = [
    ...[1, 2, 3, 4, 5].map((n) =>
      makeReportBody({ payments: [], scammer: scammer(n, ['(202) 555-0143', `(202) 555-01${50 + n}`]) }),
    ),
    // Not shared: this filer said no.
    makeReportBody({
      payments: [],
      scammer: scammer(9, ['(202) 555-0199']),
      consents: { shareWithLawEnforcement: false, contactAboutRecovery: false },
    }),
  ];
  await fileEnrichedReports(stack, bodies);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('backfilling shared summaries', () => {
  it('rebuilds what enrichment built, resumes after being stopped, and a second run changes nothing', async () => {
    const built = await all();
    // 1 shared phone, 5 own phones, 5 e-mails; nothing of the report that did not consent.
    expect(built).toHaveLength(11);
    expect(built.find((s) => s.id === indicatorId('phone', '+12025550143'))?.reportCount).toBe(5);
    expect(built.some((s) => s.value === '+12025550199')).toBe(false);
    // As if these reports were enriched before summaries existed.
    for (const s of built) {
      await doc.send(
        new DeleteCommand({ TableName: stack.tableNames.main, Key: { pk: `STIX#${s.id}`, sk: 'STIX' } }),
      );
    }
    expect(await all()).toEqual([]);

    const deps = {
      reports: new ReportRepository(doc, stack.tableNames.main),
      store: summaries,
      checkpoints: new BackfillCheckpointRepository(doc, stack.tableNames.main),
    };
    // Stopped after two pages of two reports...
    const stopped = await backfillSharedSummaries({ pageSize: 2, maxPages: 2 }, deps);
    expect(stopped).toMatchObject({ done: false, reports: 4, cursor: expect.any(String) });
    expect(await deps.checkpoints.get()).toEqual(stopped);
    const partial = await all();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(11);
    // ...and run again: it goes on from its checkpoint, not from the start.
    const finished = await backfillSharedSummaries({ pageSize: 2 }, deps);
    expect(finished).toMatchObject({
      done: true,
      reports: 6,
      consenting: 5,
      from: stopped.from,
      to: stopped.to,
    });
    expect(finished.cursor).toBeUndefined();
    const rebuilt = await all();
    expect(byId(rebuilt)).toEqual(byId(built));

    // A finished run is not repeated unless asked; asked, it reads everything and writes nothing.
    expect(await backfillSharedSummaries({ pageSize: 2 }, deps)).toEqual(finished);
    const again = await backfillSharedSummaries({ pageSize: 2, restart: true }, deps);
    expect(again).toMatchObject({ done: true, reports: 6, consenting: 5, written: 0 });
    expect(again.refreshed).toBeGreaterThanOrEqual(11);
    expect(await all()).toEqual(rebuilt);
  });
});
