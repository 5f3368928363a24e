import type { TurnContext } from 'botbuilder';
import type { Turn } from '../../chat/reply';

const TURN = Symbol('dealdesk.turn');

/** Who acts, where and in which language, as far as the steps have resolved it (set by knowSender). */
export const currentTurn = (context: TurnContext): Turn | undefined => context.turnState.get(TURN) as Turn | undefined;

export const setCurrentTurn = (context: TurnContext, turn: Turn): void => {
  context.turnState.set(TURN, turn);
};
