import type { FollowUpNotice } from './delivery-plan';
import type { CrmNotice } from './deal-parts';
import type { Money } from './money';
import type { Person } from './person';
import type { PolicyReason } from './approval-policy';
import type { ServiceLine } from './service-line';

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

/**
 * What an approval is for: the deal's fields the approval policy reads, as they were when approval was
 * requested. An approved round covers the deal only while the deal still has exactly these terms.
 */
export interface ApprovalTerms {
  value: Money;
  discountPct: number;
  /** '' for standard terms. */
  nonStandardTerms: string;
  serviceLines: ServiceLine[];
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
  /** The terms approval was requested for. Absent on rounds stored before terms were recorded: those cover nothing. */
  terms?: ApprovalTerms;
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
export type Notice = ApprovalNotice | FollowUpNotice | CrmNotice;

export type ApprovalNotice =
  | { id: string; kind: 'approvalCard'; round: number }
  | { id: string; kind: 'toApprovers'; round: number; levelId: string; to: Person[]; reason: 'requested' | 'reminder' | 'escalation' }
  | { id: string; kind: 'toOwner'; round: number; to: Person; event: 'requested' | 'levelApproved' | 'approved' | 'rejected' | 'changesRequested' };

export interface ApprovalTiming {
  remindAfterMs: number;
  escalateAfterMs: number;
}
