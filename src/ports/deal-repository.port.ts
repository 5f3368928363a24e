import type { AuditEntry } from '../domain/approval';
import type { Deal, HistoryEntry } from '../domain/deal';
import type { ArchivedList } from '../domain/deal-archive';
import type { PipelineDeal } from '../domain/pipeline';

/** A deal as read from the store, with the version token a conditional write needs. */
export interface StoredDeal {
  deal: Deal;
  etag: string;
}

/** What a search result or an unfurl decision needs of a deal: a small projection (no history, no outbox). */
export type DealSummary = Pick<Deal, 'id' | 'number' | 'title' | 'account' | 'owner' | 'team' | 'stage' | 'outcome' | 'value' | 'updatedAt'>;

/**
 * Whose deals a listing may return under DEAL_VISIBILITY=team: deals that name the person (owner, deal team,
 * approvers: domain dealPeopleIds) or whose owner is in `ownerIds` (the people they manage, at any depth).
 * Absent: every deal of the tenant. The store filters with it; the domain rule checks each deal again.
 */
export interface DealAudience {
  personId: string;
  ownerIds: string[];
}

/** Thrown by `replace` when the deal changed since it was read (Cosmos 412). */
export class ConcurrentUpdateError extends Error {
  constructor() {
    super('deal changed since it was read');
    this.name = 'ConcurrentUpdateError';
  }
}

/** Thrown by `create` when the id is taken (Cosmos 409). */
export class DuplicateIdError extends Error {
  constructor() {
    super('id already taken');
    this.name = 'DuplicateIdError';
  }
}

/** Deals of one tenant. Every method is scoped by tenant; every query stays in the tenant's partition. */
export interface DealRepository {
  get(tenantId: string, id: string): Promise<StoredDeal | undefined>;
  /** Creates the deal if its id is free; throws DuplicateIdError otherwise. */
  create(deal: Deal): Promise<StoredDeal>;
  /**
   * Replaces the deal only if it still has `etag`; throws ConcurrentUpdateError otherwise. Create and replace
   * store the deal as domain/deal-archive.ts's `archiveOldest` keeps it (the latest history and audit entries),
   * writing the archive chunks it outgrew first; both throw DomainError DEAL.TOO_LARGE if the store refuses the size.
   */
  replace(deal: Deal, etag: string): Promise<StoredDeal>;
  /** One archive chunk of a deal's history or audit trail; undefined when it is not stored. */
  readArchive(tenantId: string, dealId: string, list: ArchivedList, chunk: number): Promise<HistoryEntry[] | AuditEntry[] | undefined>;
  /**
   * The deal linked to a CRM record (`crmLink.recordId`, the Dataverse opportunity's id), or undefined. One query in the
   * tenant's partitions; should two deals ever name the record, the lowest-numbered one.
   */
  findByCrmRecord(tenantId: string, recordId: string): Promise<StoredDeal | undefined>;
  /** The highest deal number in use in the tenant, or undefined when there is none. */
  highestNumber(tenantId: string): Promise<number | undefined>;
  /** A person's open deals, only the fields the pipeline shows (`my deals`: a small projection, not whole documents). */
  listPipeline(tenantId: string, ownerId: string): Promise<PipelineDeal[]>;
  /** Open and closed deals owned by a person. */
  listByOwner(tenantId: string, ownerId: string, options?: { openOnly?: boolean }): Promise<Deal[]>;
  /** Deals of accounts whose name contains the fragment (case-insensitive), at most `limit`, in the tenant's partition; with `audience`, only theirs. */
  findByAccount(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<Deal[]>;
  /** Deals whose title contains the fragment (case-insensitive), at most `limit`; with `audience`, only theirs. */
  findByTitle(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<Deal[]>;
  /**
   * Deals whose title, account or id contains the (lower-case) fragment, most recently updated first, at most
   * `limit`; with `audience`, only the deals of that audience.
   */
  searchSummaries(tenantId: string, fragment: string, limit: number, audience?: DealAudience): Promise<DealSummary[]>;
  /** A person's own deals, most recently updated first, at most `limit`. */
  recentByOwner(tenantId: string, ownerId: string, limit: number): Promise<DealSummary[]>;
  /**
   * Deals of any tenant with work for the dispatcher: an outbox alert due at `now` (outboxDueAt <= now),
   * or approval notices waiting (`notices` not empty). At most `limit`, without repeats.
   * The one deliberate cross-partition query: a background sweep, never on a user's turn.
   */
  findWithDueAlerts(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>>;
  /**
   * Deals of any tenant with a timer due at `now`: an approval reminder or escalation, a CSAT follow-up
   * (see domain/deal-timers.ts). The scheduler's background sweep.
   */
  findWithDueTimers(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>>;
  /**
   * Deals of any tenant with a CRM event due at `now` (`crmDueAt <= now`, domain/crm-outbox.ts), earliest first, at
   * most `limit`. The CRM dispatcher's background sweep, across partitions like findWithDueAlerts.
   */
  findWithDueCrmEvents(now: string, limit: number): Promise<Array<{ tenantId: string; id: string }>>;
}
