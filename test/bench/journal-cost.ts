/**
 * What local mode's journal costs (issue 14, item 5): creates per second on the embedded server without a journal
 * and with one (every write appended and fdatasync'd before it is answered), one at a time and 16 in flight.
 * `npx tsx test/bench/journal-cost.ts` (about a minute); the journal lives in the OS temp directory, so run it where
 * that is a real disk, not tmpfs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { WriteJournal } from '../../src/local/write-journal';
import { createCosmosClient } from '../../src/store/cosmos-client';
import { openCosmosStore } from '../../src/store/cosmos-store';

const FILLER = 'x'.repeat(900); // about a 1 KB document, as a small deal

async function createsPerSecond(journaled: boolean, inFlight: number, count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-journal-bench-'));
  const journal = journaled ? new WriteJournal(dir) : undefined;
  const server = await startEmbeddedCosmos({ journal });
  const client = createCosmosClient({ endpoint: server.endpoint, key: server.key, embedded: true });
  try {
    await openCosmosStore({ client, databaseId: 'bench' });
    await journal?.open(1);
    const deals = client.database('bench').container('deals-v2');
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await deals.items.create({ id: `D-${i}`, tenantId: 't', dealId: `D-${i}`, type: 'deal', title: `Deal ${i}`, filler: FILLER });
      }
    };
    await Promise.all(Array.from({ length: 20 }, () => deals.items.create({ id: `warm-${Math.random()}`, tenantId: 't', dealId: 'warm' })));
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    return (count / (performance.now() - started)) * 1000;
  } finally {
    await journal?.close();
    client.dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const inFlight of [1, 16]) {
    const runs: Record<'off' | 'on', number[]> = { off: [], on: [] };
    for (let round = 0; round < 5; round += 1) {
      runs.off.push(await createsPerSecond(false, inFlight, 1500));
      runs.on.push(await createsPerSecond(true, inFlight, 1500));
    }
    const [off, on] = [median(runs.off), median(runs.on)];
    console.log(
      `${inFlight} in flight: ${off.toFixed(0)} creates/s without the journal, ${on.toFixed(0)} with it ` +
        `(${(1000 / on - 1000 / off).toFixed(2)} ms more per create; runs ${runs.off.map((x) => x.toFixed(0)).join('/')} vs ${runs.on.map((x) => x.toFixed(0)).join('/')})`,
    );
  }
}

void main();
