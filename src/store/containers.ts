/** A composite index: Azure (and the embedded server) serve an ORDER BY on two or more paths only from one. */
export type CompositeIndex = ReadonlyArray<{ readonly path: string; readonly order: 'ascending' | 'descending' }>;

export interface ContainerDefinition {
  readonly id: string;
  /**
   * The partition key's paths, first level first. One path: a plain hash key. Two: a hierarchical key (Azure's
   * `kind: 'MultiHash', version: 2`); the first level is always `/tenantId`, so a tenant-wide query names the
   * prefix `[tenantId]` and a document's own operations name the full key (partition-keys.ts).
   */
  readonly partitionKey: readonly string[];
  /** Added to the default indexing policy (every path range-indexed). */
  readonly compositeIndexes?: readonly CompositeIndex[];
  /**
   * Paths left out of the index in Azure (e.g. `/history/*`): only fields no query in src/store names
   * (test/infra checks every query). Saves RUs on every write. Infra applies it; the store does not.
   */
  readonly excludedPaths?: readonly string[];
  /** Container TTL in seconds as Cosmos takes it: -1 turns TTL on with no default expiry (an item's own `ttl` applies). */
  readonly defaultTtl?: number;
}

/**
 * The one definition of the database's containers. Data only: infra (Bicep) is generated from it,
 * and the store, the local snapshot and the tests all iterate it.
 *
 * An installation serves one tenant, so a key of `/tenantId` alone would make each container ONE logical
 * partition, capped by Azure at 20 GB and 10,000 RU/s. Every container that grows with use therefore has a second
 * level that spreads it (docs/data-limits.md, "Partition keys"). Cosmos cannot change a container's key: a container
 * whose key changed got a new id (`-v2`), and its data moves there (LEGACY_CONTAINERS, the migration).
 */
export const CONTAINERS = [
  {
    // A deal and its archive documents (cosmos-deal-archive.ts, which carry `dealId`) share one logical partition;
    // the deal document carries `dealId` (= its id) for that (partition-keys.ts stamps it).
    id: 'deals-v2',
    partitionKey: ['/tenantId', '/dealId'],
    // Rewritten on every change and growing with it; read whole, never filtered or sorted on. (The sweeps
    // filter on the derived scalars dispatchDueAt and timerDueAt and on crmDueAt, never inside outbox, notices,
    // delivery or crmOutbox; the compose-box search filters on team membership and ARRAY_CONTAINS on the deal's search keys, so /team and
    // /searchKeys stay indexed.) The container also holds each deal's archive documents (type 'dealArchive': older
    // history and audit entries, point reads only, in the deal's partition; every query filters c.type = 'deal'):
    // their /entries are never queried either.
    excludedPaths: ['/history/*', '/alertLog/*', '/appliedEvents/*', '/approvalTrail/*', '/approval/*', '/outbox/*', '/notices/*', '/mutedBy/*', '/evidence/*', '/delivery/*', '/csat/*', '/nudge/*', '/entries/*', '/crmOutbox/*', '/crmLog/*'],
    // listByOwner (`my deals`): WHERE c.owner.id = @ownerId … ORDER BY c.number, served from one composite
    // index, so its cost follows the owner's deals, not the container's.
    compositeIndexes: [
      [
        { path: '/owner/id', order: 'ascending' },
        { path: '/number', order: 'ascending' },
      ],
    ],
  },
  // The proactive reference is opaque: only conversationType and userId are queried. A conversation's record and its
  // greeting marker (both carry `conversationId`) share one logical partition.
  { id: 'conversations-v2', partitionKey: ['/tenantId', '/conversationId'], excludedPaths: ['/reference/*'] },
  // A person's record (which carries `personId`, its raw AAD object id), mute choices and quotas share one logical partition.
  { id: 'people-v2', partitionKey: ['/tenantId', '/personId'] },
  // A conversation's follows share one logical partition (`follows` in a chat is one single-partition query).
  { id: 'follows-v2', partitionKey: ['/tenantId', '/conversationId'] },
  // Point reads only. Keyed by /tenantId alone, deliberately: it holds a few small documents per tenant (the approval
  // policy, the approvals channel, the send budget's membership: one entry per live instance) and the layout
  // migration's marker, none of which grows with use, so one logical partition per tenant is no limit. Their lists
  // (policy levels, budget members, the marker's per-container progress) are never queried.
  { id: 'settings', partitionKey: ['/tenantId'], excludedPaths: ['/policy/*', '/members/*', '/containers/*'] },
  {
    // A deal's alert, notice and approval-card deliveries share the deal's logical partition. A delivery about no deal
    // (a digest or nudge card) is its own logical partition: its `dealId` is its document id (partition-keys.ts), so
    // no tenant-wide '' partition grows with every week's digests.
    id: 'deliveries-v2',
    partitionKey: ['/tenantId', '/dealId'],
    // The frozen card content and send bookkeeping are read back, never queried.
    excludedPaths: ['/alert/changes/*', '/alert/actors/*', '/payload/*', '/recipient/*', '/lastError/*'],
    // TTL on, nothing expiring by default: the approval card's post (`card|<deal>`) must live as long as its
    // deal, but a finished alert delivery may be given its own `ttl`.
    defaultTtl: -1,
    // listForDeal: ORDER BY c.createdAt DESC, c.id DESC.
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' },
        { path: '/id', order: 'descending' },
      ],
    ],
  },
  // Scheduled jobs (digests, nudges): one per kind and person, rescheduled in place. Also holds nothing else. Always
  // read by id (`<kind>|<person>`), otherwise only swept across partitions: each job is its own logical partition.
  { id: 'jobs-v2', partitionKey: ['/tenantId', '/id'] },
] as const satisfies readonly ContainerDefinition[];

export type ContainerId = (typeof CONTAINERS)[number]['id'];

/**
 * The containers exactly as they were before hierarchical keys: every one partitioned on `/tenantId` alone. For the
 * migration only, which reads them and writes CONTAINERS; the store never opens them, and infra no longer declares them.
 */
export const LEGACY_CONTAINERS = [
  {
    id: 'deals',
    partitionKey: ['/tenantId'],
    // Rewritten on every change and growing with it; read whole, never filtered or sorted on. (The sweeps
    // filter on the derived scalars dispatchDueAt and timerDueAt, never inside outbox, notices or delivery; the
    // compose-box search filters on team membership, so /team stays indexed.) The container also holds each deal's
    // archive documents (type 'dealArchive': older history and audit entries, point reads only, in the deal's
    // partition; every query filters c.type = 'deal'): their /entries are never queried either.
    excludedPaths: ['/history/*', '/alertLog/*', '/appliedEvents/*', '/approvalTrail/*', '/approval/*', '/outbox/*', '/notices/*', '/mutedBy/*', '/evidence/*', '/delivery/*', '/csat/*', '/nudge/*', '/entries/*'],
    // listByOwner (`my deals`): WHERE c.owner.id = @ownerId … ORDER BY c.number, served from one composite
    // index, so its cost follows the owner's deals, not the container's.
    compositeIndexes: [
      [
        { path: '/owner/id', order: 'ascending' },
        { path: '/number', order: 'ascending' },
      ],
    ],
  },
  // The proactive reference is opaque: only conversationType and userId are queried.
  { id: 'conversations', partitionKey: ['/tenantId'], excludedPaths: ['/reference/*'] },
  { id: 'people', partitionKey: ['/tenantId'] },
  { id: 'follows', partitionKey: ['/tenantId'] },
  // Point reads only.
  { id: 'settings', partitionKey: ['/tenantId'], excludedPaths: ['/policy/*'] },
  {
    id: 'deliveries',
    partitionKey: ['/tenantId'],
    // The frozen card content and send bookkeeping are read back, never queried.
    excludedPaths: ['/alert/changes/*', '/alert/actors/*', '/payload/*', '/recipient/*', '/lastError/*'],
    // TTL on, nothing expiring by default: the approval card's post (`card|<deal>`) must live as long as its
    // deal, but a finished alert delivery may be given its own `ttl`.
    defaultTtl: -1,
    // listForDeal: ORDER BY c.createdAt DESC, c.id DESC.
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' },
        { path: '/id', order: 'descending' },
      ],
    ],
  },
  // Scheduled jobs (digests, nudges): one per kind and person, rescheduled in place. Also holds nothing else.
  { id: 'jobs', partitionKey: ['/tenantId'] },
] as const satisfies readonly ContainerDefinition[];

export type LegacyContainerId = (typeof LEGACY_CONTAINERS)[number]['id'];

/** Which container of CONTAINERS holds what a legacy container held. */
export const SUCCESSOR_OF: Readonly<Record<LegacyContainerId, ContainerId>> = {
  deals: 'deals-v2',
  conversations: 'conversations-v2',
  people: 'people-v2',
  follows: 'follows-v2',
  settings: 'settings',
  deliveries: 'deliveries-v2',
  jobs: 'jobs-v2',
};
