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
  // Chinese, as the zh-CN catalogue names the stages, and the words people use for them.
  潜在客户: { stage: 'Prospect' },
  潜在: { stage: 'Prospect' },
  资格确认: { stage: 'Qualify' },
  资格: { stage: 'Qualify' },
  确认资格: { stage: 'Qualify' },
  方案: { stage: 'Solution' },
  解决方案: { stage: 'Solution' },
  验证: { stage: 'Proof' },
  概念验证: { stage: 'Proof' },
  poc: { stage: 'Proof' },
  赢单: { stage: 'Close', outcome: 'Won' },
  已赢单: { stage: 'Close', outcome: 'Won' },
  关闭赢单: { stage: 'Close', outcome: 'Won' },
  成交: { stage: 'Close', outcome: 'Won' },
  丢单: { stage: 'Close', outcome: 'Lost' },
  已丢单: { stage: 'Close', outcome: 'Lost' },
  关闭丢单: { stage: 'Close', outcome: 'Lost' },
  输单: { stage: 'Close', outcome: 'Lost' },
  关闭: 'close',
};

/** Every stage word DealDesk reads, longest first: the chat layer finds where a typed stage ends by them. */
export const STAGE_WORDS: readonly string[] = Object.keys(ALIASES).sort((a, b) => b.length - a.length);

/** A stage word's key: lower case, one space between Latin words, none next to a Chinese character. */
export const stageKey = (input: string): string =>
  input.trim().toLowerCase().replace(/[\s_-]+/g, ' ').replace(/ ?(\p{Script=Han}) ?/gu, '$1');

/** Reads a stage name as a user types it: any case, extra spaces, "closed won" and friends. */
export function parseMoveTarget(input: string): MoveTarget {
  const key = stageKey(input);
  const target = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
  if (target === 'close') throw new DomainError('DEAL.CLOSE_NEEDS_OUTCOME');
  if (!target) throw new DomainError('DEAL.STAGE_UNKNOWN', { stage: shorten(input.trim(), 40) });
  return target;
}
