import type { Deal } from '../domain/deal';
import { ARCHIVE_CHUNK, type ArchivedEntry, type ArchivedList, entryCount } from '../domain/deal-archive';
import { assemblePage, chunksFor, type EntryPage, pageRange } from '../domain/entry-page';
import type { AppDeps } from './context';

/**
 * One page of a deal's history or audit trail, from the deal in hand and the archive chunks the deal counts
 * (a chunk beyond them, left by a write that failed, is never read). A counted chunk missing or short is a
 * broken store: it fails loudly (logged; the user is told something went wrong) rather than show a hole.
 */
export async function readEntryPage<L extends ArchivedList>(deps: AppDeps, deal: Deal, list: L, size: number, end?: number): Promise<EntryPage<ArchivedEntry<L>>> {
  const range = pageRange(entryCount(deal, list), size, end);
  const chunks = new Map<number, ReadonlyArray<ArchivedEntry<L>>>();
  for (const chunk of chunksFor(deal, list, range)) {
    const entries = await deps.store.deals.readArchive(deal.tenantId, deal.id, list, chunk);
    if (entries?.length !== ARCHIVE_CHUNK) throw new Error(`deal ${deal.id}: archived ${list} chunk ${chunk} is missing or incomplete`);
    chunks.set(chunk, entries as unknown as ReadonlyArray<ArchivedEntry<L>>);
  }
  return assemblePage(deal, list, range, chunks);
}
