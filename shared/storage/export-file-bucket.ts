/**
 * Sharing export files in the artefact bucket (under exports/): written as an explicit S3
 * multipart upload, one part per job step, so the job can record each part and resume after a
 * crash; read back as a stream for the SHA-256; downloaded through short-lived pre-signed links.
 * Encryption is the bucket's default (SSE-KMS with the data key), so no request names a key.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportPartRecord } from '../domain/sharing/export-job.ts';
import type { ExportFileStore } from '../use-cases/export-job.ts';
import { STIX_MEDIA_TYPE } from '../use-cases/taxii.ts';

export class ExportFileBucket implements ExportFileStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async begin(key: string): Promise<string> {
    const res = await this.#s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.#bucket, Key: key, ContentType: STIX_MEDIA_TYPE }),
    );
    if (!res.UploadId) throw new Error('S3 started a multipart upload without an upload id');
    return res.UploadId;
  }

  async writePart(key: string, uploadId: string, n: number, body: Uint8Array): Promise<string> {
    const res = await this.#s3.send(
      new UploadPartCommand({
        Bucket: this.#bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: n,
        Body: body,
      }),
    );
    if (!res.ETag) throw new Error('S3 stored a part without an ETag');
    return res.ETag;
  }

  async complete(
    key: string,
    uploadId: string,
    parts: readonly ExportPartRecord[],
  ): Promise<'done' | 'lost'> {
    try {
      await this.#s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.n, ETag: p.etag })) },
        }),
      );
      return 'done';
    } catch (e) {
      const name = (e as { name?: string }).name;
      // Completed already by a run of this step that died before recording it: the file exists.
      if (name === 'NoSuchUpload') return (await this.#exists(key)) ? 'done' : 'lost';
      if (name === 'InvalidPart' || name === 'InvalidPartOrder' || name === 'EntityTooSmall') return 'lost';
      throw e;
    }
  }

  async digest(key: string): Promise<{ size: number; sha256: string }> {
    const res = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    const hash = createHash('sha256');
    let size = 0;
    // Streamed: the file is never held whole.
    for await (const chunk of res.Body as Readable) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).byteLength;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.#s3,
      new GetObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
        ResponseContentType: STIX_MEDIA_TYPE,
      }),
      { expiresIn: expiresInSeconds },
    );
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'NotFound') return false;
      throw e;
    }
  }
}
