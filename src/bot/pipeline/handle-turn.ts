import type { TurnContext } from 'botbuilder';
import type { Reply, Turn } from '../../chat/reply';
import type { ChatDeps } from '../../chat/chat-deps';
import { answerErrors } from './answer-errors';
import { currentTurn } from './current-turn';
import { knowSender } from './know-sender';
import { rememberTurn } from './remember-turn';
import { speakChosenLanguage } from './speak-chosen-language';
import { runSteps, type TurnStep } from './turn-step';
import { note } from './turn-note';

/**
 * Runs one turn's work with the actor (from the activity, never from its data), after remembering the
 * conversation and the person; never throws: a domain error becomes its message, anything else an apology,
 * logged. `label` (a fixed word such as 'searchDeals', never user text) goes into the turn's log line.
 */
export type HandleTurn = (context: TurnContext, label: string | undefined, work: (turn: Turn) => Promise<Reply>) => Promise<Reply>;

/** The steps every route's work runs behind, in order. */
export function handleTurns(deps: ChatDeps): HandleTurn {
  const steps: TurnStep[] = [knowSender, answerErrors(deps.logger), rememberTurn(deps), speakChosenLanguage(deps)];
  return (context, label, work) => {
    if (label) note(context, { verb: label });
    return runSteps(steps, context, () => work(currentTurn(context)!));
  };
}
