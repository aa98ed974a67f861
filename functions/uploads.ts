/** The claimants' uploads bucket, for the functions whose access names it (functions/routes.ts). */
import { UploadStore } from '#shared/storage/upload-store.ts';
import type { UploadBucket } from '#shared/use-cases/follow-up.ts';
import { required } from './config.ts';
import { providedOr } from './provided.ts';
import { s3 } from './s3-client.ts';

export const uploadStore = (): UploadBucket =>
  providedOr('uploads', () => new UploadStore(s3, required('UPLOAD_BUCKET')));
