/**
 * Sharing with partner agencies through the real handlers on the local servers: reports filed,
 * enriched, summarised, then read over TAXII 2.1 with a partner's client-credentials token and
 * exported by an admin as a STIX bundle. Every object served is validated; no victim field may
 * appear in any answer.
 */
import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorId } from '#shared/domain/sharing/stix.ts';
import type { SharingExportV1 } from '#shared/messages/sharing-export.ts';
import { ExportFileBucket } from '#shared/storage/export-file-bucket.ts';
import { ExportJobRepository } from '#shared/storage/export-job-repository.ts';
import { SharedIndicatorRepository } from '#shared/storage/shared-indicator-repository.ts';
import { type ExportJobDeps, getExport, runExportStep, startExport } from '#shared/use-cases/export-job.ts';
import { COLLECTION_ID, TAXII_MEDIA_TYPE } from '#shared/use-cases/taxii.ts';
import { makeReportBody, wallets } from '#test/support/factories.ts';
import { fileEnrichedReports, type LocalStack, startLocalStack } from '#test/support/local-stack.ts';
import { bundleProblems, newTally, problemsOf } from '#test/support/stix/validate.ts';

// biome-ignore lint/suspicious/noExplicitAny: test-only JSON traversal
type Json = Record<string, any>;

let stack: LocalStack;
let partner: string;
const served: string[] = [];
const VICTIM = {
  name: 'Qzvictimname',
  email: 'qzvictim@victim-mail.com',
  narrative: 'Qznarrative',
  holder: 'Qzholder',
  account: '99887766554',
};
const ROOT = '/taxii2/restore';
const OBJECTS = `${ROOT}/collections/indicators/objects/`;

async function taxii(path: string, opts: { token?: string | null; accept?: string } = {}) {
  const token = opts.token === undefined ? partner : opts.token;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    headers: {
      accept: opts.accept ?? TAXII_MEDIA_TYPE,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await res.text();
  served.push(text);
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
}

async function allObjects(query = ''): Promise<Json[]> {
  const objects: Json[] = [];
  let next: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = await taxii(`${OBJECTS}?limit=3${query}${next ? `&next=${next}` : ''}`);
    expect(r.status).toBe(200);
    objects.push(...(r.json['objects'] ?? []));
    if (!r.json['more']) return objects;
    next = r.json['next'];
  }
  throw new Error('paging never ended');
}

beforeAll(async () => {
  stack = await startLocalStack();
  partner = await stack.runtime.identityProvider.issueClientToken({ clientId: 'state-police' });
  const base = makeReportBody();
  const victim = {
    ...base,
    filer: {
      role: 'victim',
      state: 'FL',
      zip: '33101',
      contact: { name: VICTIM.name, email: VICTIM.email, phone: '(305) 555-0147' },
    },
    incident: { category: 'investment', narrative: `He said ${VICTIM.narrative}.` },
  };
  await fileEnrichedReports(stack, [
    {
      ...victim,
      payments: [
        {
          amountCents: 250000,
          currency: 'USD',
          method: 'cryptocurrency',
          recipient: { kind: 'crypto-wallet', address: wallets.eth },
        },
        {
          amountCents: 120000,
          currency: 'USD',
          method: 'wire-transfer',
          recipient: {
            kind: 'bank-account',
            routingNumber: '011000015',
            accountNumber: VICTIM.account,
            accountHolderName: VICTIM.holder,
          },
        },
      ],
    },
    {
      ...victim,
      incident: { category: 'imposter-government', narrative: 'A second call from the same number.' },
      payments: [],
    },
    // Not shared: this filer said no.
    {
      ...victim,
      payments: [],
      scammer: {
        phones: ['(202) 555-0199'],
        emails: ['only-here@not-shared.com'],
        websites: [],
        socialHandles: [],
        namesUsed: [],
      },
      consents: { shareWithLawEnforcement: false, contactAboutRecovery: false },
    },
  ]);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('TAXII 2.1 for partner agencies', () => {
  it('serves discovery, the API Root, and the indicators collection by id and alias', async () => {
    const discovery = await taxii('/taxii2/');
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
    expect(discovery.json['api_roots']).toEqual([`${stack.baseUrl}${ROOT}/`]);
    const root = await taxii(`${ROOT}/`);
    expect(root.json['versions']).toEqual([TAXII_MEDIA_TYPE]);
    expect(root.json['max_content_length']).toBeGreaterThan(0);
    const list = await taxii(`${ROOT}/collections/`);
    expect(list.json['collections']).toHaveLength(1);
    const [byAlias, byId] = [
      await taxii(`${ROOT}/collections/indicators/`),
      await taxii(`${ROOT}/collections/${COLLECTION_ID}/`),
    ];
    expect(byAlias.json).toEqual(byId.json);
    expect(byId.json).toMatchObject({
      id: COLLECTION_ID,
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    });
    const missing = await taxii(`${ROOT}/collections/nope/`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ title: 'Collection not found', http_status: '404' });
  });

  it('lists valid STIX objects: consenting reports only, counted per identifier', async () => {
    const objects = await allObjects();
    const tally = newTally();
    expect(objects.flatMap((o) => problemsOf(o as never, tally))).toEqual([]);
    const ids = new Set(objects.map((o) => o['id']));
    expect(ids.size).toBe(objects.length);
    const phone = objects.find((o) => o['id'] === indicatorId('phone', '+12025550143'));
    const summary = Object.values(phone?.['extensions'] ?? {})[0] as Json;
    expect(summary).toMatchObject({ report_count: 2, identifier_kind: 'phone' });
    expect(phone?.['labels']).toEqual(['imposter-government', 'investment']);
    expect(phone?.['confidence']).toBe(50);
    expect(ids.has(indicatorId('phone', '+12025550199'))).toBe(false);
    expect(ids.has(indicatorId('email', 'only-here@not-shared.com'))).toBe(false);
    const bank = objects.find((o) => String(o['pattern']).startsWith('[bank-account:account_token'));
    expect(bank?.['pattern']).toMatch(/^\[bank-account:account_token = 'us:[0-9a-f]{64}'\]$/);
    expect(tally.byType['indicator']).toBeGreaterThanOrEqual(5);
  });

  it('pages with limit and next, and added_after returns only what was added later, with the date headers', async () => {
    const first = await taxii(`${OBJECTS}?limit=2`);
    expect(first.json['more']).toBe(true);
    expect(first.json['objects']).toHaveLength(2);
    expect(first.headers.get('x-taxii-date-added-first')).toMatch(/Z$/);
    const all = await allObjects();
    const manifest = await taxii(`${ROOT}/collections/indicators/manifest/?limit=1000`);
    expect(manifest.json['objects'].map((m: Json) => m['id'])).toEqual(all.map((o) => o['id']));
    const lastAdded = manifest.json['objects'].at(-1)['date_added'];
    expect(manifest.headers.get('x-taxii-date-added-last')).toBe(lastAdded);
    const later = await taxii(`${OBJECTS}?added_after=${lastAdded}`);
    expect(later.json).toEqual({ more: false });
    expect(later.headers.get('x-taxii-date-added-first')).toBeNull();
    const middle = manifest.json['objects'][3]['date_added'];
    const after = await taxii(`${OBJECTS}?added_after=${middle}&limit=1000`);
    expect(
      after.json['objects'].every(
        (o: Json) => manifest.json['objects'].find((m: Json) => m['id'] === o['id'])['date_added'] > middle,
      ),
    ).toBe(true);
  });

  it('filters by match[type] and match[id], and serves one object and its versions', async () => {
    const indicators = await taxii(`${OBJECTS}?match[type]=indicator&limit=1000`);
    expect(indicators.json['objects'].every((o: Json) => o['type'] === 'indicator')).toBe(true);
    const markings = await taxii(`${OBJECTS}?match[type]=marking-definition`);
    expect(markings.json['objects'].map((o: Json) => o['name']).sort()).toEqual(['TLP:AMBER', 'TLP:CLEAR']);
    const wallet = indicators.json['objects'].find((o: Json) => String(o['pattern']).includes(wallets.eth));
    const id: string = wallet['id'];
    const byId = await taxii(`${OBJECTS}?match[id]=${id}`);
    expect(byId.json['objects'].map((o: Json) => o['id'])).toEqual([id]);
    const one = await taxii(`${OBJECTS}${id}/`);
    expect(one.json['objects'][0]['id']).toBe(id);
    const versions = await taxii(`${OBJECTS}${id}/versions/`);
    expect(versions.json['versions']).toEqual([one.json['objects'][0]['modified']]);
    expect((await taxii(`${OBJECTS}indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
  });

  it('answers 401 without a token, 403 to a token without taxii/read, 406 to other media types, 400 to bad queries', async () => {
    expect((await taxii(OBJECTS, { token: null })).status).toBe(401);
    const staff = await taxii(OBJECTS, { token: await stack.token('admin') });
    expect(staff.status).toBe(403);
    const noScope = await stack.runtime.identityProvider.issueClientToken({
      clientId: 'bank-x',
      scopes: ['other/read'],
    });
    expect((await taxii(OBJECTS, { token: noScope })).status).toBe(403);
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', '*/*']) {
      const r = await taxii(OBJECTS, { accept });
      expect(r.status, accept).toBe(406);
      expect(r.json['http_status']).toBe('406');
    }
    expect((await taxii(OBJECTS, { accept: 'application/taxii+json' })).status).toBe(200);
    for (const query of [
      'limit=0',
      'limit=ten',
      'added_after=yesterday',
      'next=abc',
      'match[id]=nope',
      'colour=red',
    ]) {
      const r = await taxii(`${OBJECTS}?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json['description'], query).toBeTruthy();
    }
  });
});

describe('bulk export from the staff API', () => {
  it('gives admins a valid bundle of the range with progress headers; reviewers and partners are refused', async () => {
    const admin = await stack.token('admin');
    const res = await fetch(`${stack.baseUrl}/v1/admin/sharing/bundle?from=2020-01-01&to=2099-12-31`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/stix+json;version=2.1');
    const text = await res.text();
    served.push(text);
    const tally = newTally();
    expect(bundleProblems(JSON.parse(text), tally)).toEqual([]);
    expect(res.headers.get('restore-export-total')).toBe(String(tally.byType['indicator']));
    expect(res.headers.get('restore-export-exported')).toBe(String(tally.byType['indicator']));
    expect(res.headers.get('restore-export-next')).toBeNull();
    for (const token of [await stack.token('reviewer'), partner]) {
      const refused = await fetch(`${stack.baseUrl}/v1/admin/sharing/bundle?from=2020-01-01&to=2099-12-31`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.status).toBe(403);
    }
    const bad = await fetch(`${stack.baseUrl}/v1/admin/sharing/bundle?from=2026-02-01&to=2026-01-01`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(bad.status).toBe(400);
  });
});

describe('export job: one bundle for a whole range', () => {
  const call = async (method: string, path: string, token: string, body?: Json) => {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
  };

  it('an admin starts it, follows its progress, and downloads one valid bundle with the size and SHA-256 it announced', async () => {
    const admin = await stack.token('admin', { sub: 'export-admin' });
    const started = await call('POST', '/v1/admin/sharing/exports', admin, {
      from: '2020-01-01',
      to: '2099-12-31',
    });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ state: 'QUEUED', progress: { written: 0, percent: 0 } });
    const exportId: string = started.json['exportId'];
    expect(started.headers.get('location')).toBe(`/v1/admin/sharing/exports/${exportId}`);
    const ready = await stack.waitFor(
      async () => {
        const r = await call('GET', `/v1/admin/sharing/exports/${exportId}`, admin);
        return r.json['state'] === 'READY' ? r.json : false;
      },
      { timeoutMs: 30_000, message: 'the export never became ready' },
    );
    const download = await fetch(ready['file']['url']);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain(ready['file']['fileName']);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.byteLength).toBe(ready['file']['size']);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ready['file']['sha256']);
    const text = bytes.toString('utf8');
    served.push(text);
    const tally = newTally();
    expect(bundleProblems(JSON.parse(text), tally)).toEqual([]);
    // The same indicators partners can read over TAXII, in one bundle.
    const indicators = (await allObjects()).filter((o) => o['type'] === 'indicator');
    expect(tally.byType['indicator']).toBe(indicators.length);
    expect(ready['progress']).toEqual({ written: indicators.length, total: indicators.length, percent: 100 });

    // Both the start and every read are in the audit trail under the export's id.
    const trail = await call('GET', `/v1/admin/audit?subjectId=${exportId}`, admin);
    const routes = trail.json['items'].map((e: Json) => e['route']);
    expect(routes).toContain('POST /v1/admin/sharing/exports');
    expect(routes).toContain('GET /v1/admin/sharing/exports/{exportId}');
    expect(trail.json['items'].every((e: Json) => e['actor']['sub'] === 'export-admin')).toBe(true);
  });

  it('refuses reviewers and partners, a backwards range, and an unknown export', async () => {
    const body = { from: '2020-01-01', to: '2099-12-31' };
    for (const token of [await stack.token('reviewer'), partner]) {
      expect((await call('POST', '/v1/admin/sharing/exports', token, body)).status).toBe(403);
    }
    const admin = await stack.token('admin');
    const backwards = await call('POST', '/v1/admin/sharing/exports', admin, {
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.json['errors'])).toContain('before its start');
    const missing = await call('GET', '/v1/admin/sharing/exports/EXP-0000-0000-0000-0000', admin);
    expect(missing.status).toBe(404);
  });

  it('written in small parts on the real S3 API, survives a worker dying mid-file and resumes from the last part', async () => {
    const doc = DynamoDBDocumentClient.from(stack.dynamo);
    const queue: SharingExportV1[] = [];
    const deps: ExportJobDeps = {
      jobs: new ExportJobRepository(doc, stack.tableNames.main),
      files: new ExportFileBucket(stack.runtime.aws.s3Client(), stack.env['ARTEFACT_BUCKET'] ?? ''),
      queue: { send: async (m) => void queue.push(m) },
      source: new SharedIndicatorRepository(doc, stack.tableNames.main),
      ctx: { agencyName: 'Example Attorney General', tlp: 'amber' },
      // A part per page or so (S3 wants 5 MiB parts; the local server takes any size).
      partBytes: 1_000,
      pageSize: 2,
    };
    const started = await startExport({ from: '2020-01-01', to: '2099-12-31' }, 'export-admin', deps);
    const files = deps.files;
    let parts = 0;
    const dying: ExportJobDeps = {
      ...deps,
      files: {
        begin: (key) => files.begin(key),
        writePart: async (...args) => {
          parts += 1;
          if (parts === 3) throw new Error('the worker ran out of time');
          return files.writePart(...args);
        },
        complete: (...args) => files.complete(...args),
        digest: (key) => files.digest(key),
        downloadLink: (...args) => files.downloadLink(...args),
      },
    };
    let receives = 0;
    let crashes = 0;
    for (let i = 0; i < 200 && queue.length > 0; i++) {
      const message = queue[0] as SharingExportV1;
      receives += 1;
      try {
        await runExportStep(message, receives, dying);
        queue.shift();
        receives = 0;
      } catch (e) {
        expect(String(e)).toContain('ran out of time');
        crashes += 1;
      }
    }
    expect(crashes).toBe(1);
    const ready = await getExport(started.exportId, deps);
    expect(ready.state).toBe('READY');
    const job = await deps.jobs.get(started.exportId);
    expect(job?.parts.length).toBeGreaterThan(3);
    expect(job?.parts.map((p) => p.n)).toEqual(job?.parts.map((_, i) => i + 1));
    const download = await fetch(ready.file!.url);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ready.file!.sha256);
    const tally = newTally();
    expect(bundleProblems(JSON.parse(bytes.toString('utf8')), tally)).toEqual([]);
    expect(tally.byType['indicator']).toBe(ready.progress.total);
  });
});

describe('shared summaries', () => {
  it('are recomputed idempotently: refreshing again changes nothing, a stale one is corrected', async () => {
    const repo = new SharedIndicatorRepository(
      DynamoDBDocumentClient.from(stack.dynamo),
      stack.tableNames.main,
    );
    const id = indicatorId('phone', '+12025550143');
    const [before] = await repo.getMany([id]);
    expect(before?.reportCount).toBe(2);
    expect(await repo.refresh('phone', '+12025550143', new Date().toISOString())).toBe(false);
    const [after] = await repo.getMany([id]);
    expect(after).toEqual(before);
    // A summary written by a refresh that saw fewer reports is put right by the next one.
    await expect(
      repo.put({
        ...(before as NonNullable<typeof before>),
        reportCount: 1,
        modified: new Date().toISOString(),
      }),
    ).resolves.toBeUndefined();
    expect(await repo.refresh('phone', '+12025550143', new Date().toISOString())).toBe(true);
    expect((await repo.getMany([id]))[0]?.reportCount).toBe(2);
    expect((await repo.getMany([id]))[0]?.created).toBe(before?.created);
    // Batch seeding (benchmarks) stores what a single write stores.
    const seeded = { ...(before as NonNullable<typeof before>), value: '+12025550100', reportCount: 3 };
    await repo.putMany([seeded]);
    const [read] = await repo.getMany([indicatorId('phone', '+12025550100')]);
    expect(read).toEqual({ ...seeded, id: indicatorId('phone', '+12025550100') });
  });
});

describe('privacy', () => {
  it('no answer served to a partner or in an export holds any victim field', () => {
    const everything = served.join('\n');
    expect(served.length).toBeGreaterThan(10);
    for (const secret of [
      VICTIM.name,
      VICTIM.email,
      VICTIM.narrative,
      VICTIM.holder,
      VICTIM.account,
      '3055550147',
      '33101',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
