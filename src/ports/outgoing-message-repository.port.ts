import type { OutgoingMessage, AlertMessage } from '../domain/outgoing-message';

export interface StoredOutgoingMessage {
  delivery: OutgoingMessage;
  etag: string;
}

/**
 * Per-recipient deliveries of alerts and approval notices. Creating one is idempotent by id; claiming and
 * completing are conditional writes on its etag (ConcurrentUpdateError from deal-repository.port when
 * another instance got there first).
 */
export interface OutgoingMessageRepository {
  /** Creates the delivery unless one with its id exists; true when this call created it. */
  createIfAbsent(delivery: OutgoingMessage): Promise<boolean>;
  /**
   * One delivery by id (e.g. the post an approval-card update replaces), with its etag. `dealId`: the deal it is about
   * (dealIdOfMessage), or undefined for one about no deal (a digest, a nudge): a deal's deliveries are stored together.
   */
  get(tenantId: string, dealId: string | undefined, id: string): Promise<StoredOutgoingMessage | undefined>;
  /** Deliveries that may be attempted at `now`: not final, due, and not leased (or the lease expired). All tenants. */
  findClaimable(now: string, limit: number): Promise<StoredOutgoingMessage[]>;
  replace(delivery: OutgoingMessage, etag: string): Promise<StoredOutgoingMessage>;
  /** The latest deliveries of a deal's alerts (not its approval notices), newest alert first. */
  listForDeal(tenantId: string, dealId: string, limit: number): Promise<AlertMessage[]>;
  /** Deliveries an instance holds a lease on (to release them on shutdown). */
  listLeasedBy(owner: string): Promise<StoredOutgoingMessage[]>;
}
