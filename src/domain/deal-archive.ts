import type { AuditEntry } from './approval';
import type { Deal, HistoryEntry } from './deal';

/**
 * A deal's history and approval audit trail grow with every change, and a Cosmos DB item may not exceed 2 MB.
 * The deal keeps the latest entries of each list; older ones move, a fixed chunk at a time, into archive
 * documents of their own. Chunk n of a list always holds the entries at positions n×ARCHIVE_CHUNK … (n+1)×ARCHIVE_CHUNK − 1
 * (counted from the list's first entry, across the deal and its archive), and only entries a stored deal already
 * held are ever archived. So a chunk is immutable: written twice, by a retry or by two racing writers, it is the
 * same document. The deal counts what is archived (`deal.archived`); readers trust only the chunks it counts.
 */
export const ARCHIVED_LISTS = ['history', 'approvalTrail'] as const;
export type ArchivedList = (typeof ARCHIVED_LISTS)[number];
export type ArchivedEntry<L extends ArchivedList> = L extends 'history' ? HistoryEntry : AuditEntry;

/** The deal keeps at least this many of the latest entries of each list… */
export const KEPT_IN_DEAL = 50;
/** …and moves the oldest out this many at a time, so a stored deal holds at most KEPT_IN_DEAL + ARCHIVE_CHUNK − 1 of each. */
export const ARCHIVE_CHUNK = 10;
/** The most entries of one list a stored deal holds. */
export const MOST_IN_DEAL = KEPT_IN_DEAL + ARCHIVE_CHUNK - 1;

export interface ArchiveChunk {
  tenantId: string;
  dealId: string;
  list: ArchivedList;
  /** Chunk n holds the list's entries n×ARCHIVE_CHUNK … (n+1)×ARCHIVE_CHUNK − 1. */
  chunk: number;
  entries: HistoryEntry[] | AuditEntry[];
}

/** How many entries a list has in all: those archived and those the deal holds. */
export const entryCount = (deal: Pick<Deal, 'archived' | ArchivedList>, list: ArchivedList): number => deal.archived[list] + deal[list].length;

/** A closed deal written before `closedAt` existed: the time of its last move to Close, read before that move may be archived. */
function withClosedAt(deal: Deal): Deal {
  if (deal.stage !== 'Close' || deal.closedAt) return deal;
  const close = [...deal.history].reverse().find((h) => h.change.kind === 'stage' && h.change.to === 'Close');
  return close ? { ...deal, closedAt: close.at } : deal;
}

/**
 * The deal as it is to be stored, and the archive chunks to write before it: while a list holds
 * KEPT_IN_DEAL + ARCHIVE_CHUNK entries or more, its oldest ARCHIVE_CHUNK move out. One change adds far fewer than
 * KEPT_IN_DEAL entries, so whatever moves out was already in the stored deal this change started from.
 */
export function archiveOldest(deal: Deal): { deal: Deal; chunks: ArchiveChunk[] } {
  const chunks: ArchiveChunk[] = [];
  let next = deal;
  for (const list of ARCHIVED_LISTS) {
    let archived = next.archived[list];
    let entries: Array<HistoryEntry | AuditEntry> = next[list];
    if (archived % ARCHIVE_CHUNK !== 0) throw new Error(`deal ${deal.id}: ${archived} ${list} entries archived, not whole chunks`);
    while (entries.length >= KEPT_IN_DEAL + ARCHIVE_CHUNK) {
      if (list === 'history') next = withClosedAt(next);
      chunks.push({ tenantId: deal.tenantId, dealId: deal.id, list, chunk: archived / ARCHIVE_CHUNK, entries: entries.slice(0, ARCHIVE_CHUNK) as HistoryEntry[] | AuditEntry[] });
      entries = entries.slice(ARCHIVE_CHUNK);
      archived += ARCHIVE_CHUNK;
    }
    if (archived !== next.archived[list]) next = { ...next, [list]: entries, archived: { ...next.archived, [list]: archived } };
  }
  return { deal: next, chunks };
}

/** The chunk that holds the entry at `position` of a list. */
export const chunkOf = (position: number): number => Math.floor(position / ARCHIVE_CHUNK);

