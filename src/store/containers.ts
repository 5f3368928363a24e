/** A composite index: Azure (and the embedded server) serve an ORDER BY on two or more paths only from one. */
export type CompositeIndex = ReadonlyArray<{ readonly path: string; readonly order: 'ascending' | 'descending' }>;

export interface ContainerDefinition {
  readonly id: string;
  readonly partitionKey: string;
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
 */
export const CONTAINERS = [
  {
    id: 'deals',
    partitionKey: '/tenantId',
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
  { id: 'conversations', partitionKey: '/tenantId', excludedPaths: ['/reference/*'] },
  { id: 'people', partitionKey: '/tenantId' },
  { id: 'follows', partitionKey: '/tenantId' },
  // Point reads only.
  { id: 'settings', partitionKey: '/tenantId', excludedPaths: ['/policy/*'] },
  {
    id: 'deliveries',
    partitionKey: '/tenantId',
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
  { id: 'jobs', partitionKey: '/tenantId' },
] as const satisfies readonly ContainerDefinition[];

export type ContainerId = (typeof CONTAINERS)[number]['id'];
