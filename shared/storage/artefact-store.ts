/**
 * Large artefacts in S3: a plan job's input snapshot and the plan's lines (in chunks of a few
 * thousand), and accepted payment results files. Objects are JSON, written whole and never
 * changed in place: a retried step writes the same key with the same content. Encryption is the
 * bucket's default (SSE-KMS with the data key, set in the CDK app), so no request names a key.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export class ArtefactStore {
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
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }
}
