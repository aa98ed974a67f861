/**
 * The local stand-in for GuardDuty Malware Protection for S3: it watches the uploads bucket's
 * quarantine/ prefix and, for every new object, invokes the uploadScan function with the event
 * GuardDuty would publish, always NO_THREATS_FOUND. Nothing is scanned locally (README): the
 * content check, the copy out of quarantine and the document's states are the real ones.
 * A failed invocation is retried on the next sweep, as EventBridge retries.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { QUARANTINE_PREFIX } from '#shared/domain/follow-up.ts';
import {
  cachedLoader,
  type FunctionSettings,
  type HandlerLoader,
  invokeFunction,
  type LocalLogger,
} from './lambda.ts';

export interface LocalScanner {
  start(): void;
  stop(): Promise<void>;
  /** One sweep now (tests): resolves once every object found has been handled. */
  sweep(): Promise<void>;
}

export function createLocalScanner(options: {
  s3: S3Client;
  bucket: string;
  settings: FunctionSettings;
  loadHandler: HandlerLoader;
  logger: LocalLogger;
  intervalMs?: number;
}): LocalScanner {
  const load = cachedLoader(options.loadHandler);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const sweepOnce = async () => {
    const listed = await options.s3.send(
      new ListObjectsV2Command({ Bucket: options.bucket, Prefix: QUARANTINE_PREFIX, MaxKeys: 100 }),
    );
    const objects = listed.Contents ?? [];
    if (objects.length === 0) return;
    const handler = await load('uploadScan');
    for (const object of objects) {
      if (stopped || !object.Key) continue;
      const event = {
        version: '0',
        source: 'aws.guardduty',
        'detail-type': 'GuardDuty Malware Protection Object Scan Result',
        detail: {
          schemaVersion: '1.0',
          s3ObjectDetails: { bucketName: options.bucket, objectKey: object.Key },
          scanStatus: 'COMPLETED',
          scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND', threats: null },
        },
      };
      try {
        await invokeFunction('uploadScan', handler, event, options.settings);
      } catch (error) {
        options.logger.error('local scan result not applied; retrying on the next sweep', error);
      }
    }
  };

  const sweep = () => {
    running = running.then(sweepOnce).catch((error) => options.logger.error('local scanner', error));
    return running;
  };

  return {
    start() {
      stopped = false;
      const tick = () => {
        void sweep().finally(() => {
          if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 500);
        });
      };
      timer = setTimeout(tick, options.intervalMs ?? 500);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    sweep,
  };
}
