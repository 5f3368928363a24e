import type { Container } from '@azure/cosmos';
import type { ConversationRecord, ConversationRepository } from '../ports/conversation-repository.port';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';

/** A conversation record as stored; `conversationId` is kept verbatim, `id` is its Cosmos-safe form. */
export type ConversationDocument = ConversationRecord & { id: string; type: 'conversation' };

/**
 * Teams conversation ids contain ':' '@' ';' and sometimes '/', and Cosmos ids may not contain
 * '/ \ ? #'. base64url uses only [A-Za-z0-9_-], is reversible and avoids '%' (which some gateways
 * mis-decode); a ~300-char Teams id becomes ~400 bytes, well under the 1023-byte id limit.
 */
export const conversationDocumentId = (conversationId: string): string =>
  Buffer.from(conversationId, 'utf8').toString('base64url');

export class CosmosConversationRepository implements ConversationRepository {
  constructor(private readonly container: Container) {}

  async save(record: ConversationRecord): Promise<void> {
    const doc: ConversationDocument = { ...record, id: conversationDocumentId(record.conversationId), type: 'conversation' };
    // Last write wins: a reference is refreshed on every install/message, there is nothing to merge.
    await this.container.items.upsert(doc);
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined> {
    const { resource } = await this.container
      .item(conversationDocumentId(conversationId), tenantId)
      .read<ConversationDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'conversation') return undefined;
    const { id: _id, type: _type, ...record } = withoutSystemFields(resource);
    return record;
  }

  /** A marker document whose create succeeds once: the 409 of every later create means "already greeted". */
  async claimGreeting(tenantId: string, conversationId: string): Promise<boolean> {
    try {
      await this.container.items.create({ id: `greeting.${conversationDocumentId(conversationId)}`, tenantId, type: 'greeting' });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 409) return false;
      throw e;
    }
  }
}
