import { startLoop } from '../../notify/wake-loop';
import { type ChangePollerOptions, changePoller, type PollRound } from './change-poller';

export interface RunningChangePoller {
  /** Polls now (after the round running, if any). */
  wake(): void;
  /** No more rounds: the running one stops at its next request, and the lease is given up. */
  stop(): Promise<void>;
}

/** The loop name /readyz watches, beside the scheduler's and the notifier's. */
export const CHANGE_POLL_LOOP = 'dataverse poll';

/**
 * Runs the Dataverse change poll every DATAVERSE_POLL_MS in the background (started by the composition root beside
 * the scheduler and the notifier). Every instance runs the loop; the lease decides which one polls.
 */
export function startChangePoller(options: ChangePollerOptions & { onRound?: (round: PollRound) => void }): RunningChangePoller {
  const poller = changePoller(options);
  const stopping = new AbortController();
  const loop = startLoop(
    async () => {
      const round = await poller.pollOnce(stopping.signal).catch((e: unknown) => {
        if (stopping.signal.aborted) return undefined;
        throw e;
      });
      if (round) options.onRound?.(round);
    },
    { intervalMs: options.pollMs, logger: options.deps.logger, name: CHANGE_POLL_LOOP },
  );
  return {
    wake: () => loop.wake(),
    stop: async () => {
      stopping.abort(new Error('DealDesk stopped'));
      await loop.stop();
      await poller.release();
    },
  };
}
