/**
 * The parts a deal record is made of whose rules live elsewhere (alert.ts, deal-team.ts, crm-outbox.ts): their types
 * sit here, below the deal, so that deal.ts and the files that change a deal do not import each other. Each owning
 * file re-exports its types, so callers keep importing them from there.
 */
import type { CalendarDate } from './calendar-date';
import type { CrmEventChange, OutboundEvent } from './crm-event';
import type { Money } from './money';
import type { Person } from './person';
import type { Outcome, Stage } from './stage';

/** What an alert tells the deal team. Old and new values, so the card can say "old → new". */
export type AlertChange =
  | { kind: 'stage'; from: Stage; to: Stage; fromOutcome?: Outcome; toOutcome?: Outcome }
  | { kind: 'value'; from: Money; to: Money }
  | { kind: 'closeDate'; from: CalendarDate; to: CalendarDate }
  | { kind: 'owner'; from: Person; to: Person };

/**
 * An alert waiting in the deal's outbox. It is written in the same conditional write as the change that
 * caused it, so it can be neither lost nor doubled; it leaves the outbox when its deliveries exist.
 */
export interface PendingAlert {
  id: string;
  /** Where the deal stood before the alert's first change; the alert reports from here to now. */
  base: { stage: Stage; outcome?: Outcome; value: Money; closeDate: CalendarDate; owner?: Person };
  changes: AlertChange[];
  actors: Person[];
  firstAt: string;
  /** Changes until then are folded into this alert (ALERT_COALESCE_MS after the first). */
  dueAt: string;
}

/** What `alerts <ref>` remembers of an alert once it has been handed to delivery. */
export interface AlertRecord {
  id: string;
  changes: AlertChange[];
  actors: Person[];
  at: string;
  recipients: number;
}

export interface TeamMember {
  person: Person;
  role: string;
}

/** An event waiting for the CRM: the OutboundEvent minus its tenant (the deal's), and where its delivery stands. */
export interface PendingCrmEvent extends Omit<OutboundEvent, 'tenantId'> {
  state: 'queued' | 'retrying';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
}

/** A finished event, for `sync <deal>`. */
export interface CrmLogEntry {
  eventId: string;
  sequence: number;
  state: 'sent' | 'failed';
  attempts: number;
  /** Why it failed (failed only). */
  reason?: string;
  at: string;
  /** What it reported, by kind (`field`, `stage`…), once each. */
  kinds: Array<CrmEventChange['kind']>;
}

/** The owner's one message about an event the CRM finally refused (sent like approval notices: `deal.notices`). */
export interface CrmNotice {
  id: string;
  kind: 'crmFailed';
  to: Person;
  eventId: string;
  kinds: Array<CrmEventChange['kind']>;
  reason: string;
}

/** Which instance sends a deal's events now, until when (one conditional write claims it). */
export interface CrmLease {
  holder: string;
  until: string;
}

/** The CRM fields a deal gains (all optional on read; DEAL_DEFAULTS fills the lists). */
export interface CrmDealFields {
  crmOutbox: PendingCrmEvent[];
  /** When the outbox's first event may go (its nextAttemptAt), for the dispatcher's one indexed sweep filter. */
  crmDueAt?: string;
  /** Numbers a deal's events: ids are `<deal id>.S<n>`. */
  crmSeq: number;
  crmLog: CrmLogEntry[];
  crmLease?: CrmLease;
}
