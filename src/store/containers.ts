/** A composite index: Azure (and the embedded server) serve an ORDER BY on two or more paths only from one. */
export type CompositeIndex = ReadonlyArray<{ readonly path: string; readonly order: 'ascending' | 'descending' }>;

export interface ContainerDefinition {
  readonly id: string;
  readonly partitionKey: string;
  /** Added to the default indexing policy (every path range-indexed). */
  readonly compositeIndexes?: readonly CompositeIndex[];
}

/**
 * The one definition of the database's containers. Data only: infra (Bicep) is generated from it,
 * and the store, the local snapshot and the tests all iterate it.
 */
export const CONTAINERS = [
  { id: 'deals', partitionKey: '/tenantId' },
  { id: 'conversations', partitionKey: '/tenantId' },
  { id: 'people', partitionKey: '/tenantId' },
  { id: 'follows', partitionKey: '/tenantId' },
  { id: 'settings', partitionKey: '/tenantId' },
  {
    id: 'deliveries',
    partitionKey: '/tenantId',
    // listForDeal: ORDER BY c.createdAt DESC, c.id DESC.
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' },
        { path: '/id', order: 'descending' },
      ],
    ],
  },
] as const satisfies readonly ContainerDefinition[];

export type ContainerId = (typeof CONTAINERS)[number]['id'];
