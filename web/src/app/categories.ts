/**
 * The 17 kinds of scam, under five plain questions, so the first screen shows five choices
 * rather than seventeen (34 screens of scrolling at 200 % text): the person answers the question
 * that fits, then picks among the two to five kinds under it. "Something else" is a kind on its
 * own. Every kind is in exactly one group (test/unit/web/categories.test.ts).
 */
import type { Category } from '#shared/domain/enums.ts';

export const categoryGroups = {
  pretended: [
    'imposter-government',
    'imposter-business',
    'imposter-tech-support',
    'imposter-family-friend',
    'imposter-romance',
  ],
  promised: ['investment', 'prizes-sweepstakes-lotteries', 'job-scam', 'business-opportunity', 'fake-check'],
  bought: ['online-shopping', 'charity'],
  threatened: ['extortion', 'phishing', 'ransomware', 'identity-theft'],
  other: ['other'],
} as const satisfies Record<string, readonly Category[]>;

export type CategoryGroup = keyof typeof categoryGroups;
export const categoryGroupIds = Object.keys(categoryGroups) as CategoryGroup[];

export function groupOf(category: Category | ''): CategoryGroup | '' {
  if (category === '') return '';
  return categoryGroupIds.find((g) => (categoryGroups[g] as readonly Category[]).includes(category)) ?? '';
}
