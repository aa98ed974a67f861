/**
 * Typed domain errors. Use cases throw these; exactly one place (functions/http/errors.ts) maps
 * them to HTTP statuses and public messages. Messages here are written for the person using the
 * portal: plain words, and what to do next.
 */

export interface FieldProblem {
  /** Dotted path into the request body, e.g. `payments.0.amountCents`. Empty for the whole body. */
  readonly path: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly fields: readonly FieldProblem[];
  constructor(fields: readonly FieldProblem[], message?: string) {
    super(message ?? summarise(fields));
    this.fields = fields;
  }
}

function summarise(fields: readonly FieldProblem[]): string {
  if (fields.length === 0) return 'Some answers need to be fixed.';
  const first = fields[0]!;
  const where = first.path ? `${first.path}: ` : '';
  const more =
    fields.length > 1
      ? ` (and ${fields.length - 1} more ${fields.length === 2 ? 'problem' : 'problems'})`
      : '';
  return `Please check your answers. ${where}${first.message}${more}`;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** The decision that got to a claim first, as the 409 tells the reviewer who came second. */
export interface EarlierDecision {
  /** The claim's status and version now. */
  readonly status: string;
  readonly version: number;
  readonly decision: string;
  readonly by: string;
  readonly at: string;
  readonly recognizedLossCents?: number;
  readonly currency?: string;
  readonly reason?: string;
  readonly message?: string;
}

export class ConflictError extends DomainError {
  readonly code: string;
  /** Set when another reviewer's decision is the conflict: what they decided, sent in the 409. */
  readonly decided?: EarlierDecision;
  constructor(message: string, code = 'CONFLICT', decided?: EarlierDecision) {
    super(message);
    this.code = code;
    if (decided) this.decided = decided;
  }
}

/** The caller is signed in with the right role, but this action needs someone else (dual control). */
export class ForbiddenError extends DomainError {
  readonly code: string;
  constructor(message: string, code = 'FORBIDDEN') {
    super(message);
    this.code = code;
  }
}

/** One line of an uploaded file that cannot be accepted, and why. */
export interface LineProblem {
  /** 1-based line number in the file as uploaded (the header is line 1). */
  readonly line: number;
  readonly claimId?: string;
  readonly reason: string;
}

/** The request is well formed but its content cannot be applied; nothing from it was kept (422). */
export class UnprocessableError extends DomainError {
  readonly code: string;
  readonly lines: readonly LineProblem[];
  constructor(message: string, lines: readonly LineProblem[], code = 'UNPROCESSABLE') {
    super(message);
    this.code = code;
    this.lines = lines;
  }
}

/** A dependency (queue, table) is unavailable; the caller may retry. Nothing was kept. */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** Too many failed attempts from one client (guessing codes): answered 429 with Retry-After. */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'TOO_MANY_ATTEMPTS';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message?: string) {
    super(
      message ??
        `Too many unsuccessful tries. Wait ${Math.ceil(retryAfterSeconds / 60)} minutes, then check the claim id and code and try again.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The request is valid but too large to process as a whole (e.g. over the queue's message size). */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The same Idempotency-Key came with a different report: a client bug, not a retry (422). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used for a different report. Use a new key for a new report.');
  }
}
