/**
 * The payment file job: once enough admins released a plan, its payment file is written to S3
 * once (encrypted with the data key, like every artefact), and every download is that object,
 * never a file rebuilt later from claims that may have changed since.
 *
 * Steps (the header's `paymentFile.step`):
 *   0 .. chunks-1   one payout chunk: the paid, non-held lines with each payee's name and address,
 *                   as CSV rows, written as one part under a fresh key (so two deliveries of a step
 *                   never overwrite the part the header recorded).
 *   chunks          joins the recorded parts behind the header row into `payments.csv`, computes
 *                   its SHA-256, and marks the file READY with its size, rows and checksum. The
 *                   checksum also goes to the audit trail (with the job as the actor).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AuditEvent } from '../domain/audit.ts';
import type { DistributionJobV1 } from '../messages/distribution-job.ts';
import { artefactKeys } from '../storage/distribution-keys.ts';
import { type StepOutcome, stepGate } from './approval-job.ts';
import {
  CSV_COLUMNS,
  type DistributionDeps,
  type DistributionHeader,
  heldClaims,
  jobMessage,
  type PaymentFileProgress,
  paymentFileName,
  paymentRows,
  readChunk,
} from './distribute.ts';
import type { PayoutVault } from './payout-vault.ts';

export interface PaymentFileDeps extends DistributionDeps {
  audit: { record(event: AuditEvent): Promise<void> };
  /** Opens direct-deposit account numbers for the rows (this job alone may). */
  payoutVault: Pick<PayoutVault, 'open'>;
}

export async function runPaymentFileStep(
  message: DistributionJobV1,
  receiveCount: number,
  deps: PaymentFileDeps,
): Promise<StepOutcome> {
  const header = await deps.distributions.getHeader(message.poolId, message.distributionId);
  const f = header?.paymentFile;
  if (!header || !f || header.status !== 'RELEASED') return 'duplicate';
  if (f.state === 'READY') return 'finished';
  const gate = await stepGate(f.step, message, receiveCount, () =>
    deps.jobs.send(jobMessage(header, 'payment-file', f.step)),
  );
  if (gate !== 'run') return gate;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  let next: PaymentFileProgress;
  if (f.step < f.chunks) {
    const lines = await readChunk(deps, header.distributionId, 'payouts', f.step + 1);
    const rows = await paymentRows(header, lines, await heldClaims(header, deps), deps);
    const key = artefactKeys.paymentPart(header.distributionId, f.step + 1, randomUUID());
    await deps.artefacts.putJson(key, rows);
    next = {
      ...f,
      step: f.step + 1,
      rows: f.rows + rows.length,
      parts: [...f.parts, key],
      percent: Math.min(95, Math.floor((95 * (f.step + 1)) / Math.max(1, f.chunks))),
      updatedAt: at,
    };
  } else {
    const text: string[] = [CSV_COLUMNS.join(',')];
    for (const key of f.parts) {
      const rows = await deps.artefacts.getJson<string[]>(key);
      if (!rows) throw new Error(`Payment file part ${key} is missing`);
      for (const r of rows) text.push(r);
    }
    const body = Buffer.from(`${text.join('\r\n')}\r\n`, 'utf8');
    const sha256 = createHash('sha256').update(body).digest('hex');
    const key = artefactKeys.paymentFile(header.distributionId, sha256);
    await deps.artefacts.putFile(
      key,
      body,
      'text/csv; charset=utf-8',
      paymentFileName(header.distributionId),
    );
    next = {
      ...f,
      state: 'READY',
      step: f.step + 1,
      percent: 100,
      key,
      bytes: body.length,
      sha256,
      updatedAt: at,
      finishedAt: at,
    };
  }
  const moved = await deps.distributions.update(
    header.poolId,
    header.distributionId,
    { paymentFile: next },
    { status: 'RELEASED', paymentFileStep: f.step },
  );
  if (!moved) return 'duplicate';
  if (next.state === 'READY') {
    await deps.audit.record(paymentFileAudit(header, next, at));
    return 'finished';
  }
  await deps.jobs.send(jobMessage(header, 'payment-file', next.step));
  return 'done';
}

/** The audit entry of a written payment file: which plan, its checksum, who released it. */
function paymentFileAudit(header: DistributionHeader, f: PaymentFileProgress, at: string): AuditEvent {
  return {
    at,
    requestId: `payment-file-${header.distributionId}`,
    actor: { sub: 'system:distribution-worker', roles: ['system'] },
    action: 'write',
    route: 'JOB payment-file',
    path: `/v1/admin/pools/${header.poolId}/distributions/${header.distributionId}/payments.csv`,
    sourceIp: 'internal',
    subjectIds: [header.distributionId, header.poolId],
    detail: `payment file written: ${f.rows} rows, ${f.bytes} bytes, sha256 ${f.sha256}; released by ${header.releasedBy ?? 'unknown'}`,
  };
}
