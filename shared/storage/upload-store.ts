/**
 * The claimants' uploads bucket: pre-signed POSTs whose policy pins the key, the type and the size
 * (S3 refuses anything else before a byte is stored), then, once a scan says clean, the content
 * check and the copy out of quarantine. Reviewers get short-lived links to clean documents only.
 */

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PresignedUpload, UploadBucket } from '../use-cases/follow-up.ts';
import { presignedDownload, presignedPost } from './s3-links.ts';

const UPLOAD_SECONDS = 15 * 60;
const DOWNLOAD_SECONDS = 5 * 60;

export class UploadStore implements UploadBucket {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async presignUpload(key: string, contentType: string, maxBytes: number): Promise<PresignedUpload> {
    return presignedPost(this.#s3, this.#bucket, key, contentType, maxBytes, UPLOAD_SECONDS);
  }

  /** Size and the first `bytes` bytes (enough for file-type's magic numbers), or undefined if absent. */
  async readStart(key: string, bytes: number): Promise<{ sizeBytes: number; start: Uint8Array } | undefined> {
    try {
      const head = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      const sizeBytes = Number(head.ContentLength ?? 0);
      if (sizeBytes === 0) return { sizeBytes, start: new Uint8Array() };
      const res = await this.#s3.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
      );
      const start = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
      return { sizeBytes, start: start.subarray(0, bytes) };
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (e instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw e;
    }
  }

  async copy(from: string, to: string, contentType: string): Promise<void> {
    await this.#s3.send(
      new CopyObjectCommand({
        Bucket: this.#bucket,
        Key: to,
        CopySource: `${this.#bucket}/${from}`,
        // The type the content proved, whatever the browser sent.
        ContentType: contentType,
        MetadataDirective: 'REPLACE',
      }),
    );
  }

  async remove(key: string): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async downloadLink(key: string, fileName: string): Promise<string> {
    return presignedDownload(this.#s3, this.#bucket, key, fileName, DOWNLOAD_SECONDS);
  }
}
