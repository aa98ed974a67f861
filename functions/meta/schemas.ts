/**
 * Every shape the API sends or accepts, as zod schemas with the name they carry in the served
 * contract (`components.schemas`). Requests are the very schemas that validate them (imported
 * from shared/domain); answers are declared here and checked against what the handlers really
 * send by the contract test (test/contract), so neither side can drift unnoticed.
 */

import * as z from 'zod/mini';
import { payoutMethods, timelineEventKinds } from '#shared/domain/claim.ts';
import {
  claimInputSchema,
  claimStatuses,
  decisionKinds,
  decisionSchema,
  invitationCodeSchema,
  reconsiderationSchema,
} from '#shared/domain/claim-schema.ts';
import { categories, reportStatuses } from '#shared/domain/enums.ts';
import { indicatorTypes } from '#shared/domain/indicators/types.ts';
import { poolStatuses } from '#shared/domain/pool.ts';
import { poolInputSchema, poolPatchSchema } from '#shared/domain/pool-schema.ts';
import {
  bankAccountRecipient,
  cryptoWalletRecipient,
  giftCardRecipient,
  moneyTransferRecipient,
  otherRecipient,
  payment,
  paymentAppRecipient,
  recipient,
  reportInputSchema,
} from '#shared/domain/report-schema.ts';
import { exportRequestSchema, exportStates } from '#shared/domain/sharing/export-job.ts';
import { statusRequestSchema } from '#shared/use-cases/claim-status.ts';
import { documentUploadSchema, infoAnswerSchema } from '#shared/use-cases/follow-up.ts';
import { paymentDetailsSchema } from '#shared/use-cases/payment-details.ts';

const money = z.int();
const isoInstant = z.iso.datetime();

// --- Errors -----------------------------------------------------------------------------------

export const fieldProblem = z.object({
  pointer: z.string().check(z.regex(/^(\/.*)?$/)),
  detail: z.string(),
});

/** RFC 9457 problem details, with Restore's stable `code`, field problems and request id. */
export const problem = z.object({
  type: z.string().check(z.regex(/^urn:restore:problem:[a-z0-9-]+$/)),
  title: z.string(),
  status: z.int().check(z.gte(400), z.lte(599)),
  detail: z.string(),
  instance: z.optional(z.string()),
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
  errors: z.optional(z.array(fieldProblem).check(z.minLength(1))),
  requestId: z.string(),
});

/** A decision's 409 when another reviewer decided first: the problem, and what they decided. */
export const decisionConflict = z.extend(problem, {
  decided: z.optional(
    z.object({
      status: z.enum(claimStatuses),
      version: z.int(),
      decision: z.enum(decisionKinds),
      by: z.string(),
      at: isoInstant,
      recognizedLossCents: z.optional(money),
      currency: z.optional(z.string()),
      reason: z.optional(z.string()),
      message: z.optional(z.string()),
    }),
  ),
});

/**
 * What API Gateway itself answers, before or instead of a function: a bad or missing token
 * (401 "Unauthorized"), throttling (429), an unknown route (404), an oversized body (413), a
 * failed or timed-out integration (500/503).
 */
export const gatewayMessage = z.object({ message: z.string() });

// --- Reports ----------------------------------------------------------------------------------

export const nextStep = z.object({ id: z.string(), title: z.string(), body: z.string() });

export const acceptedReport = z.object({
  reportId: z.string(),
  status: z.literal('RECEIVED'),
  receivedAt: isoInstant,
  nextSteps: z.array(nextStep),
});

const paid = z.object({ currency: z.string(), amountCents: money });

export const indicatorLink = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  roles: z.array(z.enum(['payment', 'contact'])),
  paid: z.array(paid),
  paymentIndexes: z.array(z.int()),
  href: z.string(),
});

export const reportView = z.looseObject({
  reportId: z.string(),
  status: z.enum(reportStatuses),
  receivedAt: isoInstant,
  enrichedAt: z.optional(isoInstant),
  lossByCurrency: z.record(z.string(), money),
  indicators: z.array(indicatorLink),
});

export const reportPage = z.object({ items: z.array(reportView), cursor: z.optional(z.string()) });

export const indicatorView = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  reports: z.array(
    z.object({
      reportId: z.string(),
      receivedAt: z.string(),
      category: z.enum(categories),
      roles: z.array(z.string()),
      paid: z.array(paid),
      contactAboutRecovery: z.boolean(),
      shareWithLawEnforcement: z.boolean(),
      href: z.string(),
    }),
  ),
  claims: z.array(
    z.object({
      claimId: z.string(),
      filedAt: z.string(),
      poolId: z.optional(z.string()),
      paid: z.array(paid),
      href: z.string(),
    }),
  ),
  seizedBy: z.array(z.object({ poolId: z.string(), href: z.string() })),
  /** Over every report and claim linked to the identifier, not only this page. */
  summary: z.object({
    reports: z.int(),
    paidByCurrency: z.record(z.string(), money),
    consentingToContact: z.int(),
    claims: z.int(),
  }),
  cursor: z.optional(z.string()),
  claimsCursor: z.optional(z.string()),
});

// --- Pools ------------------------------------------------------------------------------------

const indicatorRef = z.object({ type: z.enum(indicatorTypes), value: z.string(), display: z.string() });

export const publicPool = z.object({
  poolId: z.string(),
  name: z.string(),
  caseNumber: z.string(),
  court: z.string(),
  description: z.optional(z.string()),
  eligibility: z.string(),
  /** The programme in Spanish where the agency wrote it; blank fields fall back to English. */
  es: z.optional(
    z.object({
      name: z.optional(z.string()),
      description: z.optional(z.string()),
      eligibility: z.optional(z.string()),
    }),
  ),
  amountCents: money,
  currency: z.string(),
  claimDeadline: z.iso.date(),
});

export const publicPoolList = z.object({ pools: z.array(publicPool) });

export const matchingResult = z.object({
  poolId: z.string(),
  identifiers: z.int(),
  matchedReports: z.int(),
  matchedClaims: z.int(),
  matches: z.int(),
  invitationsCreated: z.int(),
  removedMatches: z.int(),
});

export const poolView = z.looseObject({
  ...publicPool.shape,
  seizedIndicators: z.array(indicatorRef),
  minimumPayoutCents: money,
  status: z.enum(poolStatuses),
  version: z.int(),
  open: z.boolean(),
  activeDistributionId: z.optional(z.string()),
  matching: z.optional(matchingResult),
});

export const poolList = z.object({ pools: z.array(poolView) });

const matchedIdentifier = z.object({
  type: z.enum(indicatorTypes),
  value: z.string(),
  display: z.string(),
  roles: z.array(z.string()),
  paid: z.array(paid),
  paidCents: money,
});

export const poolMatches = z.object({
  poolId: z.string(),
  poolName: z.string(),
  currency: z.string(),
  claims: z.array(
    z.object({
      claimId: z.string(),
      href: z.string(),
      filedAt: z.string(),
      identifiers: z.array(matchedIdentifier),
    }),
  ),
  reports: z.array(
    z.object({
      reportId: z.string(),
      href: z.string(),
      receivedAt: z.string(),
      identifiers: z.array(matchedIdentifier),
      invitation: z.optional(
        z.object({ code: z.string(), createdAt: z.string(), claimId: z.optional(z.string()) }),
      ),
    }),
  ),
  reportsWithoutConsent: z.int(),
  cursors: z.optional(z.object({ claims: z.optional(z.string()), reports: z.optional(z.string()) })),
});

// --- Claims -----------------------------------------------------------------------------------

const timelineEntry = z.object({
  status: z.enum(claimStatuses),
  at: isoInstant,
  note: z.optional(z.string()),
  event: z.optional(
    z.object({
      kind: z.enum(timelineEventKinds),
      amountCents: z.optional(money),
      currency: z.optional(z.string()),
      round: z.optional(z.int()),
      date: z.optional(z.string()),
      method: z.optional(z.enum(payoutMethods)),
      last4: z.optional(z.string()),
      documents: z.optional(z.int()),
    }),
  ),
});

export const filedClaim = z.object({
  claimId: z.string(),
  accessCode: z.string(),
  status: z.literal('SUBMITTED'),
  filedAt: isoInstant,
  poolId: z.optional(z.string()),
  poolName: z.optional(z.string()),
  notice: z.string(),
});

export const claimStatusView = z.object({
  claimId: z.string(),
  status: z.enum(claimStatuses),
  timeline: z.array(timelineEntry),
  filedAt: isoInstant,
  poolId: z.optional(z.string()),
  poolName: z.optional(z.string()),
  recognizedLossCents: z.optional(money),
  payoutCents: z.optional(money),
  payoutRound: z.optional(z.int()),
  currency: z.string(),
  payoutExplanation: z.optional(z.record(z.string(), z.unknown())),
  payoutSentence: z.optional(z.string()),
  reconsideration: z.optional(
    z.object({ canRequest: z.boolean(), deadline: z.iso.date(), requestedAt: z.optional(z.string()) }),
  ),
  paymentDetails: z.optional(
    z.object({
      receivedAt: isoInstant,
      method: z.enum(payoutMethods),
      accountLast4: z.optional(z.string()),
      reissuePending: z.literal(true),
    }),
  ),
  nextStep: z.string(),
  followUp: z.optional(
    z.object({
      question: z.optional(z.string()),
      answers: z.array(z.object({ at: isoInstant, text: z.string(), documentIds: z.array(z.string()) })),
      documents: z.array(
        z.object({
          documentId: z.string(),
          name: z.string(),
          state: z.enum(['UPLOAD_REQUESTED', 'CLEAN', 'INFECTED', 'REJECTED']),
          reason: z.optional(z.string()),
        }),
      ),
      maxDocuments: z.int(),
      maxDocumentBytes: z.int(),
      acceptedTypes: z.array(z.string()),
    }),
  ),
});

/** A document upload slot: POST the form `fields`, then the file (last), to `url`. */
export const documentUpload = z.object({
  documentId: z.string(),
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
  maxBytes: z.int(),
});

export const verifiedInvitation = z.object({
  genuine: z.literal(true),
  code: z.string(),
  poolId: z.string(),
  poolName: z.string(),
  caseNumber: z.string(),
  court: z.string(),
  claimDeadline: z.iso.date(),
  open: z.boolean(),
  alreadyUsed: z.boolean(),
  message: z.string(),
  neverAFee: z.string(),
  prefill: z.object({
    payments: z.array(
      z.object({
        amountCents: money,
        currency: z.string(),
        date: z.optional(z.string()),
        method: z.string(),
        /** Masked: a stolen code reveals no account or wallet in full. */
        recipient: z.optional(z.string()),
      }),
    ),
  }),
});

export const staffClaim = z.looseObject({
  claimId: z.string(),
  status: z.enum(claimStatuses),
  version: z.int(),
  poolId: z.optional(z.string()),
  claimedCents: money,
  recoveriesCents: money,
  recognizedLossCents: z.optional(money),
  defaultRecognizedLossCents: money,
  timeline: z.array(timelineEntry),
  decisions: z.array(z.looseObject({ decision: z.string(), by: z.string(), at: isoInstant })),
  flags: z.array(z.string()),
  matchedPoolIds: z.optional(z.array(z.string())),
  /** Why a reviewer should look twice: shared contact details, a loss above the report, a reused code. */
  reviewFlags: z.optional(
    z.array(
      z.object({
        code: z.string(),
        reason: z.string(),
        claimIds: z.optional(z.array(z.string())),
        reportIds: z.optional(z.array(z.string())),
        scope: z.optional(z.enum(['same-programme', 'other-programmes', 'both'])),
      }),
    ),
  ),
});

export const staffClaimPage = z.object({ items: z.array(staffClaim), cursor: z.optional(z.string()) });

// --- Dashboard and audit trail ---------------------------------------------------------------

const weekSeries = z.object({
  weeks: z.array(z.iso.date()),
  rows: z.array(z.object({ key: z.string(), counts: z.array(z.int()), total: z.int() })),
});

export const dashboard = z.object({
  generatedAt: isoInstant,
  weeks: z.array(z.iso.date()),
  reportsPerWeek: z.array(z.int()),
  byCategory: weekSeries,
  byPaymentMethod: weekSeries,
  byAgeRange: weekSeries,
  lossesByPaymentMethod: z.array(
    z.object({
      currency: z.string(),
      rows: z.array(z.object({ method: z.string(), cents: z.array(money), totalCents: money })),
    }),
  ),
  claimsByStatus: z.array(
    z.object({
      poolId: z.nullable(z.string()),
      poolName: z.optional(z.string()),
      counts: z.partialRecord(z.enum(claimStatuses), z.int()),
      total: z.int(),
    }),
  ),
  topIdentifiers: z.array(
    z.object({ type: z.string(), display: z.string(), reports: z.int(), href: z.string() }),
  ),
});

export const auditEntry = z.object({
  at: isoInstant,
  requestId: z.string(),
  actor: z.object({
    sub: z.string(),
    email: z.optional(z.string()),
    roles: z.array(z.string()),
    clientId: z.optional(z.string()),
  }),
  action: z.enum(['read', 'write']),
  route: z.string(),
  path: z.string(),
  sourceIp: z.string(),
  userAgent: z.optional(z.string()),
  subjectId: z.optional(z.string()),
  subjectIds: z.array(z.string()),
  phase: z.optional(z.literal('result')),
  detail: z.optional(z.string()),
});

export const auditPage = z.object({ items: z.array(auditEntry), cursor: z.optional(z.string()) });

// --- Distributions ----------------------------------------------------------------------------

const signOff = z.object({ by: z.string(), at: z.string() });

/** A plan: its background job while COMPUTING, then its lines a page at a time. */
export const distributionPlan = z.looseObject({
  distributionId: z.string(),
  poolId: z.string(),
  status: z.enum(['COMPUTING', 'PLANNED', 'APPROVED', 'RELEASED', 'FAILED']),
  roundNumber: z.int(),
  previousDistributionId: z.optional(z.string()),
  job: z.looseObject({
    state: z.enum(['QUEUED', 'RUNNING', 'READY', 'FAILED']),
    phase: z.enum(['COUNT', 'READ', 'COMPUTE', 'DONE']),
    claimsTotal: z.optional(z.int()),
    claimsRead: z.int(),
    linesWritten: z.int(),
    percent: z.int(),
    errors: z.array(z.string()),
  }),
  requiredApprovers: z.int(),
  createdBy: z.string(),
  approvals: z.array(signOff),
  releaseApprovals: z.array(signOff),
  approvalsMissing: z.int(),
  releaseApprovalsMissing: z.int(),
  poolAmountCents: z.optional(money),
  totalPayoutCents: z.optional(money),
  totalRecognizedLossCents: z.optional(money),
  minimumPayoutCents: z.optional(money),
  basis: z.optional(z.enum(['FULL', 'PRO_RATA'])),
  leftoverCents: z.optional(money),
  reissueCount: z.optional(z.int()),
  reissueCents: z.optional(money),
  payouts: z.optional(
    z.array(
      z.object({
        claimId: z.string(),
        recognizedLossCents: money,
        payoutCents: money,
        reissueOf: z.optional(z.string()),
      }),
    ),
  ),
  excluded: z.optional(
    z.array(
      z.object({
        claimId: z.string(),
        recognizedLossCents: money,
        reason: z.string(),
        exactShareCents: z.string(),
        round: z.int(),
      }),
    ),
  ),
  payoutsCursor: z.optional(z.string()),
  excludedCursor: z.optional(z.string()),
  /** Once approved: the job moving the claims. */
  scheduling: z.optional(
    z.looseObject({
      state: z.enum(['QUEUED', 'RUNNING', 'DONE']),
      chunks: z.int(),
      linesTotal: z.int(),
      linesDone: z.int(),
      scheduled: z.int(),
      reissued: z.int(),
      closed: z.int(),
      held: z.int(),
      percent: z.int(),
    }),
  ),
  /** Once released: the job writing the payment file, then its checksum. */
  paymentFile: z.optional(
    z.looseObject({
      state: z.enum(['WRITING', 'READY']),
      rows: z.int(),
      percent: z.int(),
      bytes: z.optional(z.int()),
      sha256: z.optional(z.string()),
    }),
  ),
  /** The last results file uploaded to S3, and what its check found. */
  resultsUpload: z.optional(
    z.looseObject({
      uploadId: z.string(),
      state: z.enum(['CHECKING', 'ACCEPTED', 'REFUSED']),
      bytes: z.int(),
      file: z.optional(z.int()),
      lines: z.optional(z.int()),
      message: z.optional(z.string()),
      code: z.optional(z.string()),
      problemCount: z.optional(z.int()),
    }),
  ),
  refusedLines: z.optional(
    z.array(z.object({ line: z.int(), claimId: z.optional(z.string()), reason: z.string() })),
  ),
});

/** A sign-off (approval or release): still PLANNED/APPROVED with what is missing, or done. */
export const signOffResult = z.looseObject({
  distributionId: z.string(),
  poolId: z.string(),
  status: z.enum(['PLANNED', 'APPROVED', 'RELEASED']),
});

/** Payment results accepted: totals; claims move in the background. */
export const paymentResultsAccepted = z.looseObject({});

export const resultsUploadSlot = z.object({
  distributionId: z.string(),
  uploadId: z.string(),
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
  expiresAt: z.string(),
  maxBytes: z.int(),
});

export const paymentFileLink = z.object({
  distributionId: z.string(),
  fileName: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  sha256: z.string(),
  bytes: z.int(),
  rows: z.int(),
});

export const health = z.object({ status: z.literal('ok') });

// --- TAXII 2.1 (partner agencies) --------------------------------------------------------------

/** TAXII 2.1 section 3.6.1: the error message resource, not a problem details document. */
export const taxiiError = z.looseObject({
  title: z.string(),
  description: z.optional(z.string()),
  http_status: z.optional(z.string()),
});
export const taxiiDiscovery = z.looseObject({
  title: z.string(),
  description: z.optional(z.string()),
  default: z.optional(z.string()),
  api_roots: z.optional(z.array(z.string())),
});
export const taxiiApiRoot = z.looseObject({
  title: z.string(),
  versions: z.array(z.string()),
  max_content_length: z.int(),
});
export const taxiiCollection = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: z.optional(z.string()),
  alias: z.optional(z.string()),
  can_read: z.boolean(),
  can_write: z.boolean(),
  media_types: z.optional(z.array(z.string())),
});
export const taxiiCollections = z.object({ collections: z.optional(z.array(taxiiCollection)) });
/** A STIX 2.1 object: only the common properties are described here. */
export const stixObject = z.looseObject({
  type: z.string(),
  id: z.string(),
  spec_version: z.optional(z.string()),
});
export const taxiiEnvelope = z.object({
  more: z.optional(z.boolean()),
  next: z.optional(z.string()),
  objects: z.optional(z.array(stixObject)),
});
export const taxiiManifest = z.object({
  more: z.optional(z.boolean()),
  next: z.optional(z.string()),
  objects: z.optional(
    z.array(
      z.object({
        id: z.string(),
        date_added: z.string(),
        version: z.string(),
        media_type: z.optional(z.string()),
      }),
    ),
  ),
});
export const taxiiVersions = z.object({
  more: z.optional(z.boolean()),
  next: z.optional(z.string()),
  versions: z.optional(z.array(z.string())),
});
export const stixBundle = z.looseObject({
  type: z.literal('bundle'),
  id: z.string(),
  objects: z.optional(z.array(stixObject)),
});

export const sharingExport = z.object({
  exportId: z.string(),
  state: z.enum(exportStates),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  progress: z.object({ written: z.int(), total: z.int(), percent: z.int() }),
  file: z.optional(
    z.object({
      url: z.string(),
      expiresAt: z.string(),
      fileName: z.string(),
      size: z.int(),
      sha256: z.string(),
    }),
  ),
  error: z.optional(z.string()),
});

/** The names in `components.schemas`. A schema used anywhere in the document is referenced by it. */
export const namedSchemas = {
  Problem: problem,
  DecisionConflict: decisionConflict,
  FieldProblem: fieldProblem,
  GatewayMessage: gatewayMessage,
  Health: health,
  ReportInput: reportInputSchema,
  Payment: payment,
  PaymentRecipient: recipient,
  BankAccountRecipient: bankAccountRecipient,
  CryptoWalletRecipient: cryptoWalletRecipient,
  PaymentAppRecipient: paymentAppRecipient,
  GiftCardRecipient: giftCardRecipient,
  MoneyTransferRecipient: moneyTransferRecipient,
  OtherRecipient: otherRecipient,
  AcceptedReport: acceptedReport,
  NextStep: nextStep,
  Report: reportView,
  ReportPage: reportPage,
  IndicatorLink: indicatorLink,
  Indicator: indicatorView,
  PublicPool: publicPool,
  PublicPoolList: publicPoolList,
  PoolInput: poolInputSchema,
  PoolPatch: poolPatchSchema,
  Pool: poolView,
  PoolList: poolList,
  MatchingResult: matchingResult,
  PoolMatches: poolMatches,
  ClaimInput: claimInputSchema,
  FiledClaim: filedClaim,
  ClaimAccess: statusRequestSchema,
  ClaimStatus: claimStatusView,
  ReconsiderationRequest: reconsiderationSchema,
  InvitationCode: invitationCodeSchema,
  VerifiedInvitation: verifiedInvitation,
  Claim: staffClaim,
  ClaimPage: staffClaimPage,
  ClaimDecision: decisionSchema,
  DistributionPlan: distributionPlan,
  SignOff: signOffResult,
  PaymentResultsAccepted: paymentResultsAccepted,
  ResultsUploadSlot: resultsUploadSlot,
  PaymentFileLink: paymentFileLink,
  PaymentDetailsRequest: paymentDetailsSchema,
  DocumentUploadRequest: documentUploadSchema,
  DocumentUpload: documentUpload,
  InfoAnswer: infoAnswerSchema,
  TaxiiError: taxiiError,
  TaxiiDiscovery: taxiiDiscovery,
  TaxiiApiRoot: taxiiApiRoot,
  TaxiiCollection: taxiiCollection,
  TaxiiCollections: taxiiCollections,
  StixObject: stixObject,
  TaxiiEnvelope: taxiiEnvelope,
  TaxiiManifest: taxiiManifest,
  TaxiiVersions: taxiiVersions,
  StixBundle: stixBundle,
  SharingExportRequest: exportRequestSchema,
  SharingExport: sharingExport,
} as const satisfies Record<string, z.ZodMiniType>;
