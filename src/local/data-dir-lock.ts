import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * One DealDesk at a time per data directory: two would each journal and fold their own memory into the same files.
 * `dealdesk.pid` holds the owner's process id; a file left by a process that is gone (killed) is taken over.
 * Resolves with the function that gives the directory back.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, 'dealdesk.pid');
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new Error(`${dir} is in use by process ${owner} (another DealDesk in local mode): stop it, or give this one another DATA_DIR`);
    }
    await fs.rm(file, { force: true }); // its owner is gone
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
