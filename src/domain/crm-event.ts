import type { Person } from './person';

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
