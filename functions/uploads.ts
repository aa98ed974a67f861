/** The claimants' uploads bucket, for the functions whose access names it (functions/routes.ts). */
import { UploadStore } from '#shared/storage/upload-store.ts';
import { required } from './config.ts';
import { s3 } from './s3-client.ts';

export const uploadStore = (): UploadStore => new UploadStore(s3, required('UPLOAD_BUCKET'));
