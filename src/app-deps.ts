import { createDealUseCase } from './app/create-deal';
import type { ChatDeps } from './chat/run-command';
import type { Clock } from './ports/clock.port';
import type { Logger } from './ports/logger.port';
import type { Store } from './ports/store.port';

/** The use cases' collaborators, wired once. */
export function createChatDeps(store: Store, clock: Clock, logger: Logger): ChatDeps {
  const base = { store, clock, logger };
  return { ...base, createDeal: createDealUseCase(base) };
}
