/**
 * Public claim routes — primary adapters for the victim's use cases:
 * POST /v1/claims (file), POST /v1/claims/status (check with id + access code),
 * POST /v1/claims/reconsideration (ask for a denial to be looked at again),
 * POST /v1/invitations/verify (is this notice genuine?).
 * Codes are never logged; the guess counters key on a keyed hash of the source address.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { requiredText } from '#shared/domain/report-schema.ts';
import { parseWith } from '#shared/domain/validation.ts';
import { claimStatus, requestReconsideration } from '#shared/use-cases/claim-status.ts';
import { fileClaim, verifyInvitation } from '#shared/use-cases/file-claim.ts';
import { clientHash } from '#shared/use-cases/guess-guard.ts';
import { matchSubject } from '#shared/use-cases/match-pools.ts';
import { type ApiEvent, apiHandler } from '../http/api-handler.ts';
import { readJsonObject } from '../http/request.ts';
import { json } from '../http/response.ts';
import { indicatorKey } from '../indicator-key.ts';
import { describeError, logger, metrics } from '../observability.ts';
import {
  claimantIndex,
  claimRepository,
  poolRepository,
  rateLimitRepository,
  reportRepository,
} from '../repositories.ts';

const pools = poolRepository();
const claims = claimRepository();
const reports = reportRepository();
const counter = rateLimitRepository();
const contacts = claimantIndex();

const sourceAddress = (event: ApiEvent): string => event.requestContext?.http?.sourceIp ?? 'unknown';

const onLimitReached = (scope: string) => () => {
  // No code, no id, no address: only that some client hit the limit.
  logger.warn('client reached the failed-attempt limit', { scope });
  metrics.addMetric('GuessLimitReached', MetricUnit.Count, 1);
};

const verifySchema = z.object({
  code: requiredText(60, 'Code', 'Enter the code printed on your letter, like INV-7K3M-9QXD-2HFA-8WN4.'),
});

async function file(body: unknown, assistedBy?: { sub: string; email?: string }) {
  const filed = await fileClaim(body, {
    pools,
    claims,
    reports,
    contacts,
    key: await indicatorKey(),
    match: (subject) => matchSubject(subject, { pools, claims }),
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
  'POST /v1/claims': async ({ event }) => json(201, await file(readJsonObject(event))),

  // The helpline: the same claim and checks, filed by staff for a caller and marked as such.
  // The answer (claim id and access code) is for reading out; the console never keeps it.
  'POST /v1/admin/assisted/claims': async ({ event, caller }) =>
    json(
      201,
      await file(readJsonObject(event), {
        sub: caller!.sub,
        ...(caller!.email ? { email: caller!.email } : {}),
      }),
    ),

  'POST /v1/claims/status': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await claimStatus(body, {
      claims,
      pools,
      counter,
      clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
      onLimitReached: onLimitReached('claim-status'),
    });
    return json(200, view);
  },

  'POST /v1/claims/reconsideration': async ({ event }) => {
    const body = readJsonObject(event);
    const view = await requestReconsideration(body, {
      claims,
      pools,
      counter,
      clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
      onLimitReached: onLimitReached('claim-status'),
    });
    metrics.addMetric('ReconsiderationsRequested', MetricUnit.Count, 1);
    return json(200, view);
  },

  'POST /v1/invitations/verify': async ({ event }) => {
    const { code } = parseWith(verifySchema, readJsonObject(event));
    const verified = await verifyInvitation(code, {
      pools,
      reports,
      counter,
      clientHash: clientHash(await indicatorKey(), sourceAddress(event)),
    });
    return json(200, verified);
  },
});
