import type { Command } from './command';

/** `summary`, 总结 (put in English by chinese-verbs), `sum up`: the words that ask for a deal's summary. */
const WORD = '(?:summary|summarise|summarize|sum up)';
const ALONE = new RegExp(`^${WORD}$`);
/** `summary D-1042`, `summary of azure migration`, `summary for D-1042`. */
const BEFORE = new RegExp(`^${WORD}(?: (?:of|for))? (.+)$`);

/** `摘要 <商机>`: 摘要 alone is the weekly digest (quota.zh-CN's help), 摘要 with a deal that deal's summary. */
const CHINESE = /^摘要\s*(\S.*)$/;

/** `summary <deal>` (normalised text; `lower` is its lower-case form), or undefined when it is none. */
export function parseSummaryCommand(lower: string, text: string): Command | undefined {
  const chinese = CHINESE.exec(text);
  if (chinese) return { name: 'summary', ref: chinese[1].trim() };
  if (ALONE.test(lower)) return { name: 'usage', of: 'summary' };
  const before = BEFORE.exec(lower);
  return before ? { name: 'summary', ref: text.slice(text.length - before[1].length).trim() } : undefined;
}
