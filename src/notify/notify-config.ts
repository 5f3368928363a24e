/** A sliding-window limit: at most `max` sends in any `windowMs`. */
export interface WindowLimit {
  windowMs: number;
  max: number;
}

/** How delivery behaves; parsed from the environment by src/config.ts (defaults are Teams's published limits). */
export interface NotifyConfig {
  /** Unique per running process; leases name it. */
  instanceId: string;
  /** Per app per tenant, all conversations together (TEAMS_APP_RPS, default 50 per second). */
  tenantLimits: WindowLimit[];
  /** Per conversation (TEAMS_CONVERSATION_LIMITS, default 7/1s, 8/2s, 60/30s, 1800/1h). */
  conversationLimits: WindowLimit[];
  /**
   * How long an instance's membership of a tenant's shared send budget lasts unless renewed (every third of it);
   * a newcomer starts sending this long (plus 2 s) after it joined (SEND_BUDGET_LEASE_MS).
   */
  budgetLeaseMs: number;
  /** How long a claim holds a delivery before another instance may take it over. */
  leaseMs: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** Exponential backoff with jitter when no Retry-After is given: base × 2^(attempt-1), capped. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How often the dispatcher and the worker look for due work when nothing woke them. */
  pollMs: number;
  /** Deliveries claimed per round, and sends in flight at once. */
  batchSize: number;
  concurrency: number;
  /** Changes to one deal within this window go out as one alert (ALERT_COALESCE_MS). */
  coalesceMs: number;
}

export const DEFAULT_NOTIFY_CONFIG: Omit<NotifyConfig, 'instanceId'> = {
  tenantLimits: [{ windowMs: 1000, max: 50 }],
  conversationLimits: [
    { windowMs: 1000, max: 7 },
    { windowMs: 2000, max: 8 },
    { windowMs: 30_000, max: 60 },
    { windowMs: 3_600_000, max: 1800 },
  ],
  leaseMs: 30_000,
  budgetLeaseMs: 15_000,
  maxAttempts: 8,
  baseBackoffMs: 1000,
  maxBackoffMs: 60_000,
  pollMs: 1000,
  batchSize: 100,
  concurrency: 50,
  coalesceMs: 60_000,
};
