/** A summary is a card's few lines: longer than this is not the summary asked for. */
export const SUMMARY_MAX = 1500;

/**
 * A model's summary as a card may show it: control characters dropped, lines trimmed, blank runs folded; undefined
 * when nothing is left or it is longer than SUMMARY_MAX.
 */
export function cleanSummary(text: string): string | undefined {
  const lines = text
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());
  const folded = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return folded && folded.length <= SUMMARY_MAX ? folded : undefined;
}
