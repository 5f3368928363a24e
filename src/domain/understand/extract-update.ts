import { findAmounts } from './find-amounts';
import { findDates, todayOf } from './find-dates';
import { clausesOf, overlaps, readableText } from './message-text';
import { readCloseDate } from './read-close-date';
import { readEvidence } from './read-evidence';
import { readNextStep } from './read-next-step';
import { readProbability } from './read-probability';
import { readStage } from './read-stage';
import { readValue } from './read-value';
import { recogniseDeal } from './recognise-deal';
import type { ProposedChange, Span, UpdateContext, UpdateProposal } from './update-proposal';

/** The text with the deal's mentions blanked out, so "D-2006 3月15号" is not read as 15 March 2006. */
const blanked = (text: string, spans: readonly Span[]): string => spans.reduce((t, s) => t.slice(0, s.start) + ' '.repeat(s.end - s.start) + t.slice(s.end), text);

/** Longer messages are not read: an update is a few sentences, and the readers' cost grows with length. */
export const UPDATE_TEXT_MAX = 2_000;

/**
 * Reads an update written in the user's own words (English, Chinese or both) into a proposal: which deal it is
 * about and each change it states, with where it said so. Deterministic, offline, and it never changes anything:
 * the user confirms or cancels what it proposes. Precision first: a field is proposed only on a clear cue, and a
 * field stated two different ways in one message is left out (a wrong proposal costs more than a missed one).
 */
export function extractUpdate(message: string, context: UpdateContext): UpdateProposal {
  const text = readableText(message.slice(0, UPDATE_TEXT_MAX));
  const clauses = clausesOf(text);
  const { deal, spans: dealSpans } = recogniseDeal(text, context.deals);
  const stage = readStage(text, clauses, dealSpans);
  const won = stage.some((c) => c.field === 'stage' && c.target.stage === 'Close' && c.target.outcome === 'Won');
  const fields: ProposedChange[] = [
    ...stage,
    ...readValue(text, clauses, findAmounts(text), won),
    ...readCloseDate(text, clauses, findDates(blanked(text, dealSpans), context.now, context.timeZone), todayOf(context.now, context.timeZone)),
    ...readProbability(text, clauses),
    ...readEvidence(text, clauses, context.people),
  ];
  const withNext = [...fields, ...readNextStep(text, clauses, fields.map((f) => f.span))];
  const taken = withNext.map((c) => c.span);
  // The note: the clauses nothing above read, as the user wrote them ("Met Dana at Contoso"); a clause that only
  // names the deal is no note.
  const said = (c: Span) => text.slice(c.start, c.end).replace(/./gsu, (ch, i: number) => (dealSpans.some((d) => c.start + i >= d.start && c.start + i < d.end) ? ' ' : ch));
  const rest = clauses.filter((c) => !taken.some((t) => overlaps(t, c)) && /\p{L}{3,}|\p{Script=Han}{2,}/u.test(said(c)));
  const note: ProposedChange[] = rest.length > 0 ? [{ field: 'note', text: rest.map((c) => message.slice(c.start, c.end)).join(', '), span: { start: rest[0].start, end: rest[rest.length - 1].end } }] : [];
  return { deal, changes: [...withNext, ...note] };
}
