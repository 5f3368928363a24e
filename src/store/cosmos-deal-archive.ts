import type { Container } from '@azure/cosmos';
import type { AuditEntry } from '../domain/approval';
import type { HistoryEntry } from '../domain/deal';
import type { ArchiveChunk, ArchivedList } from '../domain/deal-archive';
import { DomainError } from '../domain/errors';
import { isPartitionFull, statusOf } from './cosmos-errors';
import { partitionKeyOf } from './partition-keys';

/**
 * A deal's archived history or audit entries (domain/deal-archive.ts), as a document of the `deals-v2` container
 * in the deal's own logical partition (it carries `dealId`, the key's second level): same partition key, same access, and a point read away from the deal. Its `type`
 * is not 'deal', so no query over deals (they all filter `c.type = 'deal'`) ever returns it.
 */
export interface ArchiveDocument {
  id: string;
  type: 'dealArchive';
  tenantId: string;
  dealId: string;
  list: ArchivedList;
  chunk: number;
  entries: HistoryEntry[] | AuditEntry[];
}

/** `D-1042.history.3`: deterministic, so a chunk is written under one id however often it is written. */
export const archiveIdOf = (dealId: string, list: ArchivedList, chunk: number): string => `${dealId}.${list}.${chunk}`;

/**
 * Cosmos refuses an item over 2 MB (413), and a write into a logical partition (the deal and its archives) that
 * reached 20 GB (403, substatus 1014): the user is told, in their words, that nothing was changed.
 */
export function refusedAsTooLarge(err: unknown, dealId: string): unknown {
  if (statusOf(err) === 413) return new DomainError('DEAL.TOO_LARGE', { id: dealId });
  if (isPartitionFull(err)) return new DomainError('DEAL.PARTITION_FULL', { id: dealId });
  return err;
}

export class CosmosDealArchive {
  constructor(private readonly container: Container) {}

  /**
   * Writes chunks before the deal that counts them. A chunk is immutable (the same id always holds the same
   * entries), so one already there, left by a write whose deal replace then failed or by a racing writer, is
   * kept as it is (409): nothing is doubled, and the replace that follows makes it count.
   */
  async write(chunks: readonly ArchiveChunk[]): Promise<void> {
    for (const chunk of chunks) {
      const doc: ArchiveDocument = { id: archiveIdOf(chunk.dealId, chunk.list, chunk.chunk), type: 'dealArchive', ...chunk };
      try {
        await this.container.items.create<ArchiveDocument>(doc);
      } catch (err) {
        if (statusOf(err) !== 409) throw refusedAsTooLarge(err, chunk.dealId);
      }
    }
  }

  async read(tenantId: string, dealId: string, list: ArchivedList, chunk: number): Promise<HistoryEntry[] | AuditEntry[] | undefined> {
    const { resource } = await this.container.item(archiveIdOf(dealId, list, chunk), partitionKeyOf('deals-v2', { tenantId, dealId })).read<ArchiveDocument>();
    if (!resource || resource.type !== 'dealArchive' || resource.dealId !== dealId || resource.list !== list) return undefined;
    return resource.entries;
  }
}
