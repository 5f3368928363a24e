import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';

/** Items one sweep deletes at most. */
export const SWEEP_LIMIT = 2_000;
/** DealDesk time between sweeps, unless the last one was full (a backlog): then the next round sweeps again. */
export const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Local mode's expiry, run by the scheduler's rounds: the store's sweep (store.sweepExpired; Azure mode's store has
 * none, since Cosmos DB deletes expired items itself and DealDesk must never), at most every SWEEP_EVERY_MS of
 * DealDesk's time. Counted on DealDesk's clock, so time moved forward by hand (the dev clock, a test's clock) is swept
 * at the next round. A failed sweep is logged and tried again at the next round; it never stops the round's other work.
 */
export function expiryRounds(store: Store, clock: Clock, logger: Logger): () => Promise<number> {
  let nextAt = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock.now();
    if (!store.sweepExpired || now.getTime() < nextAt) return 0;
    try {
      const expired = await store.sweepExpired(now, SWEEP_LIMIT);
      nextAt = expired >= SWEEP_LIMIT ? now.getTime() : now.getTime() + SWEEP_EVERY_MS;
      if (expired > 0) logger.info({ expired, now: now.toISOString() }, 'local store: expired items deleted');
      return expired;
    } catch (e) {
      logger.error({ err: e }, 'local store: could not delete expired items; the next round tries again');
      return 0;
    }
  };
}
