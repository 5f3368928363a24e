import type { ConversationRepository } from './conversation-repository.port';
import type { DealRepository } from './deal-repository.port';
import type { DeliveryRepository } from './delivery-repository.port';
import type { FollowRepository } from './follow-repository.port';
import type { JobRepository } from './job-repository.port';
import type { PeopleRepository } from './people-repository.port';
import type { QuotaRepository } from './quota-repository.port';
import type { SettingsRepository } from './settings-repository.port';

/** Everything DealDesk keeps, behind one handle the composition root builds. */
export interface Store {
  deals: DealRepository;
  conversations: ConversationRepository;
  people: PeopleRepository;
  follows: FollowRepository;
  deliveries: DeliveryRepository;
  /** Per-tenant settings: the approval policy, the approvals channel. */
  settings: SettingsRepository;
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
  /** Resolves when the store answers (used by /readyz); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
