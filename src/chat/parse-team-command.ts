import type { Command } from './command';

/** `follow <ref>` / `follow account <name>` (and unfollow): the target of a follow. */
function followTarget(rest: string): { ref?: string; account?: string } | undefined {
  if (/^account$/i.test(rest)) return undefined;
  const account = /^account\s+(.+)$/i.exec(rest);
  if (account) return { account: account[1] };
  return rest ? { ref: rest } : undefined;
}

/** The deal-team and alert commands; undefined when the text is none of them. */
export function parseTeamCommand(verb: string, rest: string): Command | undefined {
  switch (verb) {
    case 'team':
      return rest ? { name: 'team', ref: rest } : { name: 'usage', of: 'team' };
    case 'add': {
      const m = /^(.+?)\s+to\s+(.+?)(?:\s+as\s+(.+))?$/i.exec(rest);
      return m ? { name: 'addMember', person: m[1], ref: m[2], role: m[3] ?? '' } : { name: 'usage', of: 'add' };
    }
    case 'remove': {
      const m = /^(.+?)\s+from\s+(.+)$/i.exec(rest);
      return m ? { name: 'removeMember', person: m[1], ref: m[2] } : { name: 'usage', of: 'remove' };
    }
    case 'follow':
    case 'unfollow': {
      const target = followTarget(rest);
      return target ? { name: verb, ...target } : { name: 'usage', of: 'follow' };
    }
    case 'following':
      return rest ? undefined : { name: 'following' };
    case 'mute':
    case 'unmute':
      return rest ? { name: 'mute', ref: rest, muted: verb === 'mute' } : { name: 'usage', of: 'mute' };
    case 'alerts': {
      const lower = rest.toLowerCase();
      if (lower === 'on' || lower === 'off') return { name: 'alertsSwitch', on: lower === 'on' };
      return rest ? { name: 'alertStatus', ref: rest } : { name: 'usage', of: 'alerts' };
    }
  }
  return undefined;
}
