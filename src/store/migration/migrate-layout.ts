import type { Database } from '@azure/cosmos';
import type { Clock } from '../../ports/clock.port';
import type { Logger } from '../../ports/logger.port';
import type { LayoutMigration, LayoutProgress } from '../../ports/store.port';
import { LEGACY_CONTAINERS, SUCCESSOR_OF, type LegacyContainerId } from '../containers';
import { copyContainer } from './copy-container';
import { type ContainerProgress, createMarker, LeaseLost, type LayoutMarker, MARKER_ID, MARKER_TENANT, readMarker, replaceMarker } from './layout-marker';

export interface MigrateOptions {
  /** This process, as the lease names it. */
  instanceId: string;
  /** DealDesk's clock: only for the time a copied item has left to live (its `ttl`). Leases run on wall time. */
  clock: Clock;
  logger: Logger;
  /** How long a lease holds unless renewed (each page renews it). Default 30 s. */
  leaseMs?: number;
  /**
   * How long an instance waits for another one's move to make progress (a checkpoint in the marker) before it gives up
   * starting. Default 15 min. A move of millions of items takes longer than that, and its waiters wait as long as it
   * checkpoints: giving up would only restart them, to wait again.
   */
  waitMs?: number;
  /** How often a waiting instance reads the marker. Default 500 ms. */
  pollMs?: number;
  /** Told the progress when the move (or the wait for another instance's) starts, and after each page. */
  onProgress?: (progress: LayoutProgress) => void;
  /** Aborted: stops before the next page (or the next read of the marker while waiting) and rejects with its reason. */
  signal?: AbortSignal;
}

/** The move could not finish (waited too long): start-up stops with this one line. */
export class LayoutMigrationError extends Error {
  override name = 'LayoutMigrationError';
}

/** The legacy containers whose data moves (all but `settings`, which keeps its key), in a fixed order. */
export const MOVING: readonly LegacyContainerId[] = LEGACY_CONTAINERS.map((c) => c.id).filter((id) => SUCCESSOR_OF[id] !== id);

/**
 * Moves the data of the legacy containers (LEGACY_CONTAINERS, keyed on `/tenantId` alone) to CONTAINERS, once per
 * database, whichever instance starts first: idempotent (a done move is one point read), resumable after a crash at
 * any point (items are created, never replaced: a 409 is an item copied before; progress is checkpointed per page),
 * and safe with several instances starting at once (one holds the lease in the marker, layout-marker.ts; the others
 * wait until the marker says done, and take over if the holder's lease runs out). A database that never had the
 * legacy containers (a fresh install) costs one read of the container list and writes nothing.
 */
export async function migrateLayout(database: Database, options: MigrateOptions): Promise<LayoutMigration> {
  const { instanceId, clock, logger } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const waitMs = options.waitMs ?? 15 * 60_000;
  const startedMs = Date.now();
  const moved: Partial<Record<LegacyContainerId, number>> = {};
  const skipped: Partial<Record<LegacyContainerId, number>> = {};
  const result = (outcome: LayoutMigration['outcome']): LayoutMigration => ({ outcome, moved, skipped, ms: Date.now() - startedMs });

  const present = await legacyContainersIn(database);
  if (present.length === 0) return result('fresh');
  const settings = database.container('settings');
  // Leases run on wall time, never on DealDesk's clock: that one may be the manual dev clock (DEALDESK_CLOCK=manual)
  // or a test's, and two instances' DealDesk clocks can then be hours apart, so one would take over a lease the other
  // still renews. Instances' wall clocks agree to well under a second (NTP), far inside a 30 s lease.
  const lease = () => ({ owner: instanceId, until: new Date(Date.now() + leaseMs).toISOString() });
  const report = (mover: LayoutProgress['mover'], containers: LayoutMarker['containers']) => options.onProgress?.({ mover, containers: countsOf(present, containers) });
  let waited = false;
  /** The holder's last checkpoint seen while waiting (its marker's ETag), and when it was first seen. */
  let seen = { etag: undefined as string | undefined, at: startedMs };
  for (;;) {
    options.signal?.throwIfAborted();
    const marker = await readMarker(settings);
    if (marker?.state === 'done') {
      if (waited) logger.info({ waitedMs: Date.now() - startedMs }, 'layout migration: another instance finished moving the data; starting');
      return result(waited ? 'waited' : 'done before');
    }
    const free = !marker?.lease || marker.lease.owner === instanceId || Date.parse(marker.lease.until) <= Date.now();
    if (!free) {
      report('another instance', marker!.containers);
      if (!waited) logger.info({ holder: marker!.lease!.owner, until: marker!.lease!.until }, 'layout migration: another instance is moving the data to the partitioned layout; waiting for it');
      waited = true;
      if (marker!._etag !== seen.etag) seen = { etag: marker!._etag, at: Date.now() };
      if (Date.now() - seen.at > waitMs) {
        throw new LayoutMigrationError(`the data is still being moved to the partitioned layout by instance ${marker!.lease!.owner}, with no progress after ${Math.round(waitMs / 1000)} s of waiting`);
      }
      await sleep(options.pollMs ?? 500, options.signal);
      continue;
    }
    const held = marker
      ? await replaceMarker(settings, marker, { ...marker, state: 'moving', lease: lease() })
      : await createMarker(settings, { id: MARKER_ID, tenantId: MARKER_TENANT, type: 'layoutMigration', state: 'moving', containers: {}, lease: lease(), startedAt: clock.now().toISOString() });
    if (!held) continue; // another instance wrote it first: read again
    if (marker?.lease && marker.lease.owner !== instanceId) logger.warn({ previous: marker.lease.owner }, 'layout migration: taking over from an instance whose lease ran out');
    try {
      await moveAll(held);
      return result('moved');
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      logger.warn({}, 'layout migration: lost the lease to another instance; waiting for it');
      waited = true;
    }
  }

  async function moveAll(first: LayoutMarker): Promise<void> {
    let marker = first;
    /** Wall time until which the lease is ours for sure: the `until` of our last marker write, computed before it was sent. */
    let heldUntil = Date.parse(first.lease!.until);
    const write = async (next: LayoutMarker) => {
      const written = await replaceMarker(settings, marker, next);
      if (!written) throw new LeaseLost();
      marker = written;
      if (next.lease) heldUntil = Date.parse(next.lease.until);
    };
    // The fence: a mover that stalled (a long GC pause, a frozen container, a slow page) past its lease may find
    // another instance took over and finished, and users changed the new containers since; a create it then made
    // would bring back an item they deleted. So before each batch of creates the lease must still hold for a third of
    // its length, or be renewed first by a conditional write of the marker, which fails (LeaseLost: no create made)
    // once another instance took it. The third left covers the batch's requests in flight.
    const fence = async () => {
      if (Date.now() < heldUntil - leaseMs / 3) return;
      await write({ ...marker, lease: lease() });
    };
    logger.info({ containers: present }, 'layout migration: moving the data to the partitioned layout');
    report('this instance', marker.containers);
    for (const id of present) {
      const before: ContainerProgress = marker.containers[id] ?? { state: 'pending', copied: 0, skipped: 0 };
      if (before.state === 'done') continue;
      const successor = SUCCESSOR_OF[id];
      const after = await copyContainer({
        from: database.container(id),
        to: database.container(successor),
        successor,
        progress: before,
        nowSeconds: () => Math.floor(clock.now().getTime() / 1000),
        fence,
        signal: options.signal,
        checkpoint: async (progress) => {
          await write({ ...marker, containers: { ...marker.containers, [id]: progress }, lease: lease() });
          report('this instance', marker.containers);
        },
      });
      moved[id] = after.copied - before.copied;
      skipped[id] = after.skipped - before.skipped;
      logger.info({ container: id, to: successor, moved: moved[id], skipped: skipped[id] }, 'layout migration: container moved');
    }
    const { lease: _released, ...rest } = marker;
    await write({ ...rest, state: 'done', doneAt: clock.now().toISOString() });
    logger.info({ moved, ms: Date.now() - startedMs }, 'layout migration: done');
  }
}

/** The progress of each container to move as the marker has it (none yet: pending), without the query continuations. */
const countsOf = (present: readonly LegacyContainerId[], containers: LayoutMarker['containers']): LayoutProgress['containers'] =>
  Object.fromEntries(present.map((id) => {
    const { state, copied, skipped } = containers[id] ?? { state: 'pending', copied: 0, skipped: 0 };
    return [id, { state, copied, skipped }];
  }));

/** Which of the moving legacy containers this database has. */
export async function legacyContainersIn(database: Database): Promise<LegacyContainerId[]> {
  const { resources } = await database.containers.readAll().fetchAll();
  const ids = new Set(resources.map((c) => c.id));
  return MOVING.filter((id) => ids.has(id));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
