/**
 * The SQS client, in its own module so functions that never send messages do not bundle it.
 * The queue URL is used as given: fauxqs' local URLs use a host glibc cannot resolve.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { requestHandler } from './clients.ts';

export const sqs = new SQSClient({ maxAttempts: 3, requestHandler, useQueueUrlAsEndpoint: false });
