import type { ApprovalTiming } from '../domain/approval';
import type { Person } from '../domain/person';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';

/** Who is acting, established by the edge from the authenticated activity (never from card data). */
export interface Actor {
  tenantId: string;
  user: Person;
}

/** Settings the use cases read (parsed once by src/config.ts). */
export interface AppSettings {
  /** Changes to one deal within this window go out as one alert. */
  coalesceMs: number;
  /** AAD object ids or e-mail addresses (lower-case) of DealDesk admins. */
  admins: readonly string[];
  /** When a pending approval level reminds its approvers, and when it escalates. */
  approvalTiming: ApprovalTiming;
}

export const DEFAULT_SETTINGS: AppSettings = {
  coalesceMs: 60_000,
  admins: [],
  approvalTiming: { remindAfterMs: 24 * 3_600_000, escalateAfterMs: 48 * 3_600_000 },
};

/** What the use cases need, injected by the composition root. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: AppSettings;
  /** Called after a write that queued an alert, so delivery need not wait for its next poll. */
  alertQueued?: () => void;
}
