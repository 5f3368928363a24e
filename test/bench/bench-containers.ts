import { CONTAINERS, type ContainerDefinition } from '../../src/store/containers';

/**
 * The benchmark's view of CONTAINERS: which container holds deals (its id may carry a layout version, `deals-v2`),
 * and a container's partition key paths whether the definition gives one path or a hierarchy of them.
 */
export const KINDS = ['deals', 'conversations', 'people', 'follows', 'settings', 'deliveries', 'jobs'] as const;
export type Kind = (typeof KINDS)[number];

const all = CONTAINERS as readonly ContainerDefinition[];

/** The container of one kind of document: `deals` finds `deals` or `deals-v2`. */
export function containerOf(kind: Kind): ContainerDefinition {
  const found = all.find((c) => c.id === kind) ?? all.find((c) => c.id.replace(/-v\d+$/, '') === kind);
  if (!found) throw new Error(`no container for ${kind} in CONTAINERS (${all.map((c) => c.id).join(', ')})`);
  return found;
}

/** `/tenantId` or `['/tenantId', '/dealId']` as a list of paths, first level first. */
export const keyPathsOf = (definition: ContainerDefinition): string[] => {
  const key = definition.partitionKey as string | readonly string[];
  return typeof key === 'string' ? [key] : [...key];
};

export const allContainers = (): readonly ContainerDefinition[] => all;
