/**
 * The composition seam: the stores and queue behind each function's use cases, typed as the
 * interfaces those use cases own. A handler asks for each one once, at cold start; a test may
 * `provide` in-memory stand-ins first (before importing the handler), so handler tests exercise
 * the HTTP mapping without DynamoDB or SQS. Type-only imports: nothing here adds to a bundle.
 */

import type { AuditStore } from '#shared/use-cases/audit-trail.ts';
import type { ClaimContactIndex } from '#shared/use-cases/claim-flags.ts';
import type { ReconsiderationDeps, StatusDeps } from '#shared/use-cases/claim-status.ts';
import type {
  ClaimCounter,
  ClaimCountOutbox,
  DashboardReader,
  ReportCounter,
  StepClaimCounter,
} from '#shared/use-cases/dashboard.ts';
import type {
  ArtefactStore,
  DistributionDeps,
  DistributionStore,
  JobQueue,
} from '#shared/use-cases/distribute.ts';
import type { EnrichmentStore } from '#shared/use-cases/enrich-report.ts';
import type { ExportSource } from '#shared/use-cases/export-bundle.ts';
import type { ExportFileStore, ExportJobStore, ExportQueue } from '#shared/use-cases/export-job.ts';
import type { ClaimPoolStore, ClaimReportReader, NewClaimStore } from '#shared/use-cases/file-claim.ts';
import type { FollowUpStore, UploadBucket } from '#shared/use-cases/follow-up.ts';
import type { FailureCounter } from '#shared/use-cases/guess-guard.ts';
import type { ClaimMarkers } from '#shared/use-cases/match-pools.ts';
import type { PayoutVault } from '#shared/use-cases/payout-vault.ts';
import type { PoolStore } from '#shared/use-cases/read-pools.ts';
import type { IndicatorClaimReader, ReportReader } from '#shared/use-cases/read-reports.ts';
import type { ReviewClaimStore, ReviewDeps } from '#shared/use-cases/review-claims.ts';
import type { DeliverDeps, MailLedger, MailOutbox, MailTransport } from '#shared/use-cases/send-mail.ts';
import type { SharedSummaryStore } from '#shared/use-cases/share-indicators.ts';
import type { ReceivedReportStore, ReportQueue } from '#shared/use-cases/submit-report.ts';
import type { SharedIndicatorSource } from '#shared/use-cases/taxii.ts';

export type ReportStore = ReportReader & ReceivedReportStore & EnrichmentStore & ClaimReportReader;

export type PoolsStore = PoolStore &
  ClaimPoolStore &
  DistributionDeps['pools'] &
  ReviewDeps['pools'] &
  StatusDeps['pools'] &
  DeliverDeps['pools'] &
  Pick<IndicatorClaimReader, 'poolsSeizing'>;

export type ClaimStore = ReviewClaimStore &
  NewClaimStore &
  ClaimMarkers &
  Pick<IndicatorClaimReader, 'linkedClaims'> &
  ReconsiderationDeps['claims'] &
  DistributionDeps['claims'] &
  ClaimCountOutbox;

/** Partner sharing: enrichment refreshes summaries, TAXII and the export read them. */
export type SharedIndicatorStore = SharedSummaryStore & SharedIndicatorSource & ExportSource;
export type StatsStore = ReportCounter & ClaimCounter & StepClaimCounter & DashboardReader;

export interface Dependencies {
  reports: ReportStore;
  pools: PoolsStore;
  claims: ClaimStore;
  distributions: DistributionStore;
  failures: FailureCounter;
  reportQueue: ReportQueue;
  /** The audit trail of staff requests (functions/http/api-handler.ts appends, admin-audit searches). */
  audit: AuditStore;
  /** Plan lines and results files (S3), and the distribution job queue. */
  artefacts: ArtefactStore;
  jobs: JobQueue;
  sharedIndicators: SharedIndicatorStore;
  /** Sharing export jobs: their items, their files (S3) and their queue. */
  exportJobs: ExportJobStore;
  exportFiles: ExportFileStore;
  exportQueue: ExportQueue;
  /** A claimant's answers and documents, and the uploads bucket (docs/follow-up.md). */
  followUps: FollowUpStore;
  uploads: UploadBucket;
  stats: StatsStore;
  contacts: ClaimContactIndex;
  /** Seals claimants' account numbers; only the payment-file writer opens them. */
  payoutVault: PayoutVault;
  /** E-mail (docs/email.md): the outbox intents go to, the sent ledger, and how a mail is sent. */
  mail: MailOutbox;
  mailLedger: MailLedger;
  mailTransport: MailTransport;
}

const provided: Partial<Dependencies> = {};

/** For tests: use these in place of the AWS adapters. Call before importing a handler. */
export function provide(deps: Partial<Dependencies>): void {
  Object.assign(provided, deps);
}

/** The provided stand-in, else the real adapter (built only when none was provided). */
export function providedOr<K extends keyof Dependencies>(
  name: K,
  build: () => Dependencies[K],
): Dependencies[K] {
  return provided[name] ?? build();
}
