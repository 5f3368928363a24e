import type { TurnContext } from 'botbuilder';
import type { Reply } from '../../chat/reply';

/**
 * One step of handling a turn (bolt-js's listener middleware): does its part and calls `next` for the rest, or
 * answers itself without calling it. The work a route asked for is the last `next`.
 */
export type TurnStep = (context: TurnContext, next: () => Promise<Reply>) => Promise<Reply>;

/** Runs the steps in order around the route's work. */
export const runSteps = (steps: readonly TurnStep[], context: TurnContext, work: () => Promise<Reply>): Promise<Reply> =>
  steps.reduceRight<() => Promise<Reply>>((next, step) => () => step(context, next), work)();
