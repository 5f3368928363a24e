import type { AppDeps } from '../app/context';
import type { Assistant } from '../assistant/offline-assistant';

/**
 * What the chat replies need: the use cases' collaborators (AppDeps, handed to each use case as its first argument)
 * and the assistant that reads free text and writes summaries. No prebuilt use case: the replies call them.
 */
export type ChatDeps = AppDeps & Assistant;
