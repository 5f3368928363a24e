import { promises as fs } from 'node:fs';

/** fsync of a directory: makes a file created, renamed or removed in it survive a crash of the machine. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
