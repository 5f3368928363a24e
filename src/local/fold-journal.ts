import { promises as fs } from 'node:fs';
import type { Database } from '@azure/cosmos';
import type { Logger } from '../ports/logger.port';
import { listJournals } from './journal-file';
import { exportSnapshot } from './snapshot';
import type { WriteJournal } from './write-journal';

/**
 * Folding: the journal continues in a new file, then a snapshot is taken (it holds every write of the files before,
 * and maybe some of the new one: replaying a write twice leaves the same document), and only once the snapshot is on
 * disk are the folded files removed. A crash at any point leaves a snapshot and the journal after it. One fold at a
 * time; a failed fold loses nothing (the journal stays) and is logged.
 */
export function folder({ database, file, journal, logger }: { database: Database; file: string; journal: WriteJournal; logger: Logger }) {
  let running: Promise<void> = Promise.resolve();
  const fold = async () => {
    const folded = await journal.rotate();
    await exportSnapshot(database, file, folded);
    for (const old of await listJournals(journal.dir)) if (old.n <= folded) await fs.rm(old.file, { force: true });
  };
  const now = () => {
    running = running.then(fold).catch((err) => logger.error({ err, file }, 'could not fold the local journal into the snapshot; the journal keeps every change'));
    return running;
  };
  return { now, ifWritten: () => (journal.entriesInCurrentFile > 0 ? now() : running) };
}
