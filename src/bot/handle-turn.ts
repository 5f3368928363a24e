import type { TurnContext } from 'botbuilder';
import type { Reply, Turn } from '../chat/reply';

/**
 * Runs one turn's work with the actor (from the activity, never from its data), after remembering the
 * conversation and the person; never throws: a domain error becomes its message, anything else an apology,
 * logged. `label` (a fixed word such as 'searchDeals', never user text) goes into the turn's log line.
 */
export type HandleTurn = (context: TurnContext, label: string, work: (turn: Turn) => Promise<Reply>) => Promise<Reply>;
