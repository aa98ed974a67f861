/**
 * DynamoDB clients, built once per cold start and shared by all invocations. Endpoints come from the
 * standard AWS_ENDPOINT_URL_* variables, so the local runtime needs no special code path.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeadlineHttpHandler } from './deadline.ts';

// Lambda's default keeps connections alive; fail fast rather than hang a senior's form submission,
// and never past the invocation's own deadline (deadline.ts).
export const requestHandler = new DeadlineHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000 });

export const dynamo = new DynamoDBClient({ maxAttempts: 3, requestHandler });

export const documentClient = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
