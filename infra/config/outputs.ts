/**
 * The stable names operators' tools rely on, without importing CDK: stack names and the
 * CloudFormation output keys (no exports) of `cdk deploy --outputs-file`.
 */
import { enrichmentQueue } from '#shared/storage/tables.ts';

/** `Restore-<env>-<Part>`: every stack of a deployment is named this way. */
export function stackName(
  envName: string,
  part: 'Data' | 'Auth' | 'Enrichment' | 'Distribution' | 'Uploads' | 'Api' | 'Waf' | 'Edge' | 'Monitoring',
) {
  return `Restore-${envName}-${part}`;
}

/** Output keys of the enrichment stack naming its dead-letter queue (read by `npm run redrive`). */
export const DLQ_ARN_OUTPUT = `${enrichmentQueue.id}DlqArn`;
export const DLQ_URL_OUTPUT = `${enrichmentQueue.id}DlqUrl`;

/**
 * The artefact bucket's name: derived from the deployment, account and region (unique in S3's
 * global namespace, one per deployment), so the functions' grants can name it without importing
 * a value from the data stack. `account` and `region` may be CloudFormation pseudo parameters.
 */
export function artefactBucketName(envName: string, account: string, region: string): string {
  return `restore-${envName}-art-${account}-${region}`;
}

/** The uploads bucket's name, derived the same way (grants in the API stack name it). */
export function uploadBucketName(envName: string, account: string, region: string): string {
  return `restore-${envName}-upl-${account}-${region}`;
}

/** Where the deploy guide tells operators to keep `cdk deploy --outputs-file` for an environment. */
export function outputsFileFor(envName: string): string {
  return `cdk-outputs/${envName}.json`;
}
