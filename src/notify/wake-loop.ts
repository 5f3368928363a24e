import { heartbeat } from '../metrics/liveness';
import type { Logger } from '../ports/logger.port';

export interface Loop {
  /** Runs the next tick as soon as possible (after the running one, if any). */
  wake(): void;
  /** No more ticks; resolves when the running one (if any) has finished. */
  stop(): Promise<void>;
}

export interface LoopOptions {
  intervalMs: number;
  logger: Logger;
  name: string;
}

/**
 * Runs `tick` at once, then `intervalMs` after each tick ends, or sooner when woken. Never two ticks at once:
 * a wake during a tick runs the next one right after it. A tick that throws is logged; the loop goes on.
 * Its timers are unref'd: the loop alone does not keep the process alive.
 */
export function startLoop(tick: () => Promise<void>, { intervalMs, logger, name }: LoopOptions): Loop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  let stopped = false;

  const schedule = (delayMs: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
    timer.unref();
  };

  const run = (): void => {
    timer = undefined;
    if (stopped || running) return;
    wokenWhileRunning = false;
    running = (async () => {
      heartbeat(name); // for /readyz
      try {
        await tick();
      } catch (err) {
        logger.error({ err, loop: name }, `${name}: tick failed; the loop goes on`);
      }
      heartbeat(name);
    })();
    void running.then(() => {
      running = undefined;
      if (!stopped) schedule(wokenWhileRunning ? 0 : intervalMs);
    });
  };

  schedule(0);
  return {
    wake() {
      if (stopped) return;
      if (running) wokenWhileRunning = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
