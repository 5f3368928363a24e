import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Database, PartitionKey } from '@azure/cosmos';
import { succeededUnless } from '../store/cosmos-errors';
import { restorable } from './item-clock';
import { ensureLegacyContainers, STORED_CONTAINERS } from './legacy-containers';
import { type JournalEntry, journalFileName, listJournals, type PartitionKeyValue, parseJournal } from './journal-file';
import { LocalDataError } from './local-data-error';

export interface ReadJournals {
  entries: JournalEntry[];
  /** Every journal file number present, folded already or not. */
  numbers: number[];
  /** Files whose last line was torn (a write that was never answered) and dropped. */
  torn: string[];
}

/**
 * Reads every journal file after `folded` (the last one the snapshot holds), whole, before anything is loaded: one
 * unreadable line, or a missing file in the sequence, stops start-up (LocalDataError) with nothing changed.
 */
export async function readJournals(dir: string, folded: number): Promise<ReadJournals> {
  const files = await listJournals(dir);
  const result: ReadJournals = { entries: [], numbers: files.map((f) => f.n), torn: [] };
  let expected = folded + 1;
  for (const { n, file } of files.filter((f) => f.n > folded)) {
    if (n !== expected) {
      throw new LocalDataError(join(dir, journalFileName(expected)), `missing: the snapshot holds the journal up to ${folded} and ${file} follows`, 'To recover: restore it from a copy, or move the whole data directory aside to start with an empty store.');
    }
    expected += 1;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw new LocalDataError(file, (err as Error).message, 'To recover: make it readable again, or move the whole data directory aside to start with an empty store.');
    }
    const { entries, torn } = parseJournal(file, text);
    result.entries.push(...entries);
    if (torn) result.torn.push(file);
  }
  return result;
}

const PARTITION_PATHS = new Map<string, string[][]>(STORED_CONTAINERS.map((c) => [c.id, c.partitionKey.map((path) => path.slice(1).split('/'))]));

/** A delete's key as its components: journals written before hierarchical keys hold one value. */
const componentsOf = (pk: PartitionKeyValue): Array<string | number | boolean | null> => (Array.isArray(pk) ? pk : [pk]);

/**
 * Applies the entries on top of the snapshot just loaded. Only each document's last entry counts (a put is its
 * whole state, `_ts` included, a delete its absence), so the documents are written once each, in parallel batches. Entries of a
 * container DealDesk no longer has are skipped, as the snapshot's are.
 */
export async function replayJournal(database: Database, entries: readonly JournalEntry[]): Promise<void> {
  const last = new Map<string, JournalEntry>();
  for (const entry of entries) {
    const paths = PARTITION_PATHS.get(entry.coll);
    if (!paths) continue;
    const [id, pk] = entry.op === 'put' ? [entry.doc.id, paths.map((path) => valueAt(entry.doc, path))] : [entry.id, componentsOf(entry.pk)];
    const key = JSON.stringify([entry.coll, pk, id]);
    last.delete(key); // keep the map in the order of each document's last write
    last.set(key, entry);
  }
  const finals = [...last.values()];
  await ensureLegacyContainers(database, new Set(finals.map((entry) => entry.coll)));
  for (let i = 0; i < finals.length; i += 25) {
    await Promise.all(
      finals.slice(i, i + 25).map((entry) => {
        const container = database.container(entry.coll);
        return entry.op === 'put'
          ? container.items.upsert(restorable(entry.doc))
          : succeededUnless(404, () => container.item(entry.id, componentsOf(entry.pk) as PartitionKey).delete());
      }),
    );
  }
}

const valueAt = (doc: Record<string, unknown>, path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);
