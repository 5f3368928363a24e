import { FIELD_WORDS } from '../domain/set-deal-field';
import type { Command } from './command';
import { closestCommand } from './suggest-command';
import { parseTeamCommand } from './parse-team-command';
import { parseApprovalCommand } from './parse-approval-command';
import { parseHistoryCommand } from './parse-history-command';
import { parseFollowUpCommand } from './parse-follow-up-command';
import { parseNudgeCommand } from './parse-nudge-command';
import { parseQuotaCommand } from './parse-quota-command';
import { parseReassignCommand } from './parse-reassign-command';

const HELP = /^(help|\?|hi|hello|hey|start|帮助|你好)$/;
const NEW_DEAL = /^(new deal|new|create deal|add deal|新建|新建商机)$/;
const PIPELINE = /^(my deals|pipeline|my pipeline|deals|我的商机|管道)$/;

/** Normalises what Teams delivers: mentions already removed, HTML remnants, odd spaces, case. */
export function normaliseText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[\u00a0\u200b\u3000]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `move <ref> to <stage> [note]`: the first " to " followed by a word is the split. */
function parseMove(rest: string): Command {
  const m = /^(.+?)\s+to\s+(closed? (?:won|lost)|\S+)(?:\s+(.*))?$/i.exec(rest);
  if (!m) return { name: 'usage', of: 'move' };
  return { name: 'move', ref: m[1], target: m[2], note: m[3] ?? '' };
}

/** `set <ref> <field> <value>`: the first known field word after the ref is the split. */
function parseSet(rest: string): Command {
  const words = rest.split(' ');
  for (let i = 1; i < words.length; i++) {
    const tail = words.slice(i).join(' ');
    const lower = tail.toLowerCase();
    const field = FIELD_WORDS.find(([alias]) => lower === alias || lower.startsWith(`${alias} `));
    if (!field) continue;
    const value = tail.slice(field[0].length).trim();
    return value ? { name: 'set', ref: words.slice(0, i).join(' '), field: field[0], value } : { name: 'usage', of: 'set' };
  }
  if (words.length >= 3) return { name: 'set', ref: words[0], field: words[1], value: words.slice(2).join(' ') };
  return { name: 'usage', of: 'set' };
}

/** `close <ref> won|lost [reason]`. */
function parseClose(rest: string): Command {
  const m = /^(.+?)\s+(won|lost|win|lose)(?:\s+(.*))?$/i.exec(rest);
  if (!m) return { name: 'usage', of: 'close' };
  const outcome = m[2].toLowerCase().startsWith('w') ? 'won' : 'lost';
  return { name: 'close', ref: m[1], outcome, reason: m[3] ?? '' };
}

export function parseCommand(input: string): Command {
  const text = normaliseText(input);
  const lower = text.toLowerCase();
  if (HELP.test(lower)) return { name: 'help' };
  if (NEW_DEAL.test(lower)) return { name: 'newDeal' };
  if (PIPELINE.test(lower)) return { name: 'pipeline' };
  if (/^(d-?)?\d{1,9}$/.test(lower)) return { name: 'showDeal', ref: text };
  // Before the deal verbs: `set quota …` is not `set <deal> <field> <value>`.
  const area = parseQuotaCommand(lower, text) ?? parseFollowUpCommand(lower, text) ?? parseNudgeCommand(lower, text) ?? parseReassignCommand(lower, text);
  if (area) return area;
  const approval = parseApprovalCommand(lower, text) ?? parseHistoryCommand(lower, text);
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
  }
  return { name: 'unknown', suggestion: closestCommand(lower) };
}
