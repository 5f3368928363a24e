import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { startPlayground, type RunningPlayground } from '../../../src/local/playground';
import { startDealDesk, type DealDesk } from '../../../src/start-dealdesk';
import { freePort } from '../../support/free-port';
import type { MemoryLogger } from '../../support/memory-logger';
import { openPlayground, type Driver } from './playground-driver';

export interface TwoUsers {
  dealdesk: DealDesk;
  /** Alex Wilber (the local admin) and Megan Bowen, each in a playground and a headless Chromium of their own. */
  alex: Driver;
  megan: Driver;
  alexPlayground: RunningPlayground;
  meganPlayground: RunningPlayground;
  stop(): Promise<void>;
}

/**
 * DealDesk in local mode (a fresh data directory, `env` on top) with two playgrounds, Alex's and Megan's: a playground
 * shows only its current user (see PLAYGROUND-NOTES.md, "Two users").
 */
export async function startTwoUsers(env: Record<string, string>, logger: MemoryLogger): Promise<TwoUsers> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-e2e-'));
  const dealdesk = await startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, ...env }), logger);
  const botEndpoint = `${dealdesk.url}/api/messages`;
  const alexPort = await freePort();
  let meganPort = await freePort();
  while (meganPort === alexPort) meganPort = await freePort();
  const [alexPlayground, meganPlayground] = await Promise.all([
    startPlayground({ botEndpoint, port: alexPort, currentUser: 'alex' }),
    startPlayground({ botEndpoint, port: meganPort, currentUser: 'megan' }),
  ]);
  const [alex, megan] = await Promise.all([openPlayground(alexPlayground.url), openPlayground(meganPlayground.url)]);
  return {
    dealdesk,
    alex,
    megan,
    alexPlayground,
    meganPlayground,
    stop: async () => {
      await Promise.all([alex.close(), megan.close()]);
      await Promise.all([alexPlayground.stop(), meganPlayground.stop()]);
      await dealdesk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
