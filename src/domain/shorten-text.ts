/**
 * Shortening user text for a card, a button, a title, a log line or a message. Lengths are UTF-16 code units, as
 * JavaScript counts them and as Teams (message size) and Cosmos DB measure text, so a limit keeps its meaning; the
 * cut falls only between graphemes (Intl.Segmenter), never inside a surrogate pair, a ZWJ emoji sequence, a flag or
 * a letter and its combining marks. A lone surrogate left by a cut is not valid Unicode: Teams shows it as garbage
 * and some SDKs refuse it.
 */
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export const ELLIPSIS = '…';

/** The length of the longest run of whole graphemes at the start of `text` that fits in `room` code units. */
function fittingEnd(text: string, room: number): number {
  let end = 0;
  // The segmenter is lazy: only the graphemes up to the cut are looked at, however long the text.
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return end;
}

/** `text` as it is when it fits in `max` code units; else its whole graphemes that fit with "…" after them. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  return `${text.slice(0, fittingEnd(text, max - ELLIPSIS.length))}${ELLIPSIS}`;
}

/**
 * `text` cut to `max` code units on a grapheme boundary, without an ellipsis: for text that is matched or searched
 * on (a search query, a deal reference), where an added "…" would change what it finds.
 */
export const cutToFit = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, fittingEnd(text, Math.max(0, max))));
