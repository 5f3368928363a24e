import type { AppDeps } from '../app/context';
import { runApprovalTimers } from '../app/run-approval-timers';
import { startLoop, type Loop } from '../notify/wake-loop';

/** Looks for due approval reminders and escalations every `intervalMs` (and at start, for what fell due while down). */
export const startApprovalTimers = (deps: AppDeps, intervalMs: number): Loop =>
  startLoop(async () => {
    await runApprovalTimers(deps);
  }, { intervalMs, logger: deps.logger, name: 'approval timers' });
