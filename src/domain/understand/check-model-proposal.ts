import { parseCalendarDate } from '../calendar-date';
import { cleanText, NEXT_STEP_MAX, parseProbability } from '../deal-fields';
import { EVIDENCE_KEYS, EVIDENCE_MAX_LENGTH } from '../evidence';
import { parseAmount, parseCurrency } from '../money';
import { parseMoveTarget } from '../stage';
import { todayOf } from './find-dates';
import type { ProposedChange, ProposedDeal, ProposedField, Span, UpdateContext, UpdateProposal } from './update-proposal';

/** A note is logged on the deal at Apply, where a log entry holds at most 1,000 characters (app/log-on-deal.ts). */
export const MODEL_NOTE_MAX = 1000;

/** More changes than a message can state (one per field) is an answer that is not reading the message. */
const CHANGES_MAX = 16;

/** How sure a deal the model names is taken to be when it does not say (the offline reader's "named by id"). */
const DEFAULT_CONFIDENCE = 0.8;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text the model gives for a field: cleaned as stored text is, and refused (undefined) when empty or too long. */
function boundedText(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' || v.length > max * 4) return undefined;
  const text = cleanText(v);
  return text.length > 0 && text.length <= max ? text : undefined;
}

/** Where the model says the message stated the change: its quote, found in the message; an empty span otherwise. */
function spanOf(quote: unknown, message: string): Span {
  if (typeof quote !== 'string' || quote.trim().length === 0 || quote.length > message.length) return { start: 0, end: 0 };
  const at = message.indexOf(quote.trim());
  return at >= 0 ? { start: at, end: at + quote.trim().length } : { start: 0, end: 0 };
}

/** The same rule a command's parser applies, as "the value, or nothing" (a DomainError is a refusal). */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** One change as the model wrote it, checked by the rules the commands apply; undefined when any part fails them. */
function checkChange(c: Record<string, unknown>, message: string, today: string): ProposedChange | undefined {
  const span = spanOf(c.quote, message);
  const field = c.field;
  if (field === 'stage') {
    const { stage, outcome } = isObject(c.target) ? c.target : {};
    if (typeof stage !== 'string' || stage.length > 40 || (outcome !== undefined && outcome !== null && outcome !== 'Won' && outcome !== 'Lost')) return undefined;
    const target = attempt(() => parseMoveTarget(outcome ? `${stage} ${outcome}` : stage));
    return target && { field, target, span };
  }
  if (field === 'value') {
    const { amount: given, currency: named } = isObject(c.value) ? c.value : {};
    if (typeof given !== 'number' && typeof given !== 'string') return undefined;
    const amount = attempt(() => parseAmount(given));
    const currency = named === undefined || named === null ? undefined : typeof named === 'string' ? attempt(() => parseCurrency(named)) : undefined;
    if (amount === undefined || (named !== undefined && named !== null && !currency)) return undefined;
    return { field, value: currency ? { amount, currency } : { amount }, span };
  }
  if (field === 'closeDate') {
    const date = typeof c.date === 'string' && c.date.length <= 20 ? attempt(() => parseCalendarDate(c.date as string)) : undefined;
    return date && date >= today ? { field, date, span } : undefined;
  }
  if (field === 'probability') {
    const percent = typeof c.percent === 'number' || typeof c.percent === 'string' ? attempt(() => parseProbability(c.percent)) : undefined;
    return percent === undefined ? undefined : { field, percent, span };
  }
  if (field === 'nextStep' || field === 'note' || (EVIDENCE_KEYS as readonly unknown[]).includes(field)) {
    const max = field === 'nextStep' ? NEXT_STEP_MAX : field === 'note' ? MODEL_NOTE_MAX : EVIDENCE_MAX_LENGTH;
    const text = boundedText(c.text, max);
    return text === undefined ? undefined : ({ field, text, span } as ProposedChange);
  }
  return undefined;
}

/** The deal the model named: one of the context's (the user's own), or none; never an id from anywhere else. */
function checkDeal(answer: Record<string, unknown>, context: UpdateContext): ProposedDeal {
  const known = new Set(context.deals.map((d) => d.id));
  if (typeof answer.dealId === 'string' && known.has(answer.dealId)) {
    const c = answer.confidence;
    const confidence = typeof c === 'number' && c >= 0 && c <= 1 ? c : DEFAULT_CONFIDENCE;
    return { id: answer.dealId, confidence };
  }
  if (Array.isArray(answer.choices)) {
    const choices = [...new Set(answer.choices.filter((id): id is string => typeof id === 'string' && known.has(id)))].slice(0, 5);
    if (choices.length >= 2) return { choices };
    if (choices.length === 1) return { id: choices[0], confidence: DEFAULT_CONFIDENCE / 2 };
  }
  return undefined;
}

/** Two changes of one field that say different things: the field is left out, as the offline reader does. */
const sameChange = (a: ProposedChange, b: ProposedChange): boolean => JSON.stringify({ ...a, span: 0 }) === JSON.stringify({ ...b, span: 0 });

/**
 * What a language model answered to an update message, read as a proposal by the same rules a command's values
 * meet: the deal must be one of the context's (the user's own deals; anything else is no deal), a stage is read by
 * parseMoveTarget, an amount and a currency by domain/money, a close date by parseCalendarDate and not before the
 * user's today, a probability 0–100, text cleaned and within the field's length. Anything else, an unknown field, or
 * a field the answer gives two different ways, is dropped. The model's answer is data, never trusted: at most it
 * makes a proposal for one of the user's deals, which the user sees and may cancel.
 */
export function checkModelProposal(answer: unknown, message: string, context: UpdateContext): UpdateProposal {
  if (!isObject(answer)) return { deal: undefined, changes: [] };
  const today = todayOf(context.now, context.timeZone);
  const given = Array.isArray(answer.changes) ? answer.changes.slice(0, CHANGES_MAX) : [];
  const checked = given.filter(isObject).map((c) => checkChange(c, message, today)).filter((c): c is ProposedChange => c !== undefined);
  const fields = new Map<ProposedField, ProposedChange[]>();
  for (const c of checked) fields.set(c.field, [...(fields.get(c.field) ?? []), c]);
  const changes = [...fields.values()].filter((cs) => cs.every((c) => sameChange(c, cs[0]))).map((cs) => cs[0]);
  return { deal: checkDeal(answer, context), changes };
}
