import type { TurnContext } from 'botbuilder';

/** What one turn's log line says; every value comes from a fixed vocabulary, never from the user's text. */
export interface TurnNote {
  /** When the turn started (performance.now()). */
  started: number;
  command?: string;
  verb?: string;
  /** ok, a domain error code, or failed */
  outcome: string;
  /** What failed the turn (outcome failed): the turn's exception in Application Insights. */
  error?: unknown;
  /** Set once the line is written: a turn is logged once. */
  logged?: boolean;
}

const TURN_NOTE = Symbol('dealdesk.turnNote');

/** Opens the turn's note (the log step, before the turn). */
export const openNote = (context: TurnContext): TurnNote => {
  const note: TurnNote = { started: performance.now(), outcome: 'ok' };
  context.turnState.set(TURN_NOTE, note);
  return note;
};

export const noteOf = (context: TurnContext): TurnNote | undefined => context.turnState.get(TURN_NOTE) as TurnNote | undefined;

/** Adds to the turn's note what a route learnt: the command word, the card verb, the outcome. */
export const note = (context: TurnContext, said: Partial<Pick<TurnNote, 'command' | 'verb' | 'outcome' | 'error'>>): void => {
  const current = noteOf(context);
  if (current) Object.assign(current, said);
};
