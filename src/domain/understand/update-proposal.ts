import type { CalendarDate } from '../calendar-date';
import type { Currency, Money } from '../money';
import type { MoveTarget, Stage } from '../stage';

/** Where in the message a change was read: UTF-16 offsets, `text.slice(start, end)`, so a card can show why. */
export interface Span {
  start: number;
  end: number;
}

/** Evidence a stage gate asks for, as the extractor may propose it. */
export type ProposedEvidenceKey = 'bdm' | 'tdm' | 'budget' | 'solutionOutline' | 'proposalRef';

/** One change read from a message: typed, checked by the same rules as a command, never applied by this module. */
export type ProposedChange =
  | { field: 'stage'; target: MoveTarget; span: Span }
  /** `currency` only when the message named one; absent means the deal keeps its currency. */
  | { field: 'value'; value: { amount: number; currency?: Currency }; span: Span }
  | { field: 'closeDate'; date: CalendarDate; span: Span }
  | { field: 'probability'; percent: number; span: Span }
  | { field: 'nextStep'; text: string; span: Span }
  | { field: ProposedEvidenceKey; text: string; span: Span }
  /** What the message said beyond the changes above: its clauses no reader took, kept as a history note. */
  | { field: 'note'; text: string; span: Span };

export type ProposedField = ProposedChange['field'];

/** The deal a message is about: one recognised (how sure, 0–1), a choice when several fit, or none. */
export type ProposedDeal = { id: string; confidence: number } | { choices: string[] } | undefined;

export interface UpdateProposal {
  deal: ProposedDeal;
  changes: ProposedChange[];
}

/** A deal the user may see, as much of it as reading a message needs. */
export interface KnownDeal {
  id: string;
  title: string;
  account: string;
  stage: Stage;
  value?: Money;
  closeDate?: CalendarDate;
  probability?: number;
}

/** What the extractor knows besides the message: where and when the user is, and what they can see. */
export interface UpdateContext {
  /** IANA zone ("Europe/Berlin"): relative dates ("next Friday", "月底") are read on the user's calendar. */
  timeZone: string;
  /** The instant "today" is taken from, in `timeZone`. */
  now: Date;
  /** The user's Teams locale (en-US, zh-CN); the readers read both languages whatever it is. */
  locale: string;
  deals: readonly KnownDeal[];
  /** Display names of people DealDesk knows (the user's colleagues and deal contacts). */
  people: readonly string[];
}
