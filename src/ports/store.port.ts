import type { ConversationRepository } from './conversation-repository.port';
import type { DealRepository } from './deal-repository.port';

/** Everything DealDesk keeps, behind one handle the composition root builds. */
export interface Store {
  deals: DealRepository;
  conversations: ConversationRepository;
  /** Resolves when the store answers (used by /readyz); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
