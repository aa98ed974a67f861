/**
 * A claimant's answer to a reviewer's request for information (NEEDS_INFO): a text answer and up to
 * MAX_DOCUMENTS documents, uploaded straight to storage and shown to reviewers only once scanned
 * clean (docs/follow-up.md).
 *
 * A document's life, one pure transition per event so the AWS path (GuardDuty Malware Protection
 * for S3 tags the object, EventBridge calls us) and the local path (every file marked clean) run
 * the same state machine:
 *
 *   UPLOAD_REQUESTED --object scanned clean, content is an allowed type--> CLEAN
 *                    --threats found--> INFECTED
 *                    --content not PDF/JPEG/PNG, or too large, or unscannable--> REJECTED
 *
 * CLEAN, INFECTED and REJECTED are final: a second scan result for the same object changes nothing.
 */
import { ConflictError } from './errors.ts';

export const MAX_DOCUMENTS = 5;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ANSWER_CHARS = 5_000;

/** Types accepted, by the MIME type their content must prove (magic bytes), not by file name. */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type DocumentState = 'UPLOAD_REQUESTED' | 'CLEAN' | 'INFECTED' | 'REJECTED';

export interface FollowUpDocument {
  documentId: string;
  /** The file name the claimant chose, for reviewers only; never used to decide the type. */
  name: string;
  declaredType: DocumentType;
  state: DocumentState;
  requestedAt: string;
  /** When the scan (and content check) decided its state. */
  decidedAt?: string;
  /** Why a document was rejected, in words a claimant can act on. */
  reason?: string;
  sizeBytes?: number;
}

export interface FollowUpAnswer {
  at: string;
  text: string;
  documentIds: string[];
}

/** What a scan produced, whichever scanner ran (GuardDuty in AWS, "clean" locally). */
export type ScanVerdict = 'NO_THREATS_FOUND' | 'THREATS_FOUND' | 'UNSUPPORTED' | 'ACCESS_DENIED' | 'FAILED';

/** The content check that follows a clean scan: the type the bytes prove, and the size. */
export interface ContentCheck {
  detectedType?: string;
  sizeBytes: number;
}

export interface DocumentDecision {
  state: Exclude<DocumentState, 'UPLOAD_REQUESTED'>;
  reason?: string;
}

/** Where a scanned document goes next (pure). `content` is read only for a clean scan. */
export function decideDocument(
  doc: Pick<FollowUpDocument, 'state' | 'declaredType'>,
  verdict: ScanVerdict,
  content?: ContentCheck,
): DocumentDecision | undefined {
  if (doc.state !== 'UPLOAD_REQUESTED') return undefined;
  if (verdict === 'THREATS_FOUND') {
    return { state: 'INFECTED', reason: 'The file did not pass our virus check. Send another copy.' };
  }
  if (verdict !== 'NO_THREATS_FOUND' || !content) {
    return { state: 'REJECTED', reason: 'We could not check this file. Send it as a PDF, JPEG or PNG.' };
  }
  if (content.sizeBytes > MAX_DOCUMENT_BYTES || content.sizeBytes === 0) {
    return { state: 'REJECTED', reason: 'A file must be between 1 byte and 10 MB.' };
  }
  if (!(DOCUMENT_TYPES as readonly string[]).includes(content.detectedType ?? '')) {
    return { state: 'REJECTED', reason: 'This file is not a PDF, JPEG or PNG. Send one of those.' };
  }
  return { state: 'CLEAN' };
}

/** Whether the claimant may still add a document to this request for information. */
export function checkCanAddDocument(status: string, docs: readonly FollowUpDocument[]): void {
  if (status !== 'NEEDS_INFO') {
    throw new ConflictError(
      'Documents can only be sent while we are asking you for information.',
      'NOT_WAITING_FOR_INFO',
    );
  }
  const counted = docs.filter((d) => d.state === 'UPLOAD_REQUESTED' || d.state === 'CLEAN');
  if (counted.length >= MAX_DOCUMENTS) {
    throw new ConflictError(
      `You can send up to ${MAX_DOCUMENTS} documents. Send your answer with the ones you have added.`,
      'TOO_MANY_DOCUMENTS',
    );
  }
}

/** Object keys: uploads land in quarantine; only clean documents are copied under documents/. */
export const QUARANTINE_PREFIX = 'quarantine/';
export const CLEAN_PREFIX = 'documents/';

export const quarantineKey = (claimId: string, documentId: string): string =>
  `${QUARANTINE_PREFIX}${claimId}/${documentId}`;
export const cleanKey = (claimId: string, documentId: string): string =>
  `${CLEAN_PREFIX}${claimId}/${documentId}`;

/** The claim and document a quarantine key names, or undefined for any other key. */
export function parseQuarantineKey(key: string): { claimId: string; documentId: string } | undefined {
  const m = /^quarantine\/(CLM-[0-9A-Z-]{19})\/(DOC-[0-9a-f]{32})$/.exec(key);
  return m ? { claimId: m[1]!, documentId: m[2]! } : undefined;
}
