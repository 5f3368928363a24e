import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { type JournalEntry, journalFileName } from './journal-file';
import { syncDirectory } from './sync-directory';

/**
 * Appends the embedded server's writes to the journal, in the order they were applied, and tells when they are on
 * disk (fdatasync'd). Writes that arrive while the disk is busy go out together in the next write and sync (group
 * commit), so a sync is shared by every answer waiting for it. One task at a time touches the files: a batch, or a
 * switch to the next journal file (`rotate`, for folding the journal into the snapshot).
 *
 * If a write or sync fails, the journal fails for good: every answer still waiting, and every later request, is
 * refused, because the server's memory may now hold changes the disk does not.
 */
export class WriteJournal {
  /** 'loading': the store is being filled from the snapshot and journal, and those writes are not journaled again. */
  private state: 'loading' | 'open' | 'failed' | 'closed' = 'loading';
  private failure?: Error;
  private handle?: FileHandle;
  private current = 0;
  private pending: string[] = [];
  private recorded = 0;
  private durable = 0;
  private batchQueued = false;
  private tasks: Promise<unknown> = Promise.resolve();
  private waiters: Array<{ seq: number; resolve: () => void; reject: (err: Error) => void }> = [];
  /** Entries recorded since the last rotation (or the opening). */
  entriesInCurrentFile = 0;

  constructor(
    readonly dir: string,
    private readonly onFailure: (err: Error) => void = () => {},
  ) {}

  /** Starts journaling into a new file number `n` (never an existing file: its last line may be torn). */
  async open(n: number): Promise<void> {
    this.handle = await createFile(this.dir, n);
    this.current = n;
    this.state = 'open';
  }

  /** Why requests are refused, once the journal failed or closed. */
  get refusal(): Error | undefined {
    return this.state === 'failed' ? this.failure : this.state === 'closed' ? new Error('the local store is closed') : undefined;
  }

  /** Called synchronously as the server applies a write, so the journal's order is the order of application. */
  record(entry: JournalEntry): void {
    if (this.state === 'loading') return;
    this.recorded += 1;
    if (this.state !== 'open') return; // whenDurable() refuses the answer
    this.pending.push(`${JSON.stringify(entry)}\n`);
    this.entriesInCurrentFile += 1;
    if (!this.batchQueued) {
      this.batchQueued = true;
      this.enqueue(() => this.writeBatch());
    }
  }

  /** Undefined when everything recorded so far is on disk; else resolves once it is (rejects if the journal failed). */
  whenDurable(): Promise<void> | undefined {
    if (this.durable === this.recorded) return undefined;
    const refusal = this.refusal;
    if (refusal) return Promise.reject(refusal);
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.recorded, resolve, reject }));
  }

  /** Continues in the next file; resolves with the number of the file just finished, all of whose entries are on disk. */
  rotate(): Promise<number> {
    return this.enqueue(async () => {
      const next = await createFile(this.dir, this.current + 1);
      const [old, finished] = [this.handle!, this.current];
      [this.handle, this.current, this.entriesInCurrentFile] = [next, this.current + 1, this.pending.length];
      await old.close();
      return finished;
    });
  }

  /** Stops journaling (later writes are refused); resolves with the last file, and whether anything was written to it. */
  close(): Promise<{ file: string; empty: boolean }> {
    return this.enqueue(async () => {
      this.state = this.state === 'failed' ? 'failed' : 'closed';
      this.rejectWaiters(this.refusal!);
      await this.handle?.close();
      this.handle = undefined;
      return { file: join(this.dir, journalFileName(this.current)), empty: this.entriesInCurrentFile === 0 };
    });
  }

  private async writeBatch(): Promise<void> {
    this.batchQueued = false;
    if (this.state !== 'open') return; // closed meanwhile: the answers waiting for these entries were refused
    const lines = this.pending.join('');
    const upTo = this.durable + this.pending.length;
    this.pending = [];
    await this.handle!.appendFile(lines);
    await this.handle!.datasync();
    this.durable = upTo;
    const done = this.waiters.filter((w) => w.seq <= upTo);
    this.waiters = this.waiters.filter((w) => w.seq > upTo);
    for (const w of done) w.resolve();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tasks.then(() => {
      if (this.state === 'failed') throw this.failure!;
      return task();
    });
    this.tasks = run.catch((err: Error) => this.fail(err));
    return run;
  }

  private fail(err: Error): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.failure = new Error(`the local journal could not be written (${err.message}); DealDesk refuses further requests to keep memory and disk alike`);
    this.rejectWaiters(this.failure);
    this.onFailure(err);
  }

  private rejectWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}

/** A new journal file, its directory entry synced too, so a crash cannot lose the file itself. */
async function createFile(dir: string, n: number): Promise<FileHandle> {
  const handle = await fs.open(join(dir, journalFileName(n)), 'wx');
  await syncDirectory(dir);
  return handle;
}
