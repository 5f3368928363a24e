import type { Command, QuotaCommand } from './command';

const quota = (command: QuotaCommand): Command => ({ name: 'quota', command });

/** Reads a quota command from normalised text (`lower` is its lower-case form), or undefined when it is none. */
export function parseQuotaCommand(lower: string, text: string): Command | undefined {
  if (/^(quota|my quota|我的配额|配额)$/.test(lower)) return quota({ kind: 'quota' });
  if (/^(my team|team view|我的团队)$/.test(lower)) return quota({ kind: 'myTeam' });
  if (/^(digest|my digest|weekly digest|摘要|每周摘要)$/.test(lower)) return quota({ kind: 'digest' });
  if (/^set quota\b/.test(lower)) {
    // `set quota <person> pg1 <amount> pg2 <amount>` (either order of the two groups).
    const m = /^set quota\s+(.+?)\s+pg1\s+(\S+)\s+pg2\s+(\S+)$/i.exec(text) ?? /^set quota\s+(.+?)\s+pg2\s+(\S+)\s+pg1\s+(\S+)$/i.exec(text);
    if (!m) return quota({ kind: 'usage', of: 'setQuota' });
    const swapped = /\spg2\s+\S+\s+pg1\s+\S+$/i.test(text);
    return quota({ kind: 'setQuota', person: m[1], pg1: swapped ? m[3] : m[2], pg2: swapped ? m[2] : m[3] });
  }
  if (/^set manager\b/.test(lower)) {
    const m = /^set manager\s+(.+?)\s+(?:to|=|->)\s+(.+)$/i.exec(text) ?? /^set manager\s+(.+?)\s*(?:为|是)\s*(.+)$/i.exec(text);
    if (m) return quota({ kind: 'setManager', person: m[1], manager: m[2] });
    const both = /^set manager\s+(\S+(?:\s+\S+)+)$/i.exec(text);
    return quota(both ? { kind: 'setManager', person: both[1] } : { kind: 'usage', of: 'setManager' });
  }
  if (/^(manager|my manager)$/.test(lower)) return quota({ kind: 'showManager' });
  const show = /^manager (?:of )?(.+)$/i.exec(text);
  if (show) return quota({ kind: 'showManager', person: show[1] });
  return undefined;
}
