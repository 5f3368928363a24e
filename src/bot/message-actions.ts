import type { Application, TurnState } from '@microsoft/teams-ai';
import type { ChatDeps } from '../chat/run-command';
import type { HandleTurn } from './handle-turn';

/** Action-based message extension commands (`addNextStep`, `logOnDeal`: fetchTask → dialog, submitAction) — issue 9. */
export function registerMessageActions(_app: Application<TurnState>, _deps: ChatDeps, _handle: HandleTurn): void {}
