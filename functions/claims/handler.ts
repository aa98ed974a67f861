/**
 * Public claim routes — primary adapters for the victim's use cases:
 * POST /v1/claims (file), POST /v1/claims/status (check with id + access code),
 * POST /v1/claims/reconsideration (ask for a denial to be looked at again),
 * POST /v1/claims/payment-details (a new mailing address after a returned payment),
 * POST /v1/claims/follow-up/documents and /v1/claims/follow-up (answer a request for information),
 * POST /v1/invitations/verify (is this notice genuine?).
 * Codes are never logged; the guess counters key on a keyed hash of the source address.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { invitationCodeSchema } from '#shared/domain/claim-schema.ts';
import { parseWith } from '#shared/domain/validation.ts';
import { requestReconsideration } from '#shared/use-cases/claim-status.ts';
import { fileClaim, verifyInvitation } from '#shared/use-cases/file-claim.ts';
import {
  answerInfoRequest,
  claimStatusWithFollowUp,
  requestDocumentUpload,
} from '#shared/use-cases/follow-up.ts';
import { clientHash } from '#shared/use-cases/guess-guard.ts';
import { matchSubject } from '#shared/use-cases/match-pools.ts';
import { recordPaymentDetails } from '#shared/use-cases/payment-details.ts';
import { config } from '../config.ts';
import { type ApiEvent, apiHandler } from '../http/api-handler.ts';
import { viewerAddress } from '../http/edge.ts';
import { readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { mailingClaimRepository, mailingPoolRepository, mailOutbox } from '../mail-outbox.ts';
import { describeError, logger, metrics } from '../observability.ts';
import { payoutVault } from '../payout-vault.ts';
import { claimantIndex, followUpRepository, rateLimitRepository, reportRepository } from '../repositories.ts';
import { uploadStore } from '../uploads.ts';

const pools = mailingPoolRepository();
const claims = mailingClaimRepository();
const mail = mailOutbox();
const reports = reportRepository();
const counter = rateLimitRepository();
const followUps = followUpRepository();
const uploads = uploadStore();
const contacts = claimantIndex();
// Encrypt only: this function's role cannot decrypt what it seals (docs/security.md).
const vault = payoutVault();

const sourceAddress = (event: ApiEvent): string => viewerAddress(event, config().ORIGIN_VERIFY !== undefined);

const onLimitReached = (scope: string) => () => {
  // No code, no id, no address: only that some client hit the limit.
  logger.warn('client reached the failed-attempt limit', { scope });
  metrics.addMetric('GuessLimitReached', MetricUnit.Count, 1);
};

/**
 * What every route proven with a claim id and access code needs: the claim and pool stores, and
 * one shared guess guard ('claim-status'), so a wrong code counts the same on every such route.
 */
async function claimantAccess(event: ApiEvent) {
  return {
    claims,
    pools,
    counter,
    clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
    onLimitReached: onLimitReached('claim-status'),
  };
}

async function file(event: ApiEvent, assistedBy?: { sub: string; email?: string }) {
  const body = readJsonObject(event);
  const filed = await fileClaim(body, {
    pools,
    claims,
    reports,
    contacts,
    mail,
    key: await indicatorKey(),
    payoutVault: vault,
    match: (subject) => matchSubject(subject, { pools, claims }),
    guesses: {
      counter,
      clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
      onLimitReached: onLimitReached('invitation'),
    },
    onMatchFailure: (e) => {
      logger.warn('claim stored but not matched; re-run pool matching', describeError(e));
      metrics.addMetric('ClaimMatchFailed', MetricUnit.Count, 1);
    },
    ...(assistedBy ? { assistedBy } : {}),
  });
  metrics.addMetric('ClaimsFiled', MetricUnit.Count, 1);
  return filed;
}

export const handler = apiHandler({
  'POST /v1/claims': async ({ event }) => json(201, await file(event)),

  // The helpline: the same claim and checks, filed by staff for a caller and marked as such.
  // The answer (claim id and access code) is for reading out; the console never keeps it.
  'POST /v1/admin/assisted/claims': async ({ event, caller }) =>
    json(
      201,
      await file(event, {
        sub: caller!.sub,
        ...(caller!.email ? { email: caller!.email } : {}),
      }),
    ),

  'POST /v1/claims/status': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await claimStatusWithFollowUp(body, {
      ...(await claimantAccess(event)),
      followUps,
      uploads,
    });
    return json(200, view);
  },

  'POST /v1/claims/follow-up/documents': async ({ event }) => {
    const body = readJsonObject(event);
    const upload = await requestDocumentUpload(body, {
      ...(await claimantAccess(event)),
      followUps,
      uploads,
    });
    metrics.addMetric('DocumentUploadsSigned', MetricUnit.Count, 1);
    return json(201, upload);
  },

  'POST /v1/claims/follow-up': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await answerInfoRequest(body, { ...(await claimantAccess(event)), followUps, uploads });
    metrics.addMetric('InfoRequestsAnswered', MetricUnit.Count, 1);
    return json(200, view);
  },

  'POST /v1/claims/payment-details': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await recordPaymentDetails(body, {
      ...(await claimantAccess(event)),
      key: await indicatorKey(),
      payoutVault: vault,
    });
    metrics.addMetric('PaymentDetailsUpdated', MetricUnit.Count, 1);
    return json(200, view);
  },

  'POST /v1/claims/reconsideration': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await requestReconsideration(body, await claimantAccess(event));
    metrics.addMetric('ReconsiderationsRequested', MetricUnit.Count, 1);
    return json(200, view);
  },

  'POST /v1/invitations/verify': async ({ event }) => {
    const { code } = parseWith(invitationCodeSchema, readJsonObject(event));
    const verified = await verifyInvitation(code, {
      pools,
      reports,
      counter,
      clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
    });
    return json(200, verified);
  },
});
