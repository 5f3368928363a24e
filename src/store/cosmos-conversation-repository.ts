import type { Container, PatchOperation } from '@azure/cosmos';
import type { ConversationRecord, ConversationRepository } from '../ports/conversation-repository.port';
import { statusOf } from './cosmos-errors';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { partitionKeyOf } from './partition-keys';

/** A conversation's full partition key (containers.ts): its record and its greeting marker share it. */
const keyOf = (tenantId: string, conversationId: string) => partitionKeyOf('conversations-v2', { tenantId, conversationId });

/** A conversation record as stored; `conversationId` is kept verbatim, `id` is its Cosmos-safe form. */
export type ConversationDocument = ConversationRecord & { id: string; type: 'conversation' };

/**
 * Teams conversation ids contain ':' '@' ';' and sometimes '/', and Cosmos ids may not contain
 * '/ \ ? #'. base64url uses only [A-Za-z0-9_-], is reversible and avoids '%' (which some gateways
 * mis-decode); a ~300-char Teams id becomes ~400 bytes, well under the 1023-byte id limit.
 */
export const conversationDocumentId = (conversationId: string): string =>
  Buffer.from(conversationId, 'utf8').toString('base64url');

const toRecord = (doc: ConversationDocument & CosmosSystemFields): ConversationRecord => {
  const { id: _id, type: _type, ...record } = withoutSystemFields(doc);
  return record;
};

/**
 * Conversations in the `conversations-v2` container, partitioned by /tenantId then /conversationId: each conversation is
 * a logical partition of its own. Finding a person's 1:1 chat is a tenant-wide query on the prefix `[tenantId]`.
 */
export class CosmosConversationRepository implements ConversationRepository {
  constructor(private readonly container: Container) {}

  /**
   * Stores the record as given, replacing what was there (upsert: last write wins; a reference is
   * refreshed on every install/message, there is nothing to merge). A record saved without `blocked`
   * therefore clears a stored `blocked: true` and an `installed: true` one clears `installed: false`:
   * that is how "a later install clears both" happens.
   */
  async save(record: ConversationRecord): Promise<void> {
    const doc: ConversationDocument = { ...record, id: conversationDocumentId(record.conversationId), type: 'conversation' };
    await this.container.items.upsert(doc);
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined> {
    const { resource } = await this.container
      .item(conversationDocumentId(conversationId), keyOf(tenantId, conversationId))
      .read<ConversationDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'conversation') return undefined;
    return toRecord(resource);
  }

  /**
   * A person normally has one 1:1 chat with DealDesk, but a reinstall can leave an older one behind:
   * all of theirs are read (a handful at most, one query within the tenant) and an installed one is
   * preferred, then the most recently updated. Sorting in code avoids a two-path ORDER BY, which
   * would need a composite index on the container.
   */
  async findPersonalChat(tenantId: string, personId: string): Promise<ConversationRecord | undefined> {
    const query =
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'conversation' AND c.conversationType = 'personal' AND c.userId = @personId";
    const { resources } = await this.container.items
      .query<ConversationDocument & CosmosSystemFields>(
        {
          query,
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@personId', value: personId },
          ],
        },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    const records = resources.map(toRecord);
    records.sort(
      (a, b) =>
        Number(b.installed === true) - Number(a.installed === true) ||
        compareText(b.updatedAt, a.updatedAt) ||
        compareText(a.conversationId, b.conversationId),
    );
    return records[0];
  }

  /**
   * One patch of the stored record: atomic on its own, so it needs no read and cannot overwrite a
   * reference saved at the same moment. An unknown conversation is a no-op (404), as is an empty status.
   * `updatedAt` is left alone: it says when the reference was last refreshed.
   */
  async setStatus(tenantId: string, conversationId: string, status: { installed?: boolean; blocked?: boolean }): Promise<void> {
    const operations: PatchOperation[] = [];
    if (typeof status.installed === 'boolean') operations.push({ op: 'set', path: '/installed', value: status.installed });
    if (typeof status.blocked === 'boolean') operations.push({ op: 'set', path: '/blocked', value: status.blocked });
    if (operations.length === 0) return;
    try {
      await this.container.item(conversationDocumentId(conversationId), keyOf(tenantId, conversationId)).patch(operations);
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw err;
    }
  }

  /**
   * A marker document whose create succeeds once: the 409 of every later create means "already greeted". It carries
   * `conversationId`, so it lives in its conversation's logical partition.
   */
  async claimGreeting(tenantId: string, conversationId: string): Promise<boolean> {
    try {
      await this.container.items.create({ id: `greeting.${conversationDocumentId(conversationId)}`, tenantId, conversationId, type: 'greeting' });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 409) return false;
      throw e;
    }
  }
}

const compareText = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
