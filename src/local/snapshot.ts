import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Database } from '@azure/cosmos';
import { CONTAINERS, type ContainerId } from '../store/containers';
import { containersIn, ensureLegacyContainers, STORED_CONTAINERS } from './legacy-containers';
import { restorable } from './item-clock';
import { LocalDataError } from './local-data-error';
import { syncDirectory } from './sync-directory';

/**
 * Local mode runs on the memory-only embedded server: the snapshot keeps its data in a JSON file across restarts,
 * together with the journal (journal-file.ts) of every write since. Full scans (`SELECT * FROM c` across
 * partitions) are fine here; never use this against Azure.
 */
const SNAPSHOT_VERSION = 1;

type StoredItem = Record<string, unknown> & { id: string };
interface SnapshotFile {
  version: typeof SNAPSHOT_VERSION;
  exportedAt: string;
  /** The last journal file folded into this snapshot: start-up replays the later ones (absent: none). */
  journal?: number;
  /** Today's containers, and legacy ones (legacy-containers.ts) while the database still has them. */
  containers: Partial<Record<string, StoredItem[]>>;
}

export type Snapshot = Pick<SnapshotFile, 'containers'> & { journal: number };

export type ContainerCounts = Record<ContainerId, number>;

const zeroCounts = (): ContainerCounts =>
  Object.fromEntries(CONTAINERS.map(({ id }) => [id, 0])) as ContainerCounts;

/**
 * Writes every item of every container (system fields removed, but `_ts`: item-clock.ts) to `file`, atomically (tmp + fsync + rename, then the
 * directory synced), noting `journal`: the last journal file whose writes it holds.
 */
export async function exportSnapshot(database: Database, file: string, journal = 0): Promise<ContainerCounts> {
  const snapshot: SnapshotFile = { version: SNAPSHOT_VERSION, exportedAt: new Date().toISOString(), journal, containers: {} };
  const counts = zeroCounts();
  for (const { id } of await containersIn(database)) {
    const { resources } = await database.container(id).items.query<StoredItem>('SELECT * FROM c').fetchAll();
    snapshot.containers[id] = resources.map((item) => restorable(item));
    counts[id as ContainerId] = resources.length;
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
  await syncDirectory(path.dirname(file)); // and the rename itself must survive one
  return counts;
}

/**
 * The snapshot in `file`, or undefined when there is none (a first start). A file that cannot be read or is not a
 * snapshot stops start-up (LocalDataError): it is left as it is, never moved aside or overwritten.
 */
export async function readSnapshot(file: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, (err as Error).message);
  }
  try {
    const snapshot = parseSnapshot(text);
    return { containers: snapshot.containers, journal: snapshot.journal ?? 0 };
  } catch (err) {
    throw unreadable(file, (err as Error).message);
  }
}

const unreadable = (file: string, reason: string) =>
  new LocalDataError(file, reason, `To recover: restore it from a copy, or move the whole data directory (${path.dirname(file)}) aside to start with an empty store.`);

/** Upserts the snapshot's items into the (already ensured) containers (within the server's `restoring`, they keep their `_ts`). */
export async function importSnapshot(database: Database, snapshot: Snapshot): Promise<ContainerCounts> {
  const counts = zeroCounts();
  await ensureLegacyContainers(database, Object.keys(snapshot.containers).filter((id) => (snapshot.containers[id]?.length ?? 0) > 0));
  for (const { id } of STORED_CONTAINERS) {
    const items = snapshot.containers[id] ?? [];
    if (items.length === 0) continue;
    const container = database.container(id);
    // Small parallel batches: much faster than one by one, without flooding the embedded server.
    for (let i = 0; i < items.length; i += 25) {
      await Promise.all(items.slice(i, i + 25).map((item) => container.items.upsert(item)));
    }
    counts[id as ContainerId] = items.length;
  }
  return counts;
}

function parseSnapshot(text: string): SnapshotFile {
  const data: unknown = JSON.parse(text);
  if (!isObject(data) || data.version !== SNAPSHOT_VERSION || !isObject(data.containers)) {
    throw new Error(`not a version ${SNAPSHOT_VERSION} snapshot`);
  }
  if (data.journal !== undefined && !(Number.isSafeInteger(data.journal) && (data.journal as number) >= 0)) {
    throw new Error('its journal number is not a whole number');
  }
  for (const [name, items] of Object.entries(data.containers)) {
    if (!Array.isArray(items) || !items.every((item) => isObject(item) && typeof item.id === 'string')) {
      throw new Error(`container "${name}" is not a list of items with ids`);
    }
  }
  return data as unknown as SnapshotFile;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
