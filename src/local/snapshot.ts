import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Database } from '@azure/cosmos';
import { CONTAINERS, type ContainerId } from '../store/containers';
import { withoutSystemFields } from '../store/deal-document';

/**
 * Local mode runs on the memory-only embedded server: these keep its data in a JSON file across restarts.
 * Full scans (`SELECT * FROM c` across partitions) are fine here; never use this against Azure.
 */
const SNAPSHOT_VERSION = 1;

type StoredItem = Record<string, unknown> & { id: string };
interface SnapshotFile {
  version: typeof SNAPSHOT_VERSION;
  exportedAt: string;
  containers: Partial<Record<ContainerId, StoredItem[]>>;
}

export type ContainerCounts = Record<ContainerId, number>;

export type ImportResult =
  | { status: 'missing'; counts: ContainerCounts }
  | { status: 'imported'; counts: ContainerCounts }
  | { status: 'corrupt'; counts: ContainerCounts; reason: string; movedTo: string };

const zeroCounts = (): ContainerCounts =>
  Object.fromEntries(CONTAINERS.map(({ id }) => [id, 0])) as ContainerCounts;

/** Writes every item of every container (system fields removed) to `file`, atomically (tmp + rename). */
export async function exportSnapshot(database: Database, file: string): Promise<ContainerCounts> {
  const snapshot: SnapshotFile = { version: SNAPSHOT_VERSION, exportedAt: new Date().toISOString(), containers: {} };
  const counts = zeroCounts();
  for (const { id } of CONTAINERS) {
    const { resources } = await database.container(id).items.query<StoredItem>('SELECT * FROM c').fetchAll();
    snapshot.containers[id] = resources.map((item) => withoutSystemFields(item));
    counts[id] = resources.length;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.sync(); // the rename must never expose a half-written file after a crash
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  return counts;
}

/**
 * Upserts the items in `file` into the (already ensured) containers. A missing file is a first start;
 * an unreadable one is moved aside to `<file>.corrupt-<timestamp>` so start-up goes on with an empty store.
 */
export async function importSnapshot(database: Database, file: string): Promise<ImportResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', counts: zeroCounts() };
    throw err;
  }
  let snapshot: SnapshotFile;
  try {
    snapshot = parseSnapshot(text);
  } catch (err) {
    const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(file, movedTo);
    return { status: 'corrupt', counts: zeroCounts(), reason: (err as Error).message, movedTo };
  }
  const counts = zeroCounts();
  for (const { id } of CONTAINERS) {
    const items = snapshot.containers[id] ?? [];
    const container = database.container(id);
    // Small parallel batches: much faster than one by one, without flooding the embedded server.
    for (let i = 0; i < items.length; i += 25) {
      await Promise.all(items.slice(i, i + 25).map((item) => container.items.upsert(item)));
    }
    counts[id] = items.length;
  }
  return { status: 'imported', counts };
}

function parseSnapshot(text: string): SnapshotFile {
  const data: unknown = JSON.parse(text);
  if (!isObject(data) || data.version !== SNAPSHOT_VERSION || !isObject(data.containers)) {
    throw new Error(`not a version ${SNAPSHOT_VERSION} snapshot`);
  }
  for (const [name, items] of Object.entries(data.containers)) {
    if (!Array.isArray(items) || !items.every((item) => isObject(item) && typeof item.id === 'string')) {
      throw new Error(`container "${name}" is not a list of items with ids`);
    }
  }
  return data as unknown as SnapshotFile;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
