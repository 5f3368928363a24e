import { CONTAINERS, type ContainerDefinition, type ContainerId } from './containers';
import { keyOfDocumentId } from './document-id';

/**
 * A document's partition key, and the fields a document needs for it. Pure: no @azure/cosmos here, so the store,
 * local mode and the migration (which upgrades documents of LEGACY_CONTAINERS with withPartitionFields) share it.
 */

type Doc = Record<string, unknown>;

export const definitionOf = (id: ContainerId): ContainerDefinition => {
  const found = (CONTAINERS as readonly ContainerDefinition[]).find((c) => c.id === id);
  if (!found) throw new Error(`no container ${id} in CONTAINERS`);
  return found;
};

/** A document that cannot be placed: a key value is missing or empty. A bug in the caller, never the user's doing. */
export class PartitionKeyError extends Error {
  constructor(containerId: ContainerId, doc: Doc, path: string) {
    const paths = definitionOf(containerId).partitionKey.join(', ');
    super(`${containerId}: document ${JSON.stringify(doc.id ?? null)} has no ${path} (the container's partition key is ${paths})`);
    this.name = 'PartitionKeyError';
  }
}

const valueAt = (doc: Doc, path: string): unknown =>
  path
    .split('/')
    .slice(1)
    .reduce<unknown>((value, name) => (value !== null && typeof value === 'object' ? (value as Doc)[name] : undefined), doc);

/** The values at the container's partition key paths, in order (full key). Throws PartitionKeyError for a missing or empty one. */
export function partitionKeyOf(containerId: ContainerId, doc: object): string[] {
  return definitionOf(containerId).partitionKey.map((path) => {
    const value = valueAt(doc as Doc, path);
    if (typeof value !== 'string' || value === '') throw new PartitionKeyError(containerId, doc as Doc, path);
    return value;
  });
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The deal a delivery document is about (its alert's or payload's), or, for one about no deal (a digest or nudge card),
 * its own document id: such a delivery is its own logical partition, so no tenant-wide partition of deal-less
 * deliveries grows with every week's digests, and its id, which the caller always knows (`digest|<person>|<week>`),
 * is a point read's key (cosmos-outgoing-message-repository.ts).
 */
export const deliveryPartitionOf = (doc: Doc): string | undefined =>
  text(doc.dealId) ?? text((doc.payload as Doc | undefined)?.dealId) ?? text((doc.alert as Doc | undefined)?.dealId) ?? text(doc.id);

/** A greeting marker's id is `greeting.<conversation document id>` (cosmos-conversation-repository.ts). */
const GREETING_PREFIX = 'greeting.';
const conversationOfGreeting = (id: unknown): string | undefined =>
  typeof id === 'string' && id.startsWith(GREETING_PREFIX) ? text(Buffer.from(id.slice(GREETING_PREFIX.length), 'base64url').toString('utf8')) : undefined;

/** The derived second-level field each container's documents need, from what the document holds anyway. */
const DERIVED: Partial<Record<ContainerId, (doc: Doc) => Doc>> = {
  // A deal's own id; archive documents already carry the deal they belong to.
  'deals-v2': (doc) => ({ dealId: text(doc.dealId) ?? (doc.type === 'deal' ? text(doc.id) : undefined) }),
  'deliveries-v2': (doc) => ({ dealId: deliveryPartitionOf(doc) }),
  // A person's raw AAD object id (the document id may be its Cosmos-safe form); mutes and quotas carry personId.
  'people-v2': (doc) => ({ personId: text(doc.personId) ?? (doc.type === 'person' && typeof doc.id === 'string' ? text(keyOfDocumentId(doc.id)) : undefined) }),
  'conversations-v2': (doc) => ({ conversationId: text(doc.conversationId) ?? (doc.type === 'greeting' ? conversationOfGreeting(doc.id) : undefined) }),
};

/**
 * The document with any derived partition field stamped (`dealId` on a deal, `personId` on a person, `conversationId`
 * on a greeting marker, `dealId` on a delivery about no deal). Every such field can be derived from a document
 * written before hierarchical keys, so the migration upgrades old documents with this. A field that cannot be
 * derived is left absent; partitionKeyOf then says which.
 */
export function withPartitionFields<T extends Doc>(containerId: ContainerId, doc: T): T {
  const derive = DERIVED[containerId];
  if (!derive) return doc;
  const fields = Object.entries(derive(doc)).filter(([, value]) => value !== undefined);
  return fields.length === 0 ? doc : { ...doc, ...Object.fromEntries(fields) };
}
