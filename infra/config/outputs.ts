/**
 * The stable names operators' tools rely on, without importing CDK: stack names and the
 * CloudFormation output keys (no exports) of `cdk deploy --outputs-file`.
 */
import { enrichmentQueue } from '#shared/storage/tables.ts';

/** `Restore-<env>-<Part>`: every stack of a deployment is named this way. */
export function stackName(
  envName: string,
  part:
    | 'Data'
    | 'Auth'
    | 'Mail'
    | 'Enrichment'
    | 'Distribution'
    | 'Sharing'
    | 'Uploads'
    | 'Api'
    | 'Waf'
    | 'Edge'
    | 'Monitoring',
) {
  return `Restore-${envName}-${part}`;
}

/** Output keys of the enrichment stack naming its dead-letter queue (read by `npm run redrive`). */
export const DLQ_ARN_OUTPUT = `${enrichmentQueue.id}DlqArn`;
export const DLQ_URL_OUTPUT = `${enrichmentQueue.id}DlqUrl`;

/**
 * The export naming the artefact bucket's ARN. Named (not generated) so the functions' grants,
 * and the cdk-nag acknowledgement of their object-prefix wildcard, can name it.
 */
export function artefactBucketExportName(envName: string): string {
  return `Restore-${envName}-ArtefactBucketArn`;
}

/** The export naming the uploads bucket's ARN, for the same reason. */
export function uploadBucketExportName(envName: string): string {
  return `Restore-${envName}-UploadBucketArn`;
}

/** Where the deploy guide tells operators to keep `cdk deploy --outputs-file` for an environment. */
export function outputsFileFor(envName: string): string {
  return `cdk-outputs/${envName}.json`;
}
