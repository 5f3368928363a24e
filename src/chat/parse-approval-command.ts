import type { Command } from './command';

const ID = /^(?:d-?)?\d{1,9}$/i;

/** `set approvers <level> <people…> [any|all]`: people separated by commas or "and". */
function parseSetApprovers(rest: string): Command {
  const m = /^(\S+)\s+(.+?)(?:\s+(any|all|任一|任意|全部|所有))?$/i.exec(rest.trim());
  if (!m) return { name: 'usage', of: 'setApprovers' };
  const people = m[2].split(/\s*[,，、]\s*|\s+and\s+|\s*和\s*/i).map((p) => p.trim()).filter(Boolean);
  const mode = m[3] ? (/^(any|任一|任意)$/i.test(m[3]) ? 'any' : 'all') : undefined;
  return people.length > 0 ? { name: 'setApprovers', level: m[1], people, mode } : { name: 'usage', of: 'setApprovers' };
}

/** The approval commands; undefined when the text is none of them. */
export function parseApprovalCommand(lower: string, text: string): Command | undefined {
  if (lower === 'approvals here') return { name: 'approvalsHere' };
  if (lower === 'approvers') return { name: 'approvers' };
  if (lower.startsWith('set approvers')) return parseSetApprovers(text.slice('set approvers'.length));
  if (lower === 'request approval') return { name: 'usage', of: 'requestApproval' };
  if (lower.startsWith('request approval ')) {
    const [first, ...more] = text.slice('request approval '.length).trim().split(' ');
    // A deal id may be followed by a note; a title fragment takes the whole rest.
    return ID.test(first) ? { name: 'requestApproval', ref: first, note: more.join(' ') } : { name: 'requestApproval', ref: [first, ...more].join(' '), note: '' };
  }
  if (lower === 'approval') return { name: 'usage', of: 'approval' };
  if (lower.startsWith('approval ')) return { name: 'approvalTrail', ref: text.slice('approval '.length).trim() };
  return undefined;
}
