import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Written into the data directory once the demo tenant is seeded there: a later `--demo` starts on it as it is. */
export const DEMO_MARKER = 'demo-seeded.json';

/** `--demo` on a data directory holding something else: start-up stops with this one line, nothing touched. */
export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

/**
 * Whether `--demo` may seed `dir`: 'fresh' (missing or empty: seed it), 'seeded' (the demo is already there: use it as
 * it is). Any other content is never touched: DemoRefused says how to start on a fresh directory instead. Asking on
 * a terminal was left out on purpose: one answer everywhere (a script, CI, a terminal), and nothing is ever lost.
 */
export async function demoDataDirState(dir: string): Promise<'fresh' | 'seeded'> {
  const entries: string[] = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  if (entries.length === 0) return 'fresh';
  if (entries.includes(DEMO_MARKER)) return 'seeded';
  const shown = dir.replace(/\/?$/, '/');
  throw new DemoRefused(`--demo seeds a fresh data directory, and ${shown} already holds data that is not the demo's (left untouched): start the demo in a new one, e.g. DATA_DIR=.data-demo-2 npm start -- --demo`);
}

export async function markDemoSeeded(dir: string, at: Date): Promise<void> {
  await fs.writeFile(join(dir, DEMO_MARKER), `${JSON.stringify({ seededAt: at.toISOString() })}\n`);
}
