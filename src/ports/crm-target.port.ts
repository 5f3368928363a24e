import type { CrmLink } from '../domain/crm-link';
import type { Person } from '../domain/person';

export type { CrmLink };

/**
 * The deal as an outbound CRM event carries it: the fields a CRM keeps for an opportunity, as they stood
 * right after the change the event reports. Built by domain/crm-outbox.ts (`crmDealView`).
 */
export interface CrmDealView {
  id: string;
  tenantId: string;
  title: string;
  account: string;
  owner: Person;
  stage: string;
  outcome?: 'Won' | 'Lost';
  closeReason?: string;
  value: { amount: number; currency: string };
  closeDate: string;
  probability: number;
  nextStep: string;
  evidence: Record<string, string | undefined>;
  serviceLines: string[];
  rev: number;
}

/** One change an event reports, in display-neutral words (the history entry, the approval decision, the CSAT score). */
export type CrmEventChange =
  | { kind: 'created' }
  | { kind: 'stage'; from: string; to: string; outcome?: string; note?: string }
  | { kind: 'field'; field: string; from: string; to: string }
  | { kind: 'team'; action: 'added' | 'removed'; person: Person; role: string }
  | { kind: 'note'; text: string }
  | { kind: 'owner'; from: Person; to: Person }
  | { kind: 'approval'; round: number; action: string; by: Person; level?: string; comment?: string }
  | { kind: 'csat'; score: number; comment?: string };

/** What a CRM target is given: the event exactly as `CRM_WEBHOOK_URL` receives it (plus the tenant). */
export interface OutboundEvent {
  /** `<deal id>.S<sequence>`: stable across retries; receivers de-duplicate on it. */
  eventId: string;
  tenantId: string;
  deal: CrmDealView;
  /** Orders a deal's events (1, 2, 3… per deal); events of one deal are sent in this order. */
  sequence: number;
  changes: CrmEventChange[];
  actor: Person;
  at: string;
}


/** A field both sides changed: the field rules kept one value; the deal's history records both. */
export interface FieldConflict {
  field: string;
  dealdesk: string;
  crm: string;
  kept: 'dealdesk' | 'crm';
  /** When the CRM's value was set (its modifiedon), when known. */
  crmAt?: string;
}

export interface SendResult {
  /** The record's link after the send (a new record, or a new ETag), to keep on the deal. */
  link?: CrmLink;
  /** Conflicts the send resolved (a 412 merge), to record in the deal's history. */
  conflicts?: FieldConflict[];
}

/**
 * Why a send failed, as the retry policy needs it: the HTTP status (none for network errors and timeouts),
 * the wait the CRM asked for (429 Retry-After), and a short reason for `sync <deal>` (never a secret, never a body).
 */
export class CrmSendError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CrmSendError';
  }
}

/**
 * A system of record that DealDesk's changes go out to: the generic signed webhook (`CRM_WEBHOOK_URL`) or the
 * Dynamics 365 connector (`DATAVERSE_URL`). One per deployment. `send` is at-least-once: the same event may be
 * given again after a crash or a lost answer, and must then change nothing more.
 */
export interface CrmTarget {
  readonly name: 'webhook' | 'dataverse';
  send(event: OutboundEvent, link: CrmLink | undefined, signal: AbortSignal): Promise<SendResult>;
}
