import { DomainError, type ErrorCode } from './errors';
import { shorten } from './shorten-text';

export const TITLE_MAX = 200;
export const ACCOUNT_MAX = 120;
export const NEXT_STEP_MAX = 500;
/** The longest note a deal's history keeps ("Log on deal", a proposal's note). */
export const NOTE_MAX = 1000;
export const REASON_MAX = 500;

/**
 * A zero-width joiner that is not between two emoji (after an emoji's skin tone or presentation selector): invisible
 * there, and a way to make two titles look alike. Between emoji it makes one of them (👩‍👩‍👧, 🏳️‍🌈) and is kept.
 */
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

/** Folds runs of white space and drops control characters, so stored text is clean and one line. */
export const cleanText = (input: unknown): string =>
  String(input ?? '')
    .replace(STRAY_JOINER, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b\u200c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function boundedText(input: unknown, code: ErrorCode, max: number, required: boolean): string {
  const text = cleanText(input);
  if ((required && text.length === 0) || text.length > max) throw new DomainError(code, { max, length: text.length });
  return text;
}

export const parseTitle = (input: unknown) => boundedText(input, 'DEAL.TITLE_INVALID', TITLE_MAX, true);
export const parseAccount = (input: unknown) => boundedText(input, 'DEAL.ACCOUNT_INVALID', ACCOUNT_MAX, true);
export const parseNextStep = (input: unknown) => boundedText(input, 'DEAL.NEXT_STEP_INVALID', NEXT_STEP_MAX, false);
/** A reason: required (DEAL.REASON_REQUIRED) and at most REASON_MAX characters (DEAL.REASON_TOO_LONG), two faults told apart. */
export function parseReason(input: unknown): string {
  const text = cleanText(input);
  if (text.length === 0) throw new DomainError('DEAL.REASON_REQUIRED', { max: REASON_MAX, length: 0 });
  return boundedText(text, 'DEAL.REASON_TOO_LONG', REASON_MAX, true);
}

/** A probability in percent, 0–100; "60%" is fine. */
export function parseProbability(input: unknown): number {
  const text = String(input ?? '').trim().replace(/%$/, '').trim();
  const value = /^\d{1,3}(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 100)) throw new DomainError('DEAL.PROBABILITY_INVALID', { value: shorten(String(input ?? ''), 20) });
  return Math.round(value);
}
