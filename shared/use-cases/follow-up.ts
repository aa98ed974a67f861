/**
 * Claimant follow-up: a reviewer asked for information (NEEDS_INFO); the claimant answers from the
 * status page, in text and with up to 5 documents (docs/follow-up.md).
 *
 * requestDocumentUpload:
 *   1. Prove the claim id and access code (authenticate, as the status page does).
 *   2. The claim must be waiting for information, with fewer than 5 live documents -> else 409.
 *   3. Record the document (UPLOAD_REQUESTED) and answer with a pre-signed POST to its quarantine
 *      key whose policy pins the type and at most 10 MB.
 * answerInfoRequest:
 *   1. Authenticate; the claim must be NEEDS_INFO -> else 409.
 *   2. The documents named must be this claim's and not refused -> else 400.
 *   3. Record the answer, then move the claim to UNDER_REVIEW with a timeline entry.
 * recordScanResult (GuardDuty's result in AWS; "clean" for every file locally):
 *   1. Ignore keys outside quarantine and documents already decided (results arrive at least once).
 *   2. For a clean scan read the size and first bytes and let the content prove its type.
 *   3. Copy a CLEAN document under documents/, then record the state, then delete the quarantined
 *      object: a retry after any step ends in the same place.
 */
import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import * as z from 'zod/mini';
import type { Claim, ClaimStatus, TimelineEntry } from '../domain/claim.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import {
  checkCanAddDocument,
  cleanKey,
  DOCUMENT_TYPES,
  type DocumentState,
  decideDocument,
  type FollowUpAnswer,
  type FollowUpDocument,
  MAX_ANSWER_CHARS,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS,
  parseQuarantineKey,
  quarantineKey,
  type ScanVerdict,
} from '../domain/follow-up.ts';
import type { Pool } from '../domain/pool.ts';
import { requiredText } from '../domain/report-schema.ts';
import { parseWith } from '../domain/validation.ts';
import {
  type AuthDeps,
  authenticate,
  type ClaimStatusView,
  statusRequestSchema,
  toStatusView,
} from './claim-status.ts';

/** Enough of the file for file-type to recognise PDF, JPEG and PNG. */
const SNIFF_BYTES = 4100;

/** A claim's documents and answers, as stored beside the claim. */
export interface FollowUp {
  documents: FollowUpDocument[];
  answers: FollowUpAnswer[];
}

/** A browser form posts `fields` then the file (last) to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

export interface FollowUpStore {
  get(claimId: string): Promise<FollowUp>;
  addDocument(claimId: string, doc: FollowUpDocument): Promise<void>;
  decideDocument(
    claimId: string,
    documentId: string,
    decision: { state: Exclude<DocumentState, 'UPLOAD_REQUESTED'>; reason?: string; sizeBytes?: number },
    at: string,
  ): Promise<boolean>;
  addAnswer(claimId: string, answer: FollowUpAnswer): Promise<void>;
}

export interface UploadBucket {
  presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload>;
  readStart(key: string, bytes: number): Promise<{ sizeBytes: number; start: Uint8Array } | undefined>;
  copy(from: string, to: string, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
  downloadLink(key: string, fileName: string): Promise<string>;
}

/** What the claimant sees of a request for information and their answers. */
export interface FollowUpView {
  question?: string;
  answers: { at: string; text: string; documentIds: string[] }[];
  documents: { documentId: string; name: string; state: DocumentState; reason?: string }[];
  maxDocuments: number;
  maxDocumentBytes: number;
  acceptedTypes: readonly string[];
}

export type StatusWithFollowUp = ClaimStatusView & { followUp?: FollowUpView };

/** The reviewer's latest question: the note of the last NEEDS_INFO entry. */
export function latestQuestion(claim: Pick<Claim, 'timeline'>): { at: string; note?: string } | undefined {
  for (let i = claim.timeline.length - 1; i >= 0; i--) {
    const t = claim.timeline[i]!;
    if (t.status === 'NEEDS_INFO' && t.note !== undefined)
      return { at: t.at, ...(t.note ? { note: t.note } : {}) };
  }
  return undefined;
}

export function toFollowUpView(claim: Pick<Claim, 'timeline'>, f: FollowUp): FollowUpView | undefined {
  const q = latestQuestion(claim);
  if (!q && f.answers.length === 0) return undefined;
  return {
    ...(q?.note ? { question: q.note } : {}),
    answers: f.answers,
    documents: f.documents.map((d) => ({
      documentId: d.documentId,
      name: d.name,
      state: d.state,
      ...(d.reason ? { reason: d.reason } : {}),
    })),
    maxDocuments: MAX_DOCUMENTS,
    maxDocumentBytes: MAX_DOCUMENT_BYTES,
    acceptedTypes: DOCUMENT_TYPES,
  };
}

export interface FollowUpDeps extends AuthDeps {
  claims: AuthDeps['claims'] & {
    transitionOrConflict(
      expected: Claim,
      change: { status?: ClaimStatus; timeline?: TimelineEntry },
      now: string,
    ): Promise<void>;
  };
  pools: { get(poolId: string): Promise<Pool | undefined> };
  followUps: FollowUpStore;
  uploads: UploadBucket;
}

/** The status view with its follow-up part: what POST /v1/claims/status answers. */
export async function statusWithFollowUp(
  claim: Claim,
  deps: Pick<FollowUpDeps, 'pools' | 'followUps'>,
  now: Date,
): Promise<StatusWithFollowUp> {
  const pool = claim.poolId ? await deps.pools.get(claim.poolId) : undefined;
  const view: StatusWithFollowUp = toStatusView(claim, pool, now);
  if (latestQuestion(claim)) {
    const followUp = toFollowUpView(claim, await deps.followUps.get(claim.claimId));
    if (followUp) view.followUp = followUp;
  }
  return view;
}

export const documentUploadSchema = z.object({
  ...statusRequestSchema.shape,
  name: requiredText(200, 'File name', 'Give the name of the file you are sending.'),
  type: z.enum(DOCUMENT_TYPES, { error: 'Send a PDF, JPEG or PNG file.' }),
});

export async function requestDocumentUpload(
  body: unknown,
  deps: FollowUpDeps,
): Promise<{ documentId: string; upload: PresignedUpload; maxBytes: number }> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(documentUploadSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  const current = await deps.followUps.get(claim.claimId);
  checkCanAddDocument(claim.status, current.documents);
  const documentId = `DOC-${randomUUID().replaceAll('-', '')}`;
  await deps.followUps.addDocument(claim.claimId, {
    documentId,
    name: input.name.trim(),
    declaredType: input.type,
    state: 'UPLOAD_REQUESTED',
    requestedAt: now.toISOString(),
  });
  const upload = await deps.uploads.presignUpload(
    quarantineKey(claim.claimId, documentId),
    input.type,
    MAX_DOCUMENT_BYTES,
  );
  return { documentId, upload, maxBytes: MAX_DOCUMENT_BYTES };
}

export const infoAnswerSchema = z.object({
  ...statusRequestSchema.shape,
  text: requiredText(MAX_ANSWER_CHARS, 'Your answer', 'Write your answer to the question.'),
  documentIds: z._default(
    z
      .array(
        z
          .string()
          .check(z.maxLength(36), z.regex(/^DOC-[0-9a-f]{32}$/, 'This is not one of your documents.')),
      )
      .check(z.maxLength(MAX_DOCUMENTS, `Send at most ${MAX_DOCUMENTS} documents.`)),
    [],
  ),
});

export async function answerInfoRequest(body: unknown, deps: FollowUpDeps): Promise<StatusWithFollowUp> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(infoAnswerSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  if (claim.status !== 'NEEDS_INFO') {
    throw new ConflictError(
      'We are not waiting for information on this claim, so there is nothing to answer. Check your claim status.',
      'NOT_WAITING_FOR_INFO',
    );
  }
  const current = await deps.followUps.get(claim.claimId);
  const ids = [...new Set(input.documentIds)];
  const problems = ids.flatMap((id, i) => {
    const doc = current.documents.find((d) => d.documentId === id);
    if (!doc)
      return [{ path: `documentIds.${i}`, message: 'This is not one of your documents. Add it again.' }];
    if (doc.state === 'INFECTED' || doc.state === 'REJECTED') {
      return [
        { path: `documentIds.${i}`, message: `${doc.name}: ${doc.reason ?? 'this file was refused.'}` },
      ];
    }
    return [];
  });
  if (problems.length > 0) throw new ValidationError(problems);

  const at = now.toISOString();
  await deps.followUps.addAnswer(claim.claimId, { at, text: input.text.trim(), documentIds: ids });
  const entry: TimelineEntry = {
    status: 'UNDER_REVIEW',
    at,
    note:
      ids.length === 0
        ? 'You sent your answer.'
        : `You sent your answer with ${ids.length} document${ids.length === 1 ? '' : 's'}.`,
    event: { kind: 'info-answered', documents: ids.length },
  };
  await deps.claims.transitionOrConflict(claim, { status: 'UNDER_REVIEW', timeline: entry }, at);
  const updated: Claim = {
    ...claim,
    status: 'UNDER_REVIEW',
    version: claim.version + 1,
    timeline: [...claim.timeline, entry],
  };
  return statusWithFollowUp(updated, deps, now);
}

export interface ScanDeps {
  followUps: Pick<FollowUpStore, 'get' | 'decideDocument'>;
  uploads: Pick<UploadBucket, 'readStart' | 'copy' | 'remove'>;
  now?: () => Date;
}

export type ScanOutcome = DocumentState | 'IGNORED';

export async function recordScanResult(
  result: { key: string; verdict: ScanVerdict },
  deps: ScanDeps,
): Promise<ScanOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const named = parseQuarantineKey(result.key);
  if (!named) return 'IGNORED';
  const doc = (await deps.followUps.get(named.claimId)).documents.find(
    (d) => d.documentId === named.documentId,
  );
  if (doc?.state !== 'UPLOAD_REQUESTED') {
    // Unknown, or decided by an earlier delivery: make sure nothing stays in quarantine.
    if (doc) await deps.uploads.remove(result.key);
    return doc ? doc.state : 'IGNORED';
  }
  let content: { detectedType?: string; sizeBytes: number } | undefined;
  if (result.verdict === 'NO_THREATS_FOUND') {
    const read = await deps.uploads.readStart(result.key, SNIFF_BYTES);
    if (!read) return 'IGNORED';
    const detected = read.start.length > 0 ? await fileTypeFromBuffer(read.start) : undefined;
    content = { sizeBytes: read.sizeBytes, ...(detected ? { detectedType: detected.mime } : {}) };
  }
  const decision = decideDocument(doc, result.verdict, content);
  if (!decision) return doc.state;
  if (decision.state === 'CLEAN') {
    await deps.uploads.copy(result.key, cleanKey(named.claimId, named.documentId), content!.detectedType!);
  }
  await deps.followUps.decideDocument(
    named.claimId,
    named.documentId,
    { ...decision, ...(content ? { sizeBytes: content.sizeBytes } : {}) },
    now.toISOString(),
  );
  await deps.uploads.remove(result.key);
  return decision.state;
}

/** What reviewers see: every answer, and clean documents only, each with a short-lived link. */
export interface StaffFollowUp {
  answers: FollowUpAnswer[];
  documents: { documentId: string; name: string; type: string; sizeBytes?: number; href: string }[];
  /** Documents still being scanned (not shown until clean). */
  pendingDocuments: number;
}

export async function followUpForStaff(
  claimId: string,
  deps: { followUps: Pick<FollowUpStore, 'get'>; uploads: Pick<UploadBucket, 'downloadLink'> },
): Promise<StaffFollowUp | undefined> {
  const f = await deps.followUps.get(claimId);
  if (f.answers.length === 0 && f.documents.length === 0) return undefined;
  const clean = f.documents.filter((d) => d.state === 'CLEAN');
  return {
    answers: f.answers,
    documents: await Promise.all(
      clean.map(async (d) => ({
        documentId: d.documentId,
        name: d.name,
        type: d.declaredType,
        ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}),
        href: await deps.uploads.downloadLink(cleanKey(claimId, d.documentId), d.name),
      })),
    ),
    pendingDocuments: f.documents.filter((d) => d.state === 'UPLOAD_REQUESTED').length,
  };
}

/** POST /v1/claims/status: the claim's status, with the question and answers while there are any. */
export async function claimStatusWithFollowUp(
  body: unknown,
  deps: FollowUpDeps,
): Promise<StatusWithFollowUp> {
  const now = (deps.now ?? (() => new Date()))();
  const input = parseWith(statusRequestSchema, body);
  const claim = await authenticate(input.claimId, input.accessCode, deps);
  return statusWithFollowUp(claim, deps, now);
}
