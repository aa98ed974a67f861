/**
 * Dual control of money: no one person can both prepare a payment and let it go. A distribution
 * plan is approved, and later its payment file released, only when enough admins other than the
 * plan's creator (and the person who last changed the pool's amount) have signed it off.
 *
 * `requiredApprovers` counts people, the creator included: 2 means the creator and one other
 * admin. It is deployment configuration, at least 2, and recorded on the plan when it is created
 * so a later change of configuration does not change the rule a plan was made under.
 *
 * Pure: the caller stores the approvals list it gets back.
 */
import { ConflictError, ForbiddenError } from './errors.ts';

export const MIN_APPROVERS = 2;

export interface SignOff {
  readonly by: string;
  readonly at: string;
}

export interface DualControlled {
  readonly createdBy: string;
  /** Who last changed the pool's amount before the plan was computed, if anyone did. */
  readonly poolAmountChangedBy?: string;
  readonly requiredApprovers: number;
}

export type MoneyAction = 'approve' | 'release';

const VERB: Record<MoneyAction, { doing: string; done: string }> = {
  approve: { doing: 'approve this plan', done: 'approved' },
  release: { doing: 'release this payment file', done: 'released' },
};

/**
 * Adds `by`'s sign-off for `action`. Returns the new list and whether it is now complete.
 * Throws ForbiddenError (403) for the creator or the pool amount's last changer, and
 * ConflictError (409) for a second sign-off by the same person.
 */
export function signOff(
  subject: DualControlled,
  existing: readonly SignOff[],
  by: string,
  at: string,
  action: MoneyAction,
): { signOffs: SignOff[]; complete: boolean; missing: number } {
  const verb = VERB[action];
  const others = Math.max(MIN_APPROVERS, subject.requiredApprovers) - 1;
  if (by === subject.createdBy) {
    throw new ForbiddenError(
      `You created this plan, so you cannot ${verb.doing} yourself: a second admin must approve it. Ask another admin to ${verb.doing}.`,
      'SECOND_ADMIN_REQUIRED',
    );
  }
  if (subject.poolAmountChangedBy !== undefined && by === subject.poolAmountChangedBy) {
    throw new ForbiddenError(
      `You last changed this pool's amount, so you cannot ${verb.doing}: a second admin must approve it. Ask another admin to ${verb.doing}.`,
      'SECOND_ADMIN_REQUIRED',
    );
  }
  if (existing.some((s) => s.by === by)) {
    const missing = Math.max(0, others - existing.length);
    throw new ConflictError(
      `You have already ${verb.done} this plan. ${missing > 0 ? `It needs ${missing} more admin${missing === 1 ? '' : 's'} other than you and its creator.` : 'Nothing more is needed from you.'}`,
      'ALREADY_SIGNED',
    );
  }
  const signOffs = [...existing, { by, at }];
  const missing = Math.max(0, others - signOffs.length);
  return { signOffs, complete: missing === 0, missing };
}
