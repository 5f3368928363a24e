import type { CrmLink } from '../domain/crm-link';
import type { CrmDealView, CrmEventChange, FieldConflict, OutboundEvent } from '../domain/crm-event';

export type { CrmDealView, CrmEventChange, CrmLink, FieldConflict, OutboundEvent };

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
