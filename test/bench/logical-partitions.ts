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
  /** JSON bytes (UTF-8) of every document as the store holds it (its system fields included). */
  bytes: number;
  /** Distinct full key values. */
  partitions: number;
  largest?: { key: string; bytes: number; documents: number };
  /** With a hierarchical key: the largest first-level value (a tenant), what a key of that path alone would make one partition. */
  largestPrefix?: { key: string; bytes: number; documents: number };
  /** Reading the container through the SDK and tallying it. */
  ms: number;
}

/** Tallies documents by partition key: feed it every document, then read `result()`. */
export class PartitionTally {
  private readonly sizes = new Map<string, { bytes: number; documents: number }>();
  private readonly prefixes = new Map<string, { bytes: number; documents: number }>();
  private documents = 0;
  private bytes = 0;

  constructor(private readonly paths: readonly string[]) {}

  /** One document: its key values (first level first; a missing one is null) and its JSON size in bytes. */
  add(keyValues: readonly unknown[], bytes: number): void {
    const values = keyValues.map((v) => v ?? null);
    count(this.sizes, JSON.stringify(values), bytes);
    if (values.length > 1) count(this.prefixes, JSON.stringify(values.slice(0, 1)), bytes);
    this.documents += 1;
    this.bytes += bytes;
  }

  result(): Omit<PartitionSizes, 'container' | 'ms'> {
    const largestPrefix = largestOf(this.prefixes);
    return { paths: [...this.paths], documents: this.documents, bytes: this.bytes, partitions: this.sizes.size, largest: largestOf(this.sizes), ...(largestPrefix ? { largestPrefix } : {}) };
  }
}

function count(sizes: Map<string, { bytes: number; documents: number }>, key: string, bytes: number): void {
  const size = sizes.get(key) ?? { bytes: 0, documents: 0 };
  size.bytes += bytes;
  size.documents += 1;
  sizes.set(key, size);
}

function largestOf(sizes: Map<string, { bytes: number; documents: number }>): PartitionSizes['largest'] {
  let largest: PartitionSizes['largest'];
  for (const [key, size] of sizes) if (!largest || size.bytes > largest.bytes) largest = { key, ...size };
  return largest;
}

/**
 * A document's JSON size in UTF-8 bytes, computed where the document is: a user-defined function (Cosmos runs UDFs
 * in JavaScript, and so does the embedded server), so only key values and sizes cross the wire.
 */
const JSON_BYTES_UDF = {
  id: 'benchJsonBytes',
  body: `function benchJsonBytes(doc) {
    var s = JSON.stringify(doc), n = 0;
    for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3; }
    return n;
  }`,
};

/** `/owner/id` as `c["owner"]["id"]`: a key path as a Cosmos SQL property path. */
const sqlPath = (path: string) => `c${path.split('/').slice(1).map((name) => `[${JSON.stringify(name)}]`).join('')}`;

/**
 * Every container of CONTAINERS in `database`, grouped by the container's partition key paths: one query per
 * container that returns each document's key values and JSON size (not the document), in large pages (the embedded
 * server sorts the whole container again for every page it answers).
 */
export async function logicalPartitions(database: Database, containers: readonly ContainerDefinition[] = allContainers()): Promise<PartitionSizes[]> {
  const out: PartitionSizes[] = [];
  for (const definition of containers) {
    const started = performance.now();
    const paths = keyPathsOf(definition);
    const tally = new PartitionTally(paths);
    const container = database.container(definition.id);
    await container.scripts.userDefinedFunctions.create(JSON_BYTES_UDF).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err; // defined by an earlier read of this container
    });
    const query = `SELECT VALUE [${paths.map(sqlPath).join(', ')}, udf.${JSON_BYTES_UDF.id}(c)] FROM c`;
    const pages = container.items.query<unknown[]>(query, { maxItemCount: 100_000 }).getAsyncIterator();
    for await (const page of pages) for (const row of page.resources) tally.add(row.slice(0, paths.length), Number(row[paths.length]));
    out.push({ container: definition.id, ...tally.result(), ms: performance.now() - started });
  }
  return out;
}
