import type { Command, ReassignCommand } from './command';

const reassign = (command: ReassignCommand): Command => ({ name: 'reassign', command });

/**
 * Reads a reassignment from normalised text (`lower` its lower-case form), or undefined when it is none. The last
 * " to " splits (a deal's title may hold one; a person's name hardly does); "all deals of", "all of", "everything of"
 * and "deals of" mean every deal of a person. Chinese: `转交 <商机> 给 <人员>`, `转交 <人员> 的全部商机 给 <人员>`.
 */
export function parseReassignCommand(lower: string, text: string): Command | undefined {
  const zh = /^转交\s*(.+?)\s*给\s*(.+)$/.exec(text);
  if (zh) {
    const all = /^(.+?)\s*的(?:全部|所有)商机$/.exec(zh[1]);
    return reassign(all ? { kind: 'all', from: all[1], to: zh[2] } : { kind: 'deal', ref: zh[1], person: zh[2] });
  }
  if (lower === '转交' || lower.startsWith('转交 ')) return reassign({ kind: 'usage' });
  if (!/^(reassign|hand over)\b/.test(lower)) return undefined;
  const rest = text.replace(/^(reassign|hand over)\s*/i, '');
  const split = /^(.+)\s+to\s+(.+)$/i.exec(rest);
  if (!split) return reassign({ kind: 'usage' });
  const all = /^(?:all\s+(?:(?:the\s+)?deals\s+)?of|all\s+deals\s+from|everything\s+of|deals\s+of)\s+(.+)$/i.exec(split[1]);
  return reassign(all ? { kind: 'all', from: all[1], to: split[2] } : { kind: 'deal', ref: split[1], person: split[2] });
}
