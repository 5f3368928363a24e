import { type AppSettings, DEFAULT_SETTINGS } from './app/context';
import { createDealUseCase } from './app/create-deal';
import type { ChatDeps } from './chat/run-command';
import type { Clock } from './ports/clock.port';
import type { Logger } from './ports/logger.port';
import type { Store } from './ports/store.port';

/** The use cases' collaborators, wired once. */
export function createChatDeps(store: Store, clock: Clock, logger: Logger, settings: AppSettings = DEFAULT_SETTINGS, alertQueued?: () => void, crmQueued?: () => void): ChatDeps {
  const base = { store, clock, logger, settings, alertQueued, crmQueued };
  return { ...base, createDeal: createDealUseCase(base) };
}
