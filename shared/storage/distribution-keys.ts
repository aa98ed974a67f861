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
