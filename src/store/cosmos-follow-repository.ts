import { createHash } from 'node:crypto';
import type { Container, PartitionKey } from '@azure/cosmos';
import type { Follow, FollowRepository, FollowTarget } from '../ports/follow-repository.port';
import { statusOf, succeededUnless } from './cosmos-errors';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { partitionKeyOf } from './partition-keys';

/** A conversation's follows share its full partition key (containers.ts). */
const keyOf = (tenantId: string, conversationId: string) => partitionKeyOf('follows-v2', { tenantId, conversationId });

/**
 * A follow as stored. An account is matched case-insensitively, so `target.account` holds its matching
 * form (see accountKey) and `accountLabel` the spelling the follower used, which reads give back.
 */
export type FollowDocument = Follow & { id: string; type: 'follow'; accountLabel?: string };
type StoredFollow = FollowDocument & CosmosSystemFields;

/** How accounts are compared: Unicode NFC, trimmed, inner whitespace runs as one space, lower case. */
export const accountKey = (account: string): string => account.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

const storedTarget = (target: FollowTarget): FollowTarget =>
  target.kind === 'deal' ? { kind: 'deal', dealId: target.dealId } : { kind: 'account', account: accountKey(target.account) };

/**
 * One document per (conversation, target), so following is a create that fails with 409 the second
 * time and unfollowing a delete that fails with 404 when there is nothing to delete. The id is a hash
 * of the pair: fixed length and free of the characters Cosmos ids may not contain, however long the
 * Teams conversation id or the account name.
 */
export const followDocumentId = (conversationId: string, target: FollowTarget): string => {
  const { kind } = target;
  const key = target.kind === 'deal' ? target.dealId : accountKey(target.account);
  return `follow.${kind}.${createHash('sha256').update(JSON.stringify([conversationId, kind, key])).digest('base64url')}`;
};

const toFollow = (doc: StoredFollow): Follow => {
  const { tenantId, conversationId, target, createdAt, accountLabel, followedBy } = withoutSystemFields(doc);
  return {
    tenantId,
    conversationId,
    target: target.kind === 'account' && accountLabel ? { kind: 'account', account: accountLabel } : target,
    createdAt,
    ...(followedBy ? { followedBy: { id: followedBy.id, name: followedBy.name } } : {}),
  };
};

/**
 * Follows in the `follows-v2` container, partitioned by /tenantId then /conversationId: a conversation's follows are
 * one logical partition, so `follows` in a chat is a single-partition query; the followers of a deal or account are
 * a tenant-wide query on the prefix `[tenantId]`. Every query names the tenant in its WHERE.
 */
export class CosmosFollowRepository implements FollowRepository {
  constructor(private readonly container: Container) {}

  async follow(follow: Follow): Promise<boolean> {
    const doc: FollowDocument = {
      id: followDocumentId(follow.conversationId, follow.target),
      type: 'follow',
      tenantId: follow.tenantId,
      conversationId: follow.conversationId,
      target: storedTarget(follow.target),
      ...(follow.target.kind === 'account' ? { accountLabel: follow.target.account.trim() } : {}),
      createdAt: follow.createdAt,
      ...(follow.followedBy ? { followedBy: { id: follow.followedBy.id, name: follow.followedBy.name } } : {}),
    };
    if (await succeededUnless(409, () => this.container.items.create(doc))) return true;
    return follow.followedBy ? this.recordFollower(doc) : false;
  }

  /**
   * A follow made before follows recorded their follower delivers nothing; following it again records the
   * follower, by one conditional write (IfMatch: of two at once, one records, the other finds it recorded).
   */
  private async recordFollower(doc: FollowDocument): Promise<boolean> {
    const key = keyOf(doc.tenantId, doc.conversationId);
    const { resource } = await this.container.item(doc.id, key).read<StoredFollow>();
    // Unfollowed in between: follow afresh.
    if (!resource) return succeededUnless(409, () => this.container.items.create(doc));
    if (resource.followedBy || !resource._etag) return false;
    try {
      const recorded: FollowDocument = { ...withoutSystemFields(resource), followedBy: doc.followedBy };
      await this.container.item(doc.id, key).replace(recorded, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
      return true;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw err;
    }
  }

  async unfollow(tenantId: string, conversationId: string, target: FollowTarget): Promise<boolean> {
    return succeededUnless(404, () => this.container.item(followDocumentId(conversationId, target), keyOf(tenantId, conversationId)).delete());
  }

  async listByConversation(tenantId: string, conversationId: string): Promise<Follow[]> {
    return this.query(tenantId, 'c.conversationId = @conversationId', [{ name: '@conversationId', value: conversationId }], keyOf(tenantId, conversationId));
  }

  /** Follows of the deal and of its account, in one query (a conversation following both appears twice). */
  async followersOf(tenantId: string, dealId: string, account: string): Promise<Follow[]> {
    return this.query(tenantId, "((c.target.kind = 'deal' AND c.target.dealId = @dealId) OR (c.target.kind = 'account' AND c.target.account = @account))", [
      { name: '@dealId', value: dealId },
      { name: '@account', value: accountKey(account) },
    ]);
  }

  /** Within the tenant (prefix key), or within one conversation's logical partition when `partitionKey` is its full key. */
  private async query(tenantId: string, where: string, parameters: Array<{ name: string; value: string }>, partitionKey: PartitionKey = [tenantId]): Promise<Follow[]> {
    const query = `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'follow' AND ${where} ORDER BY c.createdAt`;
    const { resources } = await this.container.items
      .query<StoredFollow>({ query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] }, { partitionKey })
      .fetchAll();
    return resources.map(toFollow);
  }
}
