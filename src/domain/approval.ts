import type { FollowUpNotice } from './delivery-plan';
import type { Person } from './person';
import type { PolicyReason } from './approval-policy';

export type Decision = 'approved' | 'rejected' | 'changesRequested';
export const DECISIONS: readonly Decision[] = ['approved', 'rejected', 'changesRequested'];

export interface DecisionRecord {
  by: Person;
  decision: Decision;
  comment: string;
  at: string;
}

/** A level within one round: waiting its turn, active (deciding), or done. */
export interface LevelState {
  id: string;
  name: string;
  mode: 'any' | 'all';
  approvers: Person[];
  escalateTo: Person[];
  status: 'waiting' | 'active' | Decision;
  decisions: DecisionRecord[];
  startedAt?: string;
  remindAt?: string;
  escalateAt?: string;
  remindedAt?: string;
  escalatedAt?: string;
}

/** One round of approval of a deal. A rejected or returned round is followed by a new one on resubmission. */
export interface ApprovalRound {
  round: number;
  status: 'pending' | Decision;
  requestedBy: Person;
  note: string;
  requestedAt: string;
  reasons: PolicyReason[];
  levels: LevelState[];
}

/** The append-only audit trail of every round: who did what, when, with which comment. */
export interface AuditEntry {
  at: string;
  by: Person;
  round: number;
  event: 'requested' | 'resubmitted' | 'decided' | 'levelStarted' | 'approved' | 'rejected' | 'changesRequested' | 'reminded' | 'escalated';
  levelId?: string;
  /** The level's name when the entry was written (later rounds or renames do not rewrite the past). */
  levelName?: string;
  decision?: Decision;
  comment?: string;
}

/**
 * A message an approval change must cause, recorded in the deal document by the same write (like alerts):
 * the channel card (posted once, then updated in place), and 1:1 messages to people.
 */
export type Notice = ApprovalNotice | FollowUpNotice;

export type ApprovalNotice =
  | { id: string; kind: 'approvalCard'; round: number }
  | { id: string; kind: 'toApprovers'; round: number; levelId: string; to: Person[]; reason: 'requested' | 'reminder' | 'escalation' }
  | { id: string; kind: 'toOwner'; round: number; to: Person; event: 'requested' | 'levelApproved' | 'approved' | 'rejected' | 'changesRequested' };

export interface ApprovalTiming {
  remindAfterMs: number;
  escalateAfterMs: number;
}
