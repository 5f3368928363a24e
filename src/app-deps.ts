import { type AppSettings, DEFAULT_SETTINGS } from './app/context';
import { type Assistant, offlineAssistant } from './assistant/offline-assistant';
import type { ChatDeps } from './chat/chat-deps';
import type { Clock } from './ports/clock.port';
import type { Logger } from './ports/logger.port';
import type { Store } from './ports/store.port';

/** The use cases' collaborators, wired once. */
export function createChatDeps(store: Store, clock: Clock, logger: Logger, settings: AppSettings = DEFAULT_SETTINGS, alertQueued?: () => void, crmQueued?: () => void, assistant: Assistant = offlineAssistant()): ChatDeps {
  return { store, clock, logger, settings, alertQueued, crmQueued, ...assistant };
}
