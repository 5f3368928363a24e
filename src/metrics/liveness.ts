/**
 * Heartbeats of DealDesk's background loops (scheduler, alert dispatch, delivery), by loop name, in wall-clock
 * time (the dev clock may stand still). The loops beat when a tick starts and ends, and the delivery loop
 * between batches, so a long fan-out still counts as alive; a loop stuck in one tick stops beating.
 */
const beats = new Map<string, number>();

export const heartbeat = (loop: string): void => void beats.set(loop, Date.now());

export interface WatchedLoop {
  name: string;
  intervalMs: number;
}

/** A loop is alive while it has beaten within three of its intervals plus 30 s (a slow round, a slow store). */
export const staleAfterMs = (intervalMs: number): number => 3 * intervalMs + 30_000;

export const loopsAlive = (loops: readonly WatchedLoop[], nowMs = Date.now()): boolean =>
  loops.every(({ name, intervalMs }) => {
    const last = beats.get(name);
    return last !== undefined && nowMs - last <= staleAfterMs(intervalMs);
  });

/** For tests: forget every beat (e.g. to show a loop that never ran makes DealDesk unready). */
export const forgetHeartbeats = (): void => beats.clear();
