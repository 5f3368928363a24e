import type { Deal } from './deal';
import { ARCHIVE_CHUNK, type ArchivedEntry, type ArchivedList, chunkOf, entryCount } from './deal-archive';

/**
 * Which positions of a list a page shows: `size` of them ending before `end` (the newest when `end` is absent),
 * shown newest first. Pages are named by their end, a position that never moves, so paging while new entries
 * arrive neither skips nor repeats one. `newer` and `older` say where the neighbouring pages end (`newer` without
 * an end: the newest page, whatever arrived since).
 */
export interface PageRange {
  start: number;
  end: number;
  total: number;
  newer?: { end?: number };
  older?: { end: number };
}

/** A page of a deal's history or audit trail: its entries newest first, each with its position in the list. */
export interface EntryPage<E> extends PageRange {
  entries: Array<{ position: number; entry: E }>;
}

export function pageRange(total: number, size: number, end?: number): PageRange {
  const last = end === undefined || !Number.isFinite(end) || end <= 0 ? total : Math.min(total, Math.floor(end));
  const start = Math.max(0, last - size);
  return {
    start,
    end: last,
    total,
    ...(last < total ? { newer: last + size >= total ? {} : { end: last + size } } : {}),
    ...(start > 0 ? { older: { end: start } } : {}),
  };
}

/** The archive chunks a page needs: those holding its positions that the deal itself no longer holds. */
export function chunksFor(deal: Deal, list: ArchivedList, range: PageRange): number[] {
  const archived = deal.archived[list];
  if (range.start >= archived || range.end <= range.start) return [];
  const chunks: number[] = [];
  for (let chunk = chunkOf(range.start); chunk <= chunkOf(Math.min(range.end, archived) - 1); chunk++) chunks.push(chunk);
  return chunks;
}

/**
 * Puts a page together from the deal and the chunks `chunksFor` named (by chunk number). A position found in
 * neither is a broken store, never a user's mistake: it throws rather than show a page with a hole.
 */
export function assemblePage<L extends ArchivedList>(deal: Deal, list: L, range: PageRange, chunks: ReadonlyMap<number, ReadonlyArray<ArchivedEntry<L>>>): EntryPage<ArchivedEntry<L>> {
  const archived = deal.archived[list];
  const held = deal[list] as unknown as ReadonlyArray<ArchivedEntry<L>>;
  const entries: EntryPage<ArchivedEntry<L>>['entries'] = [];
  for (let position = range.end - 1; position >= range.start; position--) {
    const entry = position >= archived ? held[position - archived] : chunks.get(chunkOf(position))?.[position % ARCHIVE_CHUNK];
    if (!entry) throw new Error(`deal ${deal.id}: ${list} entry ${position} is missing`);
    entries.push({ position, entry });
  }
  return { ...range, entries };
}

/** The newest page: the deal always holds it (it keeps more entries than a page shows). */
export const newestPage = <L extends ArchivedList>(deal: Deal, list: L, size: number): EntryPage<ArchivedEntry<L>> =>
  assemblePage(deal, list, pageRange(entryCount(deal, list), size), new Map());
