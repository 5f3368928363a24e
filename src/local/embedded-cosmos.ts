import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { checkPartitionKeyHeaders } from './hierarchical-keys';
import { refuseOversizedItems } from './item-size-limit';
import { limitPartitionSize, MAX_LOGICAL_PARTITION_BYTES, type PartitionSizeLimit } from './partition-size-limit';
import { installQueryEngine } from './query-engine-patch';
import { answerQueryPlans } from './query-plan-shortcut';
import { journalWrites } from './journal-hook';
import { type ItemClock, stampWithClock } from './item-clock';
import { type Clock, systemClock } from '../ports/clock.port';
import type { WriteJournal } from './write-journal';

export interface EmbeddedCosmos {
  /** e.g. https://127.0.0.1:8081/ */
  endpoint: string;
  /** Any base64 key is accepted by the embedded server; this one is fixed so config stays simple. */
  key: string;
  /** Calls `listener` with every request the server receives (tests use it to see writes); returns the unsubscribe. */
  onRequest(listener: (req: IncomingMessage) => void): () => void;
  /** While `work` runs, writes keep the `_ts` they carry (loading a snapshot or a journal); see item-clock.ts. */
  restoring: ItemClock['restoring'];
  /** The largest logical partition it accepts (Azure's 20 GB unless lowered): partition-size-limit.ts. */
  partitionLimit: PartitionSizeLimit;
  close(): Promise<void>;
}

export const EMBEDDED_COSMOS_KEY = Buffer.from('dealdesk-local-embedded-cosmos-key').toString('base64');

/**
 * Starts the in-process, memory-only Cosmos-compatible server (port 0 = a free random port), with the query
 * engine fixed (linear scans, queries compiled once, equality index; query plans answered without running the
 * query): see query-engine-patch.ts and query-plan-shortcut.ts. Items' `_ts` is stamped from `clock`, DealDesk's
 * (item-clock.ts; default: the wall clock, as the package does). Items are keyed by their full hierarchical partition
 * key (hierarchical-keys.ts), and a logical partition holds at most `partitionLimitBytes` (default Azure's 20 GB;
 * partition-size-limit.ts), as items hold at most 2 MB (item-size-limit.ts).
 */
export async function startEmbeddedCosmos(
  options: { port?: number; host?: string; journal?: WriteJournal; clock?: Clock; partitionLimitBytes?: number } = {},
): Promise<EmbeddedCosmos> {
  const { port = 0, host = '127.0.0.1' } = options;
  installQueryEngine();
  // Keep-alive makes it ~7x faster, but kept-alive sockets would hold close() open: track and destroy them.
  const server = createHttpsServer({ keepAlive: true });
  const itemClock = stampWithClock(server, options.clock ?? systemClock);
  answerQueryPlans(server);
  refuseOversizedItems(server);
  checkPartitionKeyHeaders(server);
  const partitionLimit = limitPartitionSize(server, options.partitionLimitBytes ?? MAX_LOGICAL_PARTITION_BYTES);
  if (options.journal) journalWrites(server, options.journal); // local mode: answered writes survive a crash
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded Cosmos server has no TCP address');
  // A wildcard bind is reached through loopback.
  const ip = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const endpointHost = ip.includes(':') ? `[${ip}]` : ip;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));

  const onRequest = (listener: (req: IncomingMessage) => void): (() => void) => {
    server.prependListener('request', listener);
    return () => server.off('request', listener);
  };

  return { endpoint: `https://${endpointHost}:${address.port}/`, key: EMBEDDED_COSMOS_KEY, onRequest, restoring: itemClock.restoring, partitionLimit, close };
}
