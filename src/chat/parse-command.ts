import { FIELD_WORDS } from '../domain/set-deal-field';
import { STAGE_WORDS } from '../domain/stage';
import { HAN, withEnglishVerb } from './chinese-verbs';
import { parseLanguageCommand } from './parse-language-command';
import type { Command } from './command';
import { closestCommand } from './closest-command';
import { parseTeamCommand } from './parse-team-command';
import { parseApprovalCommand } from './parse-approval-command';
import { parseHistoryCommand } from './parse-history-command';
import { parseSummaryCommand } from './parse-summary-command';
import { parseFollowUpCommand } from './parse-follow-up-command';
import { parseNudgeCommand } from './parse-nudge-command';
import { parseQuotaCommand } from './parse-quota-command';
import { parseReassignCommand } from './parse-reassign-command';

const HELP = /^(help|\?|hi|hello|hey|start|帮助|你好|？)$/;
const NEW_DEAL = /^(new deal|new|create deal|add deal|新建|新建商机|创建商机|新商机)$/;
const PIPELINE = /^(my deals|pipeline|my pipeline|deals|我的商机|管道|商机列表|我的管道)$/;

/**
 * Normalises what Teams delivers: mentions already removed, HTML remnants, odd spaces (the ideographic one too),
 * case, and full-width letters and digits a Chinese input method types (`Ｄ－１００１`), read as ASCII.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[\u00a0\u200b\u3000]/g, ' ')
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\uff05]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Where a stage word typed at the start of `text` ends (longest known word; a Latin one ends at a space), or 0. */
function stageWordEnd(text: string): number {
  const lower = text.toLowerCase();
  for (const word of STAGE_WORDS) {
    if (!lower.startsWith(word)) continue;
    const next = text.charAt(word.length);
    if (HAN.test(word) || next === '' || next === ' ') return word.length;
  }
  return 0;
}

/** The separators before a stage: " to " or 到/至 (spaces around them optional). */
const MOVE_SPLIT = /\s+to\s+|\s*[到至]\s*/gi;

/**
 * `move <ref> to <stage> [note]` (also `到`, no spaces needed next to Chinese): the first separator followed by a
 * known stage word is the split, else the first one followed by a word (which the domain then refuses by name).
 */
function parseMove(rest: string): Command {
  const splits = [...rest.matchAll(MOVE_SPLIT)].filter((m) => m.index > 0 && m.index + m[0].length < rest.length);
  if (splits.length === 0) return { name: 'usage', of: 'move' };
  for (const m of splits) {
    const after = rest.slice(m.index + m[0].length);
    const end = stageWordEnd(after);
    if (end > 0) return { name: 'move', ref: rest.slice(0, m.index).trim(), target: after.slice(0, end), note: after.slice(end).trim() };
  }
  const first = splits[0];
  const after = rest.slice(first.index + first[0].length);
  const word = /^(closed? (?:won|lost)|\S+)(?:\s+(.*))?$/i.exec(after);
  return word ? { name: 'move', ref: rest.slice(0, first.index).trim(), target: word[1], note: word[2] ?? '' } : { name: 'usage', of: 'move' };
}

/** The field word typed at `tail`'s start (longest first): a Latin one must end at a space, a Chinese one need not. */
function fieldAt(tail: string): string | undefined {
  const lower = tail.toLowerCase();
  return FIELD_WORDS.find(([alias]) => lower === alias || lower.startsWith(`${alias} `) || (HAN.test(alias.slice(-1)) && lower.startsWith(alias)))?.[0];
}

/**
 * `set <ref> <field> <value>`: the first known field word after the ref, at a space, is the split; failing that the
 * first Chinese field word anywhere (`设置D-1001金额120万`).
 */
function parseSet(rest: string): Command {
  const starts = [...rest.matchAll(/ /g)].map((m) => m.index + 1);
  const hanStarts: number[] = [];
  for (let i = 1; i < rest.length; i++) if (HAN.test(rest.charAt(i))) hanStarts.push(i);
  for (const i of [...starts, ...hanStarts]) {
    const tail = rest.slice(i);
    const field = fieldAt(tail);
    if (!field) continue;
    const ref = rest.slice(0, i).trim();
    const value = tail.slice(field.length).trim();
    if (!ref) continue;
    return value ? { name: 'set', ref, field, value } : { name: 'usage', of: 'set' };
  }
  const words = rest.split(' ');
  if (words.length >= 3) return { name: 'set', ref: words[0], field: words[1], value: words.slice(2).join(' ') };
  return { name: 'usage', of: 'set' };
}

const WON = /^(won|win|赢单|赢|成交|已赢单)$/i;
/** `close <ref> won|lost [reason]`, also `赢单`/`丢单` (no spaces needed next to Chinese). */
function parseClose(rest: string): Command {
  const m = /^(.+?)\s+(won|lost|win|lose)(?:\s+(.*))?$/i.exec(rest) ?? /^(.+?)\s*(已赢单|赢单|成交|赢|已丢单|丢单|输单|丢|输)\s*(.*)$/.exec(rest);
  if (!m || !m[1].trim()) return { name: 'usage', of: 'close' };
  const outcome = WON.test(m[2]) ? 'won' : 'lost';
  return { name: 'close', ref: m[1].trim(), outcome, reason: m[3] ?? '' };
}

export function parseCommand(input: string): Command {
  const typed = normaliseText(input);
  if (HELP.test(typed.toLowerCase())) return { name: 'help' };
  if (NEW_DEAL.test(typed.toLowerCase())) return { name: 'newDeal' };
  if (PIPELINE.test(typed.toLowerCase())) return { name: 'pipeline' };
  const text = withEnglishVerb(typed);
  const lower = text.toLowerCase();
  const language = parseLanguageCommand(lower);
  if (language) return language;
  if (/^(d-?)?\d{1,9}$/.test(lower)) return { name: 'showDeal', ref: text };
  // Before the deal verbs: `set quota …` is not `set <deal> <field> <value>`.
  const area = parseQuotaCommand(lower, text) ?? parseFollowUpCommand(lower, text) ?? parseNudgeCommand(lower, text) ?? parseReassignCommand(lower, text);
  if (area) return area;
  const approval = parseApprovalCommand(lower, text) ?? parseHistoryCommand(lower, text) ?? parseSummaryCommand(lower, text);
  if (approval) return approval;

  const [verb, ...restWords] = text.split(' ');
  const rest = restWords.join(' ');
  const team = parseTeamCommand(verb.toLowerCase(), rest);
  if (team) return team;
  switch (verb.toLowerCase()) {
    case 'deal': case 'show': case 'open':
      return rest ? { name: 'showDeal', ref: rest } : { name: 'usage', of: 'deal' };
    case 'move': case 'advance':
      return parseMove(rest);
    case 'set': case 'update':
      return parseSet(rest);
    case 'close':
      return parseClose(rest);
    case 'sync':
      return rest ? { name: 'sync', ref: rest } : { name: 'usage', of: 'sync' };
  }
  return { name: 'unknown', suggestion: closestCommand(lower) };
}
