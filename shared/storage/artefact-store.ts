/**
 * Large artefacts in S3: a plan job's input snapshot and the plan's lines (in chunks of a few
 * thousand), accepted payment results files, the payment file, and results files staff upload
 * straight here with a pre-signed POST. Objects are written whole and never changed in place: a
 * retried step writes the same key with the same content, or a fresh key. Encryption is the
 * bucket's default (SSE-KMS with the data key, set in the CDK app), so no request names a key.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArtefactStore as ArtefactStoreInterface } from '../use-cases/distribute.ts';
import { attachment, presignedDownload, presignedPost } from './s3-links.ts';

/** A payment file link is good for five minutes: long enough to start the download, no longer. */
const DOWNLOAD_SECONDS = 5 * 60;
const UPLOAD_SECONDS = 15 * 60;

const isMissing = (e: unknown) => {
  const name = (e as { name?: string }).name;
  return e instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NotFound';
};

export class ArtefactStore implements ArtefactStoreInterface {
  readonly #s3: S3Client;
  readonly #bucket: string;
  /** Counted operations, for the benchmark's cost projection. */
  readonly counts = { puts: 0, gets: 0, bytesWritten: 0 };

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const body = JSON.stringify(value);
    this.counts.puts++;
    this.counts.bytesWritten += Buffer.byteLength(body);
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
      }),
    );
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    this.counts.gets++;
    try {
      const res = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const text = await res.Body?.transformToString('utf8');
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async putFile(key: string, body: Uint8Array, contentType: string, fileName: string): Promise<void> {
    this.counts.puts++;
    this.counts.bytesWritten += body.length;
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentDisposition: attachment(fileName),
      }),
    );
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    this.counts.gets++;
    try {
      const res = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return await res.Body?.transformToByteArray();
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return Number(head.ContentLength ?? 0);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async downloadLink(key: string, fileName: string): Promise<{ url: string; expiresAt: string }> {
    const url = await presignedDownload(this.#s3, this.#bucket, key, fileName, DOWNLOAD_SECONDS);
    return { url, expiresAt: new Date(Date.now() + DOWNLOAD_SECONDS * 1000).toISOString() };
  }

  async presignUpload(key: string, contentType: string, maxBytes: number) {
    const post = await presignedPost(this.#s3, this.#bucket, key, contentType, maxBytes, UPLOAD_SECONDS);
    return { ...post, expiresAt: new Date(Date.now() + UPLOAD_SECONDS * 1000).toISOString() };
  }
}
