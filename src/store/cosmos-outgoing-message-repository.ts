import type { Container, PartitionKey, SqlParameter } from '@azure/cosmos';
import { type OutgoingMessage, type AlertMessage, dealIdOfMessage, DEFAULT_MESSAGE_RETENTION_DAYS, expiresWhenFinished, FINAL_STATES } from '../domain/outgoing-message';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { OutgoingMessageRepository, StoredOutgoingMessage } from '../ports/outgoing-message-repository.port';
import { statusOf, succeededUnless } from './cosmos-errors';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { documentIdOf, keyOfDocumentId } from './document-id';
import { partitionKeyOf, withPartitionFields } from './partition-keys';

/**
 * A delivery as stored: the delivery (an alert's with `alert`, a notice's with `payload`), a discriminator,
 * and two fields derived from it for indexed filters: `final` (its state is one of FINAL_STATES) and
 * `dealId` (its alert's or notice's deal; for a delivery about no deal, a digest or nudge card, its own document id:
 * partition-keys.ts), the second level of the container's partition key. Both are recomputed on every write, never read back. So is `ttl`
 * (seconds): set on a finished delivery (but a deal's approval-card post: expiresWhenFinished), so Cosmos DB
 * deletes it that long after this write, its last; absent on one still in progress, so a delivery sent again
 * (an approval card posted anew) loses it. The container has TTL on with no default (containers.ts).
 */
export type OutgoingMessageDocument = OutgoingMessage & { type: 'delivery'; final: boolean; dealId: string; ttl?: number };
type StoredDocument = OutgoingMessageDocument & CosmosSystemFields;

const DAY_SECONDS = 86_400;

export const toOutgoingMessageDocument = (delivery: OutgoingMessage, retentionDays = DEFAULT_MESSAGE_RETENTION_DAYS): OutgoingMessageDocument => {
  const final = FINAL_STATES.includes(delivery.state);
  const { ttl: _ttl, ...rest } = delivery as OutgoingMessage & { ttl?: number };
  return withPartitionFields('deliveries-v2', {
    ...rest,
    // `<alert id>|<base64url recipient>`, `notice|…` and `card|…` are safe ids; documentIdOf only guards odd deal and alert ids.
    id: documentIdOf(delivery.id),
    type: 'delivery' as const,
    final,
    dealId: dealIdOfMessage(delivery),
    ...(final && expiresWhenFinished(delivery) ? { ttl: retentionDays * DAY_SECONDS } : {}),
  });
};

/** A delivery's full partition key: its tenant and its deal, or for one about no deal its own document id. */
const keyOf = (tenantId: string, dealId: string | undefined, id: string) =>
  partitionKeyOf('deliveries-v2', { tenantId, dealId: dealId === undefined || dealId === '' ? documentIdOf(id) : dealId });

/** Tolerant: a document without `payload` is an alert delivery (every one written before notices existed). */
const toDelivery = (doc: StoredDocument): OutgoingMessage => {
  const { type: _type, final: _final, dealId: _dealId, ttl: _ttl, ...delivery } = withoutSystemFields(doc);
  return { ...delivery, id: keyOfDocumentId(doc.id) } as OutgoingMessage;
};

const stored = (doc: StoredDocument): StoredOutgoingMessage => {
  if (!doc._etag) throw new Error(`Cosmos returned delivery ${doc.id} without an etag`);
  return { delivery: toDelivery(doc), etag: doc._etag };
};

const topOf = (limit: number): number => Math.floor(limit);

/**
 * Outgoing messages (domain/outgoing-message.ts) in the `deliveries-v2` container. The container's name, the documents'
 * `type: 'delivery'` and their field names are the stored data's and keep the word they were written with: renaming
 * them would be a migration of every deployment's data, for a name. Partitioned by /tenantId then /dealId: a deal's deliveries are one
 * logical partition, a delivery about no deal one of its own. findClaimable and listLeasedBy are the deliberate
 * cross-partition queries (the sender's sweep and its shutdown); listForDeal stays in one logical partition and says
 * so in its WHERE too, since the embedded server ignores the partitionKey option.
 *
 * Checked on the embedded server (@vercel/cosmosdb-server 1.0.1): IS_DEFINED, NOT, a nested path on
 * an absent object (`c.lease.until` is undefined, so `NOT IS_DEFINED(c.lease) OR …` is true), string
 * `<=` on ISO-8601 times, `= false`, TOP @limit with ORDER BY across partitions, and ORDER BY on two
 * paths, which (as in Azure) needs the container's composite index (see containers.ts).
 */
export class CosmosOutgoingMessageRepository implements OutgoingMessageRepository {
  /** @param retentionDays DELIVERY_RETENTION_DAYS: how long a finished delivery is kept after its last write. */
  constructor(
    private readonly container: Container,
    private readonly retentionDays = DEFAULT_MESSAGE_RETENTION_DAYS,
  ) {}

  async createIfAbsent(delivery: OutgoingMessage): Promise<boolean> {
    return succeededUnless(409, () => this.container.items.create(toOutgoingMessageDocument(delivery, this.retentionDays)));
  }

  async get(tenantId: string, dealId: string | undefined, id: string): Promise<StoredOutgoingMessage | undefined> {
    const { resource } = await this.container.item(documentIdOf(id), keyOf(tenantId, dealId, id)).read<StoredDocument>();
    // The SDK resolves a 404 with no resource instead of throwing.
    if (!resource || resource.type !== 'delivery') return undefined;
    return stored(resource);
  }

  async findClaimable(now: string, limit: number): Promise<StoredOutgoingMessage[]> {
    const top = topOf(limit);
    if (!(top > 0)) return [];
    return this.query(
      "SELECT TOP @limit * FROM c WHERE c.type = 'delivery' AND c.final = false AND c.nextAttemptAt <= @now AND (NOT IS_DEFINED(c.lease) OR c.lease.until <= @now) ORDER BY c.nextAttemptAt",
      [
        { name: '@limit', value: top },
        { name: '@now', value: now },
      ],
    );
  }

  async replace(delivery: OutgoingMessage, etag: string): Promise<StoredOutgoingMessage> {
    try {
      const doc = toOutgoingMessageDocument(delivery, this.retentionDays);
      const { resource } = await this.container
        .item(doc.id, partitionKeyOf('deliveries-v2', doc))
        .replace<OutgoingMessageDocument>(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return stored(resource as StoredDocument);
    } catch (err) {
      if (statusOf(err) === 412) throw new ConcurrentUpdateError();
      throw err;
    }
  }

  /** Newest first; deliveries created at the same moment (one alert's fan-out) by id, descending. Alerts only. */
  async listForDeal(tenantId: string, dealId: string, limit: number): Promise<AlertMessage[]> {
    const top = topOf(limit);
    if (!(top > 0)) return [];
    const found = await this.query(
      "SELECT TOP @limit * FROM c WHERE c.tenantId = @tenantId AND c.type = 'delivery' AND c.dealId = @dealId AND IS_DEFINED(c.alert) ORDER BY c.createdAt DESC, c.id DESC",
      [
        { name: '@limit', value: top },
        { name: '@tenantId', value: tenantId },
        { name: '@dealId', value: dealId },
      ],
      keyOf(tenantId, dealId, ''),
    );
    return found.map((s) => s.delivery).filter((d): d is AlertMessage => d.alert !== undefined);
  }

  /**
   * Deliveries still in progress that carry `owner`'s lease, expired or not (final ones are left out:
   * there is nothing to release on them). Every tenant: an instance works for all of them.
   */
  async listLeasedBy(owner: string): Promise<StoredOutgoingMessage[]> {
    return this.query("SELECT * FROM c WHERE c.type = 'delivery' AND c.final = false AND c.lease.owner = @owner", [
      { name: '@owner', value: owner },
    ]);
  }

  private async query(query: string, parameters: SqlParameter[], partitionKey?: PartitionKey): Promise<StoredOutgoingMessage[]> {
    const { resources } = await this.container.items
      .query<StoredDocument>({ query, parameters }, partitionKey === undefined ? {} : { partitionKey })
      .fetchAll();
    return resources.map(stored);
  }
}
