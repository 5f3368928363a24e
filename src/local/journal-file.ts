import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LocalDataError } from './local-data-error';

/**
 * The local store's journal: every document write the embedded server answered, one JSON line each, in the order
 * they were applied, written and fsync'd before the answer left (journal-hook.ts). It is kept in numbered files
 * (`journal-000001.jsonl`, …); the snapshot names the last one folded into it, and start-up replays the later ones.
 */
export type JournalEntry =
  | { op: 'put'; coll: string; doc: Record<string, unknown> & { id: string } }
  | { op: 'delete'; coll: string; id: string; pk: PartitionKeyValue };

type KeyComponent = string | number | boolean | null;
/** A delete's partition key: its components (a hierarchical key: every level), or one value (journals written before). */
export type PartitionKeyValue = KeyComponent | KeyComponent[];

const NAME = /^journal-(\d{6,})\.jsonl$/;

export const journalFileName = (n: number) => `journal-${String(n).padStart(6, '0')}.jsonl`;

/** The journal files in `dir`, oldest first. */
export async function listJournals(dir: string): Promise<Array<{ n: number; file: string }>> {
  const names = await fs.readdir(dir);
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ n: Number(m[1]), file: join(dir, name) }))
    .sort((a, b) => a.n - b.n);
}

/**
 * The entries of one journal file. A last line without its newline is a write that was never answered (the process
 * died while writing it, before the fsync that comes before the answer): it is dropped and reported as `torn`. Any
 * other line that is not an entry is corruption: LocalDataError, naming the file and the line.
 */
export function parseJournal(file: string, text: string): { entries: JournalEntry[]; torn: boolean } {
  const lines = text.split('\n');
  const torn = lines.pop() !== '';
  const entries = lines.map((line, i) => {
    try {
      return entryOf(JSON.parse(line));
    } catch (err) {
      throw new LocalDataError(
        file,
        `line ${i + 1}: ${(err as Error).message}`,
        `To recover: restore the file from a copy; or repair line ${i + 1}, or cut the file before it to keep only the changes before it; ` +
          `or move the whole data directory aside to start with an empty store.`,
      );
    }
  });
  return { entries, torn };
}

const isComponent = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function entryOf(value: unknown): JournalEntry {
  const e = value as Partial<Record<string, unknown>> | null;
  const ok =
    typeof e === 'object' && e !== null && typeof e.coll === 'string' && e.coll !== '' &&
    ((e.op === 'put' && typeof e.doc === 'object' && e.doc !== null && typeof (e.doc as { id?: unknown }).id === 'string') ||
      (e.op === 'delete' && typeof e.id === 'string' && 'pk' in e && (isComponent(e.pk) || (Array.isArray(e.pk) && e.pk.length > 0 && e.pk.every(isComponent)))));
  if (!ok) throw new Error('not a journal entry');
  return e as JournalEntry;
}
