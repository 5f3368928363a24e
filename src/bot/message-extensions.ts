import type { Application, TurnState } from '@microsoft/teams-ai';
import type { ChatDeps } from '../chat/run-command';
import type { HandleTurn } from './handle-turn';

/**
 * Search-based message extension (`searchDeals`, composeExtension/query) and link unfurling
 * (composeExtension/queryLink) — issue 9.
 */
export function registerMessageExtensions(_app: Application<TurnState>, _deps: ChatDeps, _handle: HandleTurn): void {}
