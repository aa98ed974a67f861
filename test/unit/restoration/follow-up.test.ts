import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import {
  checkCanAddDocument,
  decideDocument,
  type FollowUpDocument,
  MAX_DOCUMENT_BYTES,
  parseQuarantineKey,
  quarantineKey,
} from '#shared/domain/follow-up.ts';
import { recordScanResult } from '#shared/use-cases/follow-up.ts';
import { Fakes } from '#test/support/fakes.ts';

const waiting = { state: 'UPLOAD_REQUESTED', declaredType: 'application/pdf' } as const;
const pdf = { detectedType: 'application/pdf', sizeBytes: 1000 };

describe('a document’s state machine', () => {
  it('is CLEAN only for a clean scan of an allowed type within the size', () => {
    expect(decideDocument(waiting, 'NO_THREATS_FOUND', pdf)).toEqual({ state: 'CLEAN' });
    expect(
      decideDocument(waiting, 'NO_THREATS_FOUND', { detectedType: 'image/png', sizeBytes: 5 })?.state,
    ).toBe('CLEAN');
    expect(decideDocument(waiting, 'THREATS_FOUND', pdf)?.state).toBe('INFECTED');
    expect(decideDocument(waiting, 'FAILED', pdf)?.state).toBe('REJECTED');
    expect(decideDocument(waiting, 'NO_THREATS_FOUND', { sizeBytes: 10 })?.state).toBe('REJECTED');
    expect(
      decideDocument(waiting, 'NO_THREATS_FOUND', { detectedType: 'application/zip', sizeBytes: 10 })?.state,
    ).toBe('REJECTED');
    expect(
      decideDocument(waiting, 'NO_THREATS_FOUND', { ...pdf, sizeBytes: MAX_DOCUMENT_BYTES + 1 })?.state,
    ).toBe('REJECTED');
  });

  it('never moves a decided document again', () => {
    for (const state of ['CLEAN', 'INFECTED', 'REJECTED'] as const) {
      expect(decideDocument({ ...waiting, state }, 'NO_THREATS_FOUND', pdf)).toBeUndefined();
    }
  });

  it('takes a sixth live document for no claim, and none outside NEEDS_INFO', () => {
    const doc = (state: FollowUpDocument['state']): FollowUpDocument => ({
      documentId: 'DOC-x',
      name: 'a.pdf',
      declaredType: 'application/pdf',
      state,
      requestedAt: '2026-12-01T00:00:00.000Z',
    });
    expect(() => checkCanAddDocument('NEEDS_INFO', Array(5).fill(doc('CLEAN')))).toThrow(ConflictError);
    // Refused ones do not count: the claimant may send a replacement.
    expect(() =>
      checkCanAddDocument('NEEDS_INFO', [...Array(4).fill(doc('CLEAN')), doc('INFECTED')]),
    ).not.toThrow();
    expect(() => checkCanAddDocument('UNDER_REVIEW', [])).toThrow(ConflictError);
  });

  it('reads claim and document from a quarantine key, and nothing else', () => {
    const key = quarantineKey('CLM-7K3M-9QXD-2HFA-8WN4', `DOC-${'a'.repeat(32)}`);
    expect(parseQuarantineKey(key)).toEqual({
      claimId: 'CLM-7K3M-9QXD-2HFA-8WN4',
      documentId: `DOC-${'a'.repeat(32)}`,
    });
    expect(parseQuarantineKey(key.replace('quarantine/', 'documents/'))).toBeUndefined();
    expect(parseQuarantineKey('quarantine/../x')).toBeUndefined();
  });
});

describe('recordScanResult', () => {
  const claimId = 'CLM-7K3M-9QXD-2HFA-8WN4';
  const documentId = `DOC-${'b'.repeat(32)}`;
  const key = quarantineKey(claimId, documentId);

  async function world() {
    const fakes = new Fakes();
    await fakes.followUps.addDocument(claimId, {
      documentId,
      name: 'scan.pdf',
      declaredType: 'application/pdf',
      state: 'UPLOAD_REQUESTED',
      requestedAt: '2026-12-01T00:00:00.000Z',
    });
    return fakes;
  }

  it('deletes an infected file without reading or promoting it', async () => {
    const fakes = await world();
    fakes.uploads.objects.set(key, {
      bytes: new TextEncoder().encode('%PDF-1.4 x'),
      type: 'application/pdf',
    });
    const outcome = await recordScanResult({ key, verdict: 'THREATS_FOUND' }, fakes.deps);
    expect(outcome).toBe('INFECTED');
    expect([...fakes.uploads.objects.keys()]).toEqual([]);
    expect(fakes.log).not.toContain('uploads.readStart');
    expect(fakes.log).not.toContain('uploads.copy');
  });

  it('promotes a clean PDF once; a second delivery only tidies up', async () => {
    const fakes = await world();
    fakes.uploads.objects.set(key, { bytes: new TextEncoder().encode('%PDF-1.4 x'), type: 'text/plain' });
    expect(await recordScanResult({ key, verdict: 'NO_THREATS_FOUND' }, fakes.deps)).toBe('CLEAN');
    expect(fakes.uploads.objects.get(`documents/${claimId}/${documentId}`)?.type).toBe('application/pdf');
    expect(fakes.uploads.objects.has(key)).toBe(false);
    expect(await recordScanResult({ key, verdict: 'THREATS_FOUND' }, fakes.deps)).toBe('CLEAN');
    expect((await fakes.followUps.get(claimId)).documents[0]?.state).toBe('CLEAN');
  });
});
