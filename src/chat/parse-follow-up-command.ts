import type { Command, FollowUpCommand } from './command';

const followUp = (command: FollowUpCommand): Command => ({ name: 'followUp', command });

/** A last word that is meant as a date (digits with separators): a date that doesn't exist is refused, not taken as part of the name. */
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;

/** `milestone <ref> <name> [done|<date>]`: the ref is the first word; `done` or a date may end it. */
function parseMilestone(rest: string): Command {
  const words = rest.split(' ').filter((w) => w);
  if (words.length < 2) return followUp({ name: 'usage', of: 'milestone' });
  const [ref, ...tail] = words;
  const last = tail[tail.length - 1];
  const arg = /^(done|完成|已完成)$/.test(last.toLowerCase()) ? { kind: 'done' as const } : DATE_LIKE.test(last) ? { kind: 'date' as const, date: last } : { kind: 'none' as const };
  const milestone = (arg.kind === 'none' ? tail : tail.slice(0, -1)).join(' ');
  return followUp({ name: 'milestone', ref, milestone, arg });
}

/** Reads a follow-up command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseFollowUpCommand(lower: string, text: string): Command | undefined {
  const m = /^(milestone|csat|account|plan|delivery plan)(?:\s+(.*))?$/.exec(lower);
  if (!m) return undefined;
  const rest = text.slice(text.length - (m[2]?.length ?? 0)).trim();
  switch (m[1]) {
    case 'milestone':
      return parseMilestone(rest);
    case 'csat':
      return followUp(rest ? { name: 'csat', ref: rest } : { name: 'usage', of: 'csat' });
    case 'account':
      return followUp(rest ? { name: 'account', account: rest } : { name: 'usage', of: 'account' });
    default:
      return followUp(rest ? { name: 'plan', ref: rest } : { name: 'usage', of: 'plan' });
  }
}
