/**
 * Pre-signed S3 links, shared by the uploads and artefact buckets: a POST whose policy pins the
 * key, the type and the size (S3 refuses anything else before a byte is stored), and a GET that
 * downloads under a given file name. Both expire; they carry the caller's (the function's) rights.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export async function presignedPost(
  s3: S3Client,
  bucket: string,
  key: string,
  contentType: string,
  maxBytes: number,
  seconds: number,
): Promise<{ url: string; fields: Record<string, string> }> {
  const post = await createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: seconds,
  });
  return { url: post.url, fields: post.fields };
}

/** A header-safe download name. */
export const attachment = (fileName: string) => `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`;

export function presignedDownload(
  s3: S3Client,
  bucket: string,
  key: string,
  fileName: string,
  seconds: number,
): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: attachment(fileName) }),
    { expiresIn: seconds },
  );
}
