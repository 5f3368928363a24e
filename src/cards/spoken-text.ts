/**
 * A card's `speak`: the short text a screen reader reads for it, and the line Teams shows for a proactive card
 * in its notification and chat list (the messenger sends it as the activity's `summary`).
 *
 * Card text is escaped markdown (safe-text.ts); spoken text is plain: escapes and emphasis marks are dropped,
 * angle brackets become ‹ ›, square brackets go, lines are joined, and it is kept short. User text in it comes escaped (mdInline), as on
 * the card, so no `${` survives.
 */
const SPOKEN_MAX = 240;

export function spoken(text: string): string {
  const plain = text
    // The card's own emphasis (unescaped * and __) is not read out; user text's escaped stars are.
    .replace(/(?<!\\)(\*+|__)/g, '')
    .replace(/\\([\\`*_[\]<>~|#+\-.])/g, '$1')
    // Speech is markup to a screen reader (SSML), and no text may pass for a mention or a link: no angle brackets
    // (‹ › instead), no square brackets (not read out anyway).
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[[\]]/g, '')
    .replace(/\s*\n+\s*/g, ' ')
    .trim();
  return plain.length > SPOKEN_MAX ? `${plain.slice(0, SPOKEN_MAX - 1)}…` : plain;
}

/**
 * What a card speaks when its builder says nothing more precise: its heading (or title), then its first line
 * of detail (summary, intro or text), as the card shows them.
 */
export function spokenSummaryOf(view: Record<string, unknown>): string {
  const first = (...keys: string[]) => keys.map((k) => view[k]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const head = first('heading', 'title');
  const detail = first('summary', 'intro', 'text');
  return spoken([head, detail].filter((part) => part !== undefined && part !== '').join(' – '));
}
