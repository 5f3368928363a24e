import { DomainError } from './errors';
import { shorten } from './shorten-text';

/** The sales stages, in order. `Close` is reached only with an outcome. */
export const STAGES = ['Prospect', 'Qualify', 'Solution', 'Proof', 'Close'] as const;
export type Stage = (typeof STAGES)[number];
export type Outcome = 'Won' | 'Lost';

/** Where a move may go: an open stage, or closing with an outcome. */
export type MoveTarget = { stage: Exclude<Stage, 'Close'> } | { stage: 'Close'; outcome: Outcome };

export const stageIndex = (stage: Stage): number => STAGES.indexOf(stage);

export const nextStage = (stage: Stage): Stage | undefined => STAGES[stageIndex(stage) + 1];

const ALIASES: Record<string, MoveTarget | 'close'> = {
  prospect: { stage: 'Prospect' },
  qualify: { stage: 'Qualify' },
  qualification: { stage: 'Qualify' },
  solution: { stage: 'Solution' },
  proof: { stage: 'Proof' },
  won: { stage: 'Close', outcome: 'Won' },
  'close won': { stage: 'Close', outcome: 'Won' },
  'closed won': { stage: 'Close', outcome: 'Won' },
  lost: { stage: 'Close', outcome: 'Lost' },
  'close lost': { stage: 'Close', outcome: 'Lost' },
  'closed lost': { stage: 'Close', outcome: 'Lost' },
  close: 'close',
  closed: 'close',
};

/** Reads a stage name as a user types it: any case, extra spaces, "closed won" and friends. */
export function parseMoveTarget(input: string): MoveTarget {
  const key = input.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  const target = ALIASES[key];
  if (target === 'close') throw new DomainError('DEAL.CLOSE_NEEDS_OUTCOME');
  if (!target) throw new DomainError('DEAL.STAGE_UNKNOWN', { stage: shorten(input.trim(), 40) });
  return target;
}
