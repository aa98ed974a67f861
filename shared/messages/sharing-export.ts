/**
 * The sharing export queue's message, version 1: "run step `step` of this export job". The job's
 * state lives in its DynamoDB item, not in the message, so a duplicate or late message is
 * recognised (its step is not the one the job waits for) and does nothing.
 */
import * as z from 'zod/mini';

export const SHARING_EXPORT = 'restore.sharing.export';

export const sharingExportV1 = z.object({
  type: z.literal(SHARING_EXPORT),
  version: z.literal(1),
  exportId: z.string().check(z.minLength(1), z.maxLength(60)),
  step: z.int().check(z.gte(0)),
});

export type SharingExportV1 = z.output<typeof sharingExportV1>;
