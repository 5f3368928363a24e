import type { Command } from './command';

/** `follow <ref>` / `follow account <name>` (and unfollow): the target of a follow. */
function followTarget(rest: string): { ref?: string; account?: string } | undefined {
  if (/^(account|客户)$/i.test(rest)) return undefined;
  const account = /^account\s+(.+)$/i.exec(rest) ?? /^客户\s*(.+)$/.exec(rest);
  if (account) return { account: account[1] };
  return rest ? { ref: rest } : undefined;
}

/** The deal-team and alert commands; undefined when the text is none of them. */
export function parseTeamCommand(verb: string, rest: string): Command | undefined {
  switch (verb) {
    case 'team':
      return rest ? { name: 'team', ref: rest } : { name: 'usage', of: 'team' };
    case 'add': {
      // `add <person> to <deal> [as <role>]`, also `添加 <人员> 到 <商机> [作为 <角色>]` (no spaces needed next to Chinese).
      const m = /^(.+?)(?:\s+to\s+|\s*到\s*)(.+?)(?:\s+as\s+|\s*(?:作为|担任)\s*)(.+)$/i.exec(rest) ?? /^(.+?)(?:\s+to\s+|\s*到\s*)(.+?)()$/i.exec(rest);
      return m ? { name: 'addMember', person: m[1], ref: m[2], role: m[3] } : { name: 'usage', of: 'add' };
    }
    case 'remove': {
      // `remove <person> from <deal>`, also `移除 <人员> 从 <商机>` and `从 <商机> 移除 <人员>`.
      const m = /^(.+?)(?:\s+from\s+|\s*从\s*)(.+)$/i.exec(rest);
      if (m) return { name: 'removeMember', person: m[1], ref: m[2] };
      return { name: 'usage', of: 'remove' };
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
      if (/^(on|开|开启|打开)$/.test(lower)) return { name: 'alertsSwitch', on: true };
      if (/^(off|关|关闭)$/.test(lower)) return { name: 'alertsSwitch', on: false };
      return rest ? { name: 'alertStatus', ref: rest } : { name: 'usage', of: 'alerts' };
    }
  }
  return undefined;
}
