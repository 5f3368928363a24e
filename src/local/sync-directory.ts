import { promises as fs } from 'node:fs';

/**
 * fsync of a directory: makes a file created, renamed or removed in it survive a crash of the machine. Windows cannot
 * open a directory this way, and NTFS keeps directory entries with the file's own metadata: nothing to do there.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
