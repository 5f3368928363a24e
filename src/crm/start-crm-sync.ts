import { startLoop } from '../notify/wake-loop';
import { type CrmDispatcherDeps, createCrmDispatcher } from './crm-dispatcher';

export interface CrmSync {
  /** A change queued a CRM event: look for due events now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
  /** For tests: one round, now. */
  runOnce(): Promise<number>;
}

export const CRM_LOOP = 'crm dispatch';

/** The CRM dispatcher's loop: polls (instances share the store), woken early by this instance's own changes. */
export function startCrmSync(deps: CrmDispatcherDeps & { pollMs: number }): CrmSync {
  const dispatcher = createCrmDispatcher(deps);
  const loop = startLoop(async () => {
    // Keep going while rounds finish events (a deal's events beyond one lease), as the delivery loop does.
    while ((await dispatcher.runOnce()) > 0);
  }, { intervalMs: deps.pollMs, logger: deps.logger, name: CRM_LOOP });
  return { wake: () => loop.wake(), stop: () => loop.stop(), runOnce: () => dispatcher.runOnce() };
}
