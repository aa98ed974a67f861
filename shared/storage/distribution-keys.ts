/**
 * Keys of a distribution plan's lines. The header lives in the pool's partition (pool-keys.ts);
 * each payout and each exclusion is its own small item, so a plan for a million claims never
 * meets DynamoDB's 400 KB item limit and the payment file can be read page by page.
 *
 *   pk = DIST#<distributionId>   sk = PAYOUT#<claimId>     one payout
 *   pk = DIST#<distributionId>   sk = EXCLUDED#<claimId>   one claim left out, with the reason
 */
export const distributionPk = (distributionId: string): string => `DIST#${distributionId}`;

export const PAYOUT_SK_PREFIX = 'PAYOUT#';
export const EXCLUDED_SK_PREFIX = 'EXCLUDED#';

export const payoutKey = (distributionId: string, claimId: string) => ({
  pk: distributionPk(distributionId),
  sk: `${PAYOUT_SK_PREFIX}${claimId}`,
});

export const excludedKey = (distributionId: string, claimId: string) => ({
  pk: distributionPk(distributionId),
  sk: `${EXCLUDED_SK_PREFIX}${claimId}`,
});

/**
 * Object keys of a plan's artefacts in the artefact bucket (storage/artefact-store.ts). Chunk
 * numbers are zero-padded so a listing sorts in order.
 *
 *   distributions/<id>/input/000001.json       claims read by step 1 of the job
 *   distributions/<id>/payouts/000001.json     payout lines, claim id order
 *   distributions/<id>/excluded/000001.json    excluded lines, claim id order
 *   distributions/<id>/results/000001.json     the first accepted payment results file
 *   distributions/<id>/reported/000001.json    every payment reported so far, after that file
 *   distributions/<id>/held/000001.json        claims the approval job held, per plan chunk
 *   distributions/<id>/payment-file/000001-<uuid>.json   rows of one part of the payment file
 *   distributions/<id>/payments-<sha256>.csv   the payment file, written once after release
 *   distributions/<id>/incoming/<uploadId>.csv a results file uploaded straight to S3
 *   distributions/<id>/refused/<uploadId>.json every line of a refused uploaded results file
 */
const chunkName = (n: number) => String(n).padStart(6, '0');
export const artefactKeys = {
  input: (distributionId: string, n: number) => `distributions/${distributionId}/input/${chunkName(n)}.json`,
  lines: (distributionId: string, which: 'payouts' | 'excluded', n: number) =>
    `distributions/${distributionId}/${which}/${chunkName(n)}.json`,
  results: (distributionId: string, n: number) =>
    `distributions/${distributionId}/results/${chunkName(n)}.json`,
  reported: (distributionId: string, n: number) =>
    `distributions/${distributionId}/reported/${chunkName(n)}.json`,
  held: (distributionId: string, n: number) => `distributions/${distributionId}/held/${chunkName(n)}.json`,
  heldAll: (distributionId: string) => `distributions/${distributionId}/held/all.json`,
  paymentPart: (distributionId: string, n: number, token: string) =>
    `distributions/${distributionId}/payment-file/${chunkName(n)}-${token}.json`,
  paymentFile: (distributionId: string, sha256: string) =>
    `distributions/${distributionId}/payments-${sha256}.csv`,
  incoming: (distributionId: string, uploadId: string) =>
    `distributions/${distributionId}/incoming/${uploadId}.csv`,
  refused: (distributionId: string, uploadId: string) =>
    `distributions/${distributionId}/refused/${uploadId}.json`,
};
