import type { Command } from './command';

/** `history`, `changes`, 历史…: the words that ask for a deal's whole history. */
const WORD = '(?:history|changes|change log|历史|历史记录|变更记录)';
const ALONE = new RegExp(`^(?:show )?${WORD}$`);
/** `history D-1042`, `history of azure migration`, `show history for D-1042`, `历史 D-1042`. */
const BEFORE = new RegExp(`^(?:show )?${WORD}(?: (?:of|for))? (.+)$`);
/** `D-1042 history`: after a deal id only, so a title that ends in "history" stays a title. */
const AFTER = new RegExp(`^((?:d-?)?\\d{1,9}) ?${WORD}$`);

/** `history <deal>` in its forgiving forms (normalised text; `lower` is its lower-case form), or undefined when it is none. */
export function parseHistoryCommand(lower: string, text: string): Command | undefined {
  if (ALONE.test(lower)) return { name: 'usage', of: 'history' };
  const before = BEFORE.exec(lower);
  if (before) return { name: 'history', ref: text.slice(text.length - before[1].length).trim() };
  const after = AFTER.exec(lower);
  return after ? { name: 'history', ref: text.slice(0, after[1].length) } : undefined;
}
