/**
 * The one definition of the database's containers. Data only: infra (Bicep) is generated from it,
 * and the store, the local snapshot and the tests all iterate it.
 */
export const CONTAINERS = [
  { id: 'deals', partitionKey: '/tenantId' },
  { id: 'conversations', partitionKey: '/tenantId' },
] as const;

export type ContainerId = (typeof CONTAINERS)[number]['id'];
