/**
 * The S3 client, in its own module so functions that keep nothing in S3 do not bundle it. The
 * endpoint comes from AWS_ENDPOINT_URL_S3 locally; local servers need path-style URLs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { requestHandler } from './clients.ts';
import { config } from './config.ts';

export const s3 = new S3Client({
  maxAttempts: 3,
  // Plan chunks are up to ~1.5 MB: give them longer than a table read.
  requestHandler: { ...requestHandler, requestTimeout: 15_000 },
  forcePathStyle: config().S3_FORCE_PATH_STYLE === 'true',
});
