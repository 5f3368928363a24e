import type { Logger } from './logger.port';
import type { ConversationRepository } from './conversation-repository.port';
import type { CrmPollRepository } from './crm-poll-repository.port';
import type { DealRepository } from './deal-repository.port';
import type { OutgoingMessageRepository } from './outgoing-message-repository.port';
import type { FollowRepository } from './follow-repository.port';
import type { JobRepository } from './job-repository.port';
import type { PeopleRepository } from './people-repository.port';
import type { QuotaRepository } from './quota-repository.port';
import type { SendBudgetRepository } from './send-budget-repository.port';
import type { SettingsRepository } from './settings-repository.port';

/** What one run of the move to the partitioned layout did (store/migration). Counts are this run's, per legacy container. */
export interface LayoutMigration {
  /** fresh: no legacy containers (nothing to move); done before: moved by an earlier run; waited: another instance moved it; moved: this run did. */
  outcome: 'fresh' | 'done before' | 'waited' | 'moved';
  moved: Partial<Record<string, number>>;
  /** Items found already copied (by a run that stopped part way). */
  skipped: Partial<Record<string, number>>;
  ms: number;
}

/** How far the move to the partitioned layout is, while it runs (what /readyz shows meanwhile). */
export interface LayoutProgress {
  /** This instance moves the data, or waits while another one does (the counts are then the holder's last checkpoint). */
  mover: 'this instance' | 'another instance';
  /** Per legacy container: pending, copying or done, and the items copied (and found already copied) so far. */
  containers: Partial<Record<string, { state: string; copied: number; skipped: number }>>;
}

export interface LayoutMigrationOptions {
  instanceId: string;
  logger: Logger;
  dropLegacy?: boolean;
  waitMs?: number;
  leaseMs?: number;
  /** Told the progress when the move starts (or the wait for another instance's), and after each page. */
  onProgress?: (progress: LayoutProgress) => void;
  /** Aborted (DealDesk stops): the move stops before its next page, or the wait before its next read, and rejects. */
  signal?: AbortSignal;
}

/** Everything DealDesk keeps, behind one handle the composition root builds. */
export interface Store {
  deals: DealRepository;
  conversations: ConversationRepository;
  people: PeopleRepository;
  follows: FollowRepository;
  deliveries: OutgoingMessageRepository;
  /** Per-tenant settings: the approval policy, the approvals channel. */
  settings: SettingsRepository;
  /**
   * Who shares each tenant's Teams send budget (src/notify/shared-budget.ts). Absent: this process is the only one
   * sending (the in-memory stores of tests), and takes the whole budget.
   */
  sendBudgets?: SendBudgetRepository;
  /**
   * The Dataverse change poll's lease, delta link and import progress (src/crm/dataverse/change-poller.ts). Absent:
   * a store that cannot share them between instances; the poller does not start on it.
   */
  crmPolls?: CrmPollRepository;
  /** Scheduled jobs: digests and nudges (deal timers live in the deals). */
  jobs: JobRepository;
  /** NWS targets per person and fiscal year. */
  quotas: QuotaRepository;
  /**
   * Local mode only (the embedded server has no TTL): deletes up to `limit` items whose `ttl` ran out by `now`,
   * DealDesk's clock, and resolves with how many. Absent in Azure mode: there Cosmos DB deletes expired items itself,
   * and DealDesk never does.
   */
  sweepExpired?(now: Date, limit: number): Promise<number>;
  /**
   * Moves data still in the layout before partitioned keys to today's containers, or waits while another instance
   * does (start-up and `npm run migrate` run it before anything else). `dropLegacy` (only `npm run migrate --
   * --drop-legacy`): afterwards, deletes the legacy containers.
   */
  migrateLayout?(options: LayoutMigrationOptions): Promise<LayoutMigration & { dropped: string[] }>;
  /** Resolves when the store answers (used by /readyz); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
