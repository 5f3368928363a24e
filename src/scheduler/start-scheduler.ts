import type { AppDeps } from '../app/context';
import { startLoop } from '../notify/wake-loop';
import type { JobHandlers } from './job-handler';
import { createScheduler, type SchedulerOptions, type TickResult } from './scheduler';

export interface RunningScheduler {
  /** One round now (the dev clock runs what fell due after moving time). */
  runOnce(): Promise<TickResult>;
  wake(): void;
  /** Stops the rounds and gives this instance's claimed runs back. */
  stop(): Promise<void>;
  /** When the last round finished (ISO), for /readyz. */
  lastTickAt(): string | undefined;
}

/** Scheduler rounds every `intervalMs`, the first at once (what fell due while down runs at start). */
export function startScheduler(deps: AppDeps, handlers: JobHandlers, options: SchedulerOptions & { intervalMs: number }): RunningScheduler {
  const scheduler = createScheduler(deps, handlers, options);
  let last: string | undefined;
  const round = async () => {
    const result = await scheduler.tick();
    last = deps.clock.now().toISOString();
    return result;
  };
  const loop = startLoop(async () => {
    await round();
  }, { intervalMs: options.intervalMs, logger: deps.logger, name: 'scheduler' });
  return {
    runOnce: round,
    wake: () => loop.wake(),
    lastTickAt: () => last,
    stop: async () => {
      await loop.stop();
      await scheduler.releaseLeases().catch((e) => deps.logger.error({ err: e }, 'could not release job leases'));
    },
  };
}
