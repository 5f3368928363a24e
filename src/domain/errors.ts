/**
 * Domain errors carry a stable code and the parameters a message needs.
 * They are translated into the user's language only at the edge (see src/i18n).
 */
export type ErrorCode =
  | 'DEAL.NOT_FOUND'
  /** DEAL_VISIBILITY=team: a deal the actor may not read, or none at all (the two read alike). */
  | 'DEAL.NOT_VISIBLE'
  | 'DEAL.AMBIGUOUS_REF'
  | 'DEAL.TITLE_INVALID'
  | 'DEAL.ACCOUNT_INVALID'
  | 'DEAL.VALUE_INVALID'
  | 'DEAL.CURRENCY_INVALID'
  | 'DEAL.CLOSE_DATE_INVALID'
  | 'DEAL.PROBABILITY_INVALID'
  | 'DEAL.NEXT_STEP_INVALID'
  | 'DEAL.SERVICE_LINES_INVALID'
  | 'DEAL.EVIDENCE_INVALID'
  | 'DEAL.DISCOUNT_INVALID'
  | 'DEAL.FIELD_UNKNOWN'
  | 'DEAL.STAGE_UNKNOWN'
  | 'DEAL.STAGE_UNCHANGED'
  | 'DEAL.STAGE_GATE_UNMET'
  /** A move that needs a reason (going back, closing Lost, reopening) came without one. */
  | 'DEAL.REASON_REQUIRED'
  /** A reason longer than REASON_MAX: a fault of its own, not a missing reason. */
  | 'DEAL.REASON_TOO_LONG'
  /** A note (a proposal's, a message action's) longer than NOTE_MAX. */
  | 'DEAL.NOTE_TOO_LONG'
  | 'DEAL.CLOSED'
  | 'DEAL.CLOSE_NEEDS_OUTCOME'
  | 'DEAL.NOT_OWNER'
  | 'DEAL.CHANGED_MEANWHILE'
  /** The deal kept changing under the write (every attempt met a newer revision). */
  | 'DEAL.BUSY'
  /** Every deal number tried was taken by other creates meanwhile: no deal was created. */
  | 'DEAL.NUMBERS_BUSY'
  | 'DEAL.TOO_LARGE'
  /** The deal's logical partition (the deal and its archives) reached the store's 20 GB limit: nothing was saved. */
  | 'DEAL.PARTITION_FULL'
  | 'DEAL.MESSAGES_WAITING'
  | 'TEAM.ROLE_INVALID'
  | 'TEAM.FULL'
  | 'TEAM.NOT_A_MEMBER'
  | 'TEAM.NOT_ALLOWED'
  | 'PERSON.NOT_FOUND'
  /** Not found among the people DealDesk knows, and Entra ID did not answer (GRAPH=on). */
  | 'PERSON.NOT_FOUND_DIRECTORY_DOWN'
  /** Not found among the people DealDesk knows, and Entra ID refused: a permission is missing (GRAPH=on). */
  | 'PERSON.NOT_FOUND_DIRECTORY_FORBIDDEN'
  | 'PERSON.NOT_FOUND_DIRECTORY_SIGN_IN_SECRET'
  | 'PERSON.NOT_FOUND_DIRECTORY_SIGN_IN_IDENTITY'
  | 'FOLLOW.NEEDS_CHANNEL'
  | 'FOLLOW.NOT_FOLLOWING'
  | 'FOLLOW.NOT_ALLOWED'
  | 'APPROVAL.NOT_NEEDED'
  | 'APPROVAL.PENDING'
  | 'APPROVAL.ALREADY_APPROVED'
  | 'APPROVAL.NO_APPROVERS'
  | 'APPROVAL.NO_CHANNEL'
  | 'APPROVAL.NONE'
  | 'APPROVAL.ROUND_OVER'
  | 'APPROVAL.FINISHED'
  | 'APPROVAL.OWN_REQUEST'
  /** The deal's owner (after a reassignment, not the one who asked) decides on no approval of their own deal. */
  | 'APPROVAL.OWN_DEAL'
  | 'REASSIGN.NOT_ALLOWED'
  | 'REASSIGN.ALL_NOT_ALLOWED'
  | 'REASSIGN.SAME_PERSON'
  /** The new owner approves a level of the open round that would then never finish (they cannot decide on their own deal). */
  | 'REASSIGN.APPROVER_OF_ROUND'
  | 'APPROVAL.NOT_APPROVER'
  | 'APPROVAL.ALREADY_DECIDED'
  | 'APPROVAL.LEVEL_DONE'
  | 'APPROVAL.COMMENT_REQUIRED'
  | 'APPROVAL.COMMENT_TOO_LONG'
  | 'APPROVAL.LEVEL_UNKNOWN'
  | 'APPROVAL.TOO_MANY_APPROVERS'
  /** The tenant's approval policy kept changing under the write of its approvers. */
  | 'APPROVAL.SETTINGS_BUSY'
  | 'ADMIN.ONLY'
  // Quota, managers and digests (issue 5)
  | 'QUOTA.AMOUNT_INVALID'
  | 'QUOTA.NOT_ALLOWED'
  | 'MANAGER.SELF'
  | 'REQUEST.INVALID'
  // A message longer than DealDesk reads (issue 14): answered, never cut and acted on.
  | 'MESSAGE.TOO_LONG'
  // CSAT follow-ups (issue 5): the delivery plan, milestones, CSAT scores, recovery, accounts.
  | 'PLAN.NOT_WON'
  | 'PLAN.KICKOFF_INVALID'
  | 'PLAN.END_INVALID'
  | 'PLAN.END_BEFORE_KICKOFF'
  | 'PLAN.MILESTONE_NAME_INVALID'
  | 'PLAN.MILESTONE_DATE_INVALID'
  | 'PLAN.MILESTONES_TOO_MANY'
  | 'CSAT.SCORE_INVALID'
  | 'CSAT.COS_INVALID'
  | 'CSAT.COMMENT_TOO_LONG'
  | 'CSAT.FOLLOW_UP_UNKNOWN'
  | 'CSAT.ALREADY_RECORDED'
  | 'CSAT.ENTRY_UNKNOWN'
  | 'CSAT.NOT_LOW'
  | 'CSAT.NEXT_STEP_INVALID'
  | 'CSAT.NOT_ALLOWED'
  | 'CSAT.TOO_MANY'
  | 'ACCOUNT.NOT_FOUND'
  | 'ACCOUNT.AMBIGUOUS';

export type ErrorParams = Record<string, string | number | readonly string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
