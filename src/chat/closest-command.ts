/** The commands a user might have meant, as they would type them. */
const KNOWN = ['help', 'new deal', 'my deals', 'pipeline', 'deal', 'move', 'set', 'close', 'team', 'add', 'remove', 'follow', 'unfollow', 'following', 'mute', 'unmute', 'alerts', 'request approval', 'approval', 'approvers', 'history', 'summary', 'reassign'];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known command nearest to what was typed (by its first words), if any is reasonably near. */
export function closestCommand(text: string): string | undefined {
  const words = text.toLowerCase().split(' ').slice(0, 2);
  let best: { command: string; score: number } | undefined;
  for (const command of KNOWN) {
    const typed = words.slice(0, command.split(' ').length).join(' ').slice(0, 40);
    const score = distance(typed, command) / Math.max(command.length, 1);
    if (!best || score < best.score) best = { command, score };
  }
  return best && best.score <= 0.5 ? best.command : undefined;
}
