/**
 * What local mode's expiry sweep costs (issue 16, item 2), on local mode's own store (openLocalStore: the embedded
 * server with its journal, every delete fdatasync'd before it is answered):
 *   - a sweep that finds nothing to delete, beside 10,000 finished deliveries not yet expired and 10,000 in progress
 *     (what every sweep costs, every 5 minutes of DealDesk's time);
 *   - deleting 10,000 expired deliveries, in sweeps of SWEEP_LIMIT (2,000), as the scheduler's rounds run them.
 * `npx tsx test/bench/expiry-cost.ts` (about a minute); the data directory is in the OS temp directory.
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLocalStore } from '../../src/local/local-store';
import type { OutgoingMessage, OutgoingMessageState } from '../../src/domain/outgoing-message';
import { SWEEP_LIMIT } from '../../src/scheduler/expiry-rounds';
import { MemoryLogger } from '../support/memory-logger';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-26T09:00:00Z');
const COUNT = 10_000;

function delivery(i: number, state: OutgoingMessageState, at: string): OutgoingMessage {
  return {
    id: `D-${1000 + (i % 500)}.A${i}|${Buffer.from(`aad-person-${i % 97}`).toString('base64url')}`,
    tenantId: 'tenant-1',
    recipient: { kind: 'person', key: `aad-person-${i % 97}`, name: 'Megan Bowen', locale: 'en-US' },
    // A realistic alert: three changes, one actor (about 1.3 KB stored).
    alert: {
      id: `D-${1000 + (i % 500)}.A${i}`, tenantId: 'tenant-1', dealId: `D-${1000 + (i % 500)}`, title: 'Azure migration assessment for the retail division', account: 'Contoso Bank',
      changes: [
        { kind: 'stage', from: 'Qualify', to: 'Solution' },
        { kind: 'value', from: { amount: 1_500_000, currency: 'USD' }, to: { amount: 2_000_000, currency: 'USD' } },
        { kind: 'closeDate', from: '2027-03-31', to: '2027-06-30' },
      ],
      actors: [{ id: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' }],
      at,
    },
    state,
    attempts: 1,
    nextAttemptAt: at,
    ...(state === 'sent' ? { sentAt: at, sentBy: 'bench', activityId: `activity-${i}` } : {}),
    createdAt: at,
    updatedAt: at,
  } as OutgoingMessage;
}

const journalBytes = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('journal-')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dealdesk-expiry-bench-'));
  let ms = T0;
  const clock = { now: () => new Date(ms) };
  const store = await openLocalStore({ dataDir: dir, databaseId: 'dealdesk', logger: new MemoryLogger(), clock });
  try {
    const write = async (from: number, state: OutgoingMessageState) => {
      const at = clock.now().toISOString();
      for (let i = from; i < from + COUNT; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, k) => store.deliveries.createIfAbsent(delivery(i + k, state, at))));
      }
    };
    const started = performance.now();
    await write(0, 'sent'); // finished at T0: expire at T0 + 30 days
    await write(COUNT, 'retrying'); // in progress: never expire
    console.log(`written: ${COUNT} finished + ${COUNT} in progress in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    ms = T0 + 29 * DAY;
    const idle: number[] = [];
    for (let round = 0; round < 7; round += 1) {
      const t = performance.now();
      const n = await store.sweepExpired!(clock.now(), SWEEP_LIMIT);
      idle.push(performance.now() - t);
      if (n !== 0) throw new Error(`deleted ${n} too early`);
    }
    const sorted = [...idle].sort((a, b) => a - b);
    console.log(`a sweep with nothing expired (${COUNT} finished, ${COUNT} in progress): median ${sorted[3]!.toFixed(1)} ms (${idle.map((x) => x.toFixed(1)).join(' / ')})`);

    ms = T0 + 31 * DAY;
    const bytesBefore = journalBytes(dir);
    const rounds: number[] = [];
    const t = performance.now();
    for (let n = -1; n !== 0; ) {
      const r = performance.now();
      n = await store.sweepExpired!(clock.now(), SWEEP_LIMIT);
      if (n > 0) rounds.push(performance.now() - r);
    }
    const total = performance.now() - t;
    const per = [...rounds].sort((a, b) => a - b);
    console.log(
      `deleting ${COUNT} expired: ${rounds.length} sweeps of ≤ ${SWEEP_LIMIT}, ${(total / 1000).toFixed(1)} s in all ` +
        `(${((COUNT / total) * 1000).toFixed(0)} deletes/s; a sweep median ${per[Math.floor(per.length / 2)]!.toFixed(0)} ms, max ${per.at(-1)!.toFixed(0)} ms); ` +
        `journal +${((journalBytes(dir) - bytesBefore) / 1024).toFixed(0)} KB`,
    );
    const left = await store.sweepExpired!(new Date(T0 + 3650 * DAY), SWEEP_LIMIT);
    if (left !== 0) throw new Error('an in-progress delivery was deleted');
    console.log(`in progress left untouched: ${COUNT}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
