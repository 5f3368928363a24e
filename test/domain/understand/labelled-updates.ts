/**
 * The labelled sets of update messages (test/fixtures/assistant/, deal books in deal-books.json) and how the offline
 * extractor is scored on them: precision and recall per field. Three sets: the tuning set (updates.jsonl), written with
 * the rules; the held-out set (held-out.jsonl), written by someone who had not read the rules or the tuning set, since
 * used to find classes of misses; and blind set 2 (blind-2.jsonl), written and committed before its writer read the
 * rules, either set or their figures, the honest measure until it too is used for tuning.
 * Shared by the specs and by `npm run bench -- --only=assistant`, which prints the three side by side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractUpdate } from '../../../src/domain/understand/extract-update';
import type { KnownDeal, ProposedChange, UpdateContext, UpdateProposal } from '../../../src/domain/understand/update-proposal';

const DIR = join(__dirname, '..', '..', 'fixtures', 'assistant');

/** The labelled sets, by file under test/fixtures/assistant/. */
export const TUNING_SET = 'updates.jsonl';
export const HELD_OUT_SET = 'held-out.jsonl';
export const BLIND_SET = 'blind-2.jsonl';

interface Book {
  locale: string;
  timeZone: string;
  now: string;
  people: string[];
  deals: KnownDeal[];
}

/** What a person reading the message expects: a deal id (or the ids to choose from), and each field it states. */
export interface Expected {
  deal?: string | string[];
  /** Stage name, or Won / Lost for a close. */
  stage?: string;
  value?: { amount: number; currency?: string };
  closeDate?: string;
  probability?: number;
  /** Text fields: the proposed text must contain this (case-insensitive). */
  nextStep?: string;
  bdm?: string;
  tdm?: string;
  budget?: string;
  solutionOutline?: string;
  proposalRef?: string;
}

export interface LabelledUpdate {
  id: string;
  book: string;
  text: string;
  now?: string;
  timeZone?: string;
  expect: Expected;
}

export const FIELDS = ['deal', 'stage', 'value', 'closeDate', 'probability', 'nextStep', 'bdm', 'tdm', 'budget', 'solutionOutline', 'proposalRef'] as const;
export type ScoredField = (typeof FIELDS)[number];

export function loadLabelledUpdates(set: string = TUNING_SET): { items: LabelledUpdate[]; contextOf: (item: LabelledUpdate) => UpdateContext } {
  const books = JSON.parse(readFileSync(join(DIR, 'deal-books.json'), 'utf8')) as Record<string, Book>;
  const items = readFileSync(join(DIR, set), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as LabelledUpdate);
  const contextOf = (item: LabelledUpdate): UpdateContext => {
    const book = books[item.book];
    return { locale: book.locale, timeZone: item.timeZone ?? book.timeZone, now: new Date(item.now ?? book.now), people: book.people, deals: book.deals };
  };
  return { items, contextOf };
}

/** A proposal's field, in the labels' terms (undefined: not proposed). */
function proposed(p: UpdateProposal, field: ScoredField): unknown {
  if (field === 'deal') return p.deal === undefined ? undefined : 'id' in p.deal ? p.deal.id : [...p.deal.choices].sort();
  const change = p.changes.find((c) => c.field === field) as ProposedChange | undefined;
  if (!change) return undefined;
  switch (change.field) {
    case 'stage': return change.target.stage === 'Close' ? change.target.outcome : change.target.stage;
    case 'value': return change.value;
    case 'closeDate': return change.date;
    case 'probability': return change.percent;
    default: return 'text' in change ? change.text : undefined;
  }
}

function matches(field: ScoredField, got: unknown, want: unknown): boolean {
  switch (field) {
    case 'deal': return JSON.stringify(Array.isArray(want) ? [...want].sort() : want) === JSON.stringify(got);
    case 'value': {
      const g = got as { amount: number; currency?: string };
      const w = want as { amount: number; currency?: string };
      return g.amount === w.amount && g.currency === w.currency;
    }
    case 'nextStep': case 'bdm': case 'tdm': case 'budget': case 'solutionOutline': case 'proposalRef':
      return String(got).toLowerCase().includes(String(want).toLowerCase());
    default: return got === want;
  }
}

export interface FieldScore {
  field: ScoredField;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Messages where the field was wrong (fp) or missed (fn), for the docs. */
  misses: Array<{ id: string; text: string; kind: 'wrong' | 'missed' | 'unexpected'; got: unknown; want: unknown }>;
}

export function scoreLabelledUpdates(set: string = TUNING_SET): { items: number; scores: FieldScore[]; byLanguage: Record<string, number> } {
  const { items, contextOf } = loadLabelledUpdates(set);
  const scores: FieldScore[] = FIELDS.map((field) => ({ field, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, misses: [] }));
  for (const item of items) {
    const proposal = extractUpdate(item.text, contextOf(item));
    for (const score of scores) {
      const got = proposed(proposal, score.field);
      const want = item.expect[score.field];
      if (got !== undefined && want !== undefined && matches(score.field, got, want)) score.tp++;
      else if (got !== undefined && want !== undefined) {
        score.fp++;
        score.fn++;
        score.misses.push({ id: item.id, text: item.text, kind: 'wrong', got, want });
      } else if (got !== undefined) {
        score.fp++;
        score.misses.push({ id: item.id, text: item.text, kind: 'unexpected', got, want });
      } else if (want !== undefined) {
        score.fn++;
        score.misses.push({ id: item.id, text: item.text, kind: 'missed', got, want });
      }
    }
  }
  for (const s of scores) {
    s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
  }
  const byLanguage = { en: items.filter((i) => i.book === 'en').length, zh: items.filter((i) => i.book === 'zh').length };
  return { items: items.length, scores, byLanguage };
}
