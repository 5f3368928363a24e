import type { CalendarDate } from './calendar-date';
import type { Evidence, EvidenceKey } from './evidence';
import type { Money } from './money';
import type { Person } from './person';
import type { ServiceLine } from './service-line';
import type { Outcome, Stage } from './stage';
import type { AlertRecord, CrmDealFields, PendingAlert, TeamMember } from './deal-parts';
import type { ApprovalRound, AuditEntry, Notice } from './approval';
import type { CsatEntry, DeliveryPlan } from './delivery-plan';
import type { CrmLink } from './crm-link';

/** What one history entry records; old and new values are kept as display-neutral strings. */
export type Change =
  | { kind: 'created' }
  | { kind: 'stage'; from: Stage; to: Stage; outcome?: Outcome; note?: string }
  | { kind: 'field'; field: DealField; from: string; to: string }
  | { kind: 'team'; action: 'added' | 'removed'; person: Person; role: string }
  | { kind: 'note'; text: string }
  | { kind: 'owner'; from: Person; to: Person }
  /** Both DealDesk and the CRM changed a field: the field rules kept one value (`kept`); both are recorded. */
  | { kind: 'conflict'; field: string; dealdesk: string; crm: string; kept: 'dealdesk' | 'crm' };

export interface HistoryEntry {
  at: string;
  by: Person;
  change: Change;
}

export type DealField = 'title' | 'account' | 'serviceLines' | 'discountPct' | 'nonStandardTerms' | 'value' | 'currency' | 'closeDate' | 'probability' | 'nextStep' | EvidenceKey;

/** An opportunity, as the domain sees it. Storage concerns (etag, partition) live in the store. */
export interface Deal extends CrmDealFields {
  id: string;
  number: number;
  tenantId: string;
  title: string;
  account: string;
  owner: Person;
  serviceLines: ServiceLine[];
  value: Money;
  closeDate: CalendarDate;
  probability: number;
  nextStep: string;
  stage: Stage;
  outcome?: Outcome;
  closeReason?: string;
  evidence: Evidence;
  /** The latest changes, oldest first; older ones live in archive documents (see `archived`, domain/deal-archive.ts). */
  history: HistoryEntry[];
  /** How many of the oldest entries of `history` and `approvalTrail` moved out of the deal into archive documents. */
  archived: { history: number; approvalTrail: number };
  /** When the deal was last closed (Won or Lost); absent while it is open. */
  closedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Increases with every change; cards carry it so a press on an old card is recognised. */
  rev: number;
  /** The virtual deal team: architects, delivery managers, consultants… */
  team: TeamMember[];
  /**
   * Legacy, read only: where mutes were kept before they moved to each person's own records (domain/deal-mutes.ts).
   * Documents written before still carry it and it is honoured for the people in it; nothing writes it any more.
   */
  readonly mutedBy: readonly string[];
  /** Alerts caused by changes and not yet handed to delivery (written with the change itself). */
  outbox: PendingAlert[];
  /** The earliest dueAt in the outbox, so the dispatcher can find due deals with one indexed filter. */
  outboxDueAt?: string;
  /** Numbers alerts per deal: alert ids are `<deal id>.A<n>`. */
  alertSeq: number;
  /** The latest alerts handed to delivery (newest last), for `alerts <ref>`. */
  alertLog: AlertRecord[];
  /** Where the deal lives in the CRM once it is there (the Dataverse opportunity), absent before. */
  crmLink?: CrmLink;
  /** Ids of external events (CRM webhook) already applied, newest last: a repeat is recognised in the same write. */
  appliedEvents: string[];
  /** Discount granted, in percent (the approval policy reads it). */
  discountPct: number;
  /** Non-standard terms, described; absent when the terms are standard. */
  nonStandardTerms?: string;
  /** The current (latest) approval round, if approval was ever requested. */
  approval?: ApprovalRound;
  /** Every approval event of every round, append-only: the latest here, older ones archived like history. */
  approvalTrail: AuditEntry[];
  /** Approval messages not yet handed to delivery (written with the change that causes them). */
  notices: Notice[];
  /** The earliest reminder or escalation due in the current round, for the sweep to find. */
  approvalDueAt?: string;
  /** After Close Won: the delivery plan and its CSAT follow-ups. */
  delivery?: DeliveryPlan;
  /** Every CSAT score recorded for the deal, oldest first. */
  csat: CsatEntry[];
  /** Stale-deal nudges: when the owner was last nudged about this deal, and until when it is snoozed. */
  nudge?: { lastAt?: string; snoozedUntil?: string };
}

/** Fields a deal gains over time; documents written before them get these defaults when read. */
export const DEAL_DEFAULTS = { team: [], mutedBy: [], outbox: [], alertSeq: 0, alertLog: [], appliedEvents: [], discountPct: 0, approvalTrail: [], notices: [], csat: [], crmOutbox: [], crmSeq: 0, crmLog: [], archived: { history: 0, approvalTrail: 0 } } as const;

/** A fresh, mutable copy of the defaults, for a new deal. */
export const dealDefaults = (): Pick<Deal, keyof typeof DEAL_DEFAULTS> => structuredClone(DEAL_DEFAULTS) as unknown as Pick<Deal, keyof typeof DEAL_DEFAULTS>;

export const isOpen = (deal: Pick<Deal, 'stage'>): boolean => deal.stage !== 'Close';

export const DEAL_ID_PREFIX = 'D-';
export const FIRST_DEAL_NUMBER = 1001;
export const dealIdOf = (number: number): string => `${DEAL_ID_PREFIX}${number}`;

/**
 * Appends history and bumps the revision: every change goes through here. A move records when the deal closed
 * (or clears it when reopened), so the day a deal was won never depends on history the deal may have archived.
 */
export function withChanges(deal: Deal, by: Person, at: string, changes: readonly Change[], patch: Partial<Deal>): Deal {
  const move = [...changes].reverse().find((c) => c.kind === 'stage');
  const closing = move?.to === 'Close' ? { closedAt: at } : move && deal.closedAt !== undefined ? { closedAt: undefined } : {};
  return {
    ...deal,
    ...patch,
    ...closing,
    history: [...deal.history, ...changes.map((change) => ({ at, by, change }))],
    updatedAt: at,
    rev: deal.rev + 1,
  };
}
