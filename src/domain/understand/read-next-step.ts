import { type Clause } from './message-text';
import type { ProposedChange, Span } from './update-proposal';
import { NEXT_STEP_MAX } from '../deal-fields';

/** Only a label says "this is the next step": "next step: …", "next steps are …", "NS: …", "下一步：…", "下一步是…". */
const CUE = /\b(?:next steps?|ns)\b\s*(?:is to|is|are|will be|would be|=|:|-|—|→|->)?\s*|下一步\s*(?:是|计划|安排|要|:|-)?\s*|后续(?:安排|计划)\s*(?:是|:)?\s*/giu;

/**
 * The next step: what follows its label, to the end of the sentence, or to the clause where another change starts
 * ("next step: workshop on Friday, they want to sign by end of March" stops before the close date).
 */
export function readNextStep(text: string, clauses: readonly Clause[], taken: readonly Span[]): ProposedChange[] {
  for (const clause of clauses) {
    const m = CUE.exec(text.slice(clause.start, clause.end));
    CUE.lastIndex = 0;
    if (!m) continue;
    const from = clause.start + m.index + m[0].length;
    const later = clauses.filter((c) => c.sentence === clause.sentence && c.start > clause.start && taken.some((t) => t.start >= c.start && t.start < c.end));
    const end = later.length > 0 ? prevEnd(clauses, later[0]) : clause.sentence.end;
    const said = text.slice(from, end).replace(/^[\s:,，–—-]+|[\s,，.。;；!！]+$/g, '');
    if (said.length < 2 || said.length > NEXT_STEP_MAX) continue;
    return [{ field: 'nextStep', text: said, span: { start: clause.start + m.index, end } }];
  }
  return [];
}

/** Where the clause before `clause` ends. */
function prevEnd(clauses: readonly Clause[], clause: Clause): number {
  const i = clauses.indexOf(clause);
  return clauses[i - 1].end;
}
