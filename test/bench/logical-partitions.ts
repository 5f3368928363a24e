import { performance } from 'node:perf_hooks';
import type { Database } from '@azure/cosmos';
import type { ContainerDefinition } from '../../src/store/containers';
import { allContainers, keyPathsOf } from './bench-containers';

/** One container's documents grouped by their full partition key value (every level of it). */
export interface PartitionSizes {
  container: string;
  /** The key's paths, first level first. */
  paths: string[];
  documents: number;
  /** JSON bytes of every document as the store returns it (Cosmos system fields included). */
  bytes: number;
  /** Distinct full key values. */
  partitions: number;
  largest?: { key: string; bytes: number; documents: number };
  /** Reading the container through the SDK and tallying it. */
  ms: number;
}

const valueAt = (doc: Record<string, unknown>, path: string): unknown =>
  path
    .split('/')
    .slice(1)
    .reduce<unknown>((value, name) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined), doc);

/** Tallies documents by partition key: feed it every document, then read `result()`. */
export class PartitionTally {
  private readonly sizes = new Map<string, { bytes: number; documents: number }>();
  private documents = 0;
  private bytes = 0;

  constructor(private readonly paths: readonly string[]) {}

  /** A missing key value counts as Cosmos stores it: the `undefined` (none) partition. */
  add(doc: Record<string, unknown>): void {
    const key = JSON.stringify(this.paths.map((path) => valueAt(doc, path) ?? null));
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    const size = this.sizes.get(key) ?? { bytes: 0, documents: 0 };
    size.bytes += bytes;
    size.documents += 1;
    this.sizes.set(key, size);
    this.documents += 1;
    this.bytes += bytes;
  }

  result(): Omit<PartitionSizes, 'container' | 'ms'> {
    let largest: PartitionSizes['largest'];
    for (const [key, size] of this.sizes) if (!largest || size.bytes > largest.bytes) largest = { key, ...size };
    return { paths: [...this.paths], documents: this.documents, bytes: this.bytes, partitions: this.sizes.size, largest };
  }
}

/**
 * Every container of CONTAINERS in `database`, read through the SDK page by page (as one would read an Azure
 * container; nothing held beyond one page) and grouped by the container's partition key paths.
 */
export async function logicalPartitions(database: Database, containers: readonly ContainerDefinition[] = allContainers()): Promise<PartitionSizes[]> {
  const out: PartitionSizes[] = [];
  for (const definition of containers) {
    const started = performance.now();
    const tally = new PartitionTally(keyPathsOf(definition));
    const pages = database.container(definition.id).items.readAll<Record<string, unknown>>({ maxItemCount: 10_000 }).getAsyncIterator();
    for await (const page of pages) for (const doc of page.resources) tally.add(doc);
    out.push({ container: definition.id, ...tally.result(), ms: performance.now() - started });
  }
  return out;
}
