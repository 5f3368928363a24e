import type { WindowLimit } from './notify-config';

export interface RateLimits {
  /** Per app per tenant, every conversation together. */
  tenantLimits: WindowLimit[];
  /** Per conversation. */
  conversationLimits: WindowLimit[];
}

/** The sends recorded for one key, oldest first, and until when a 429 holds it back. */
interface Windowed {
  sends: number[];
  holdUntil: number;
}

/** One kind of key (tenant or conversation), its limits, and how far back its largest window reaches. */
interface Scope {
  keys: Map<string, Windowed>;
  limits: WindowLimit[];
  horizonMs: number;
  lastSweep: number;
}

/**
 * Teams's rate limits as sliding windows over injected time (no timers, no clock of its own).
 * `reserve` answers 0 and records the send in every window when it may go now, or the ms to wait.
 * A 429 holds a conversation (or a tenant) back with `penalise` until its Retry-After has passed.
 * Memory stays bounded: sends older than the largest window are dropped, and idle keys with them.
 */
export class RateLimiter {
  private readonly tenants: Scope;
  private readonly conversations: Scope;

  constructor(limits: RateLimits) {
    this.tenants = scope(limits.tenantLimits);
    this.conversations = scope(limits.conversationLimits);
  }

  /**
   * `sharers`: how many instances share the tenant's budget (shared-budget.ts); this one takes floor(max / sharers)
   * of each tenant window (at least 1), so together they stay within it.
   */
  reserve(tenantId: string, conversationId: string, nowMs: number, sharers = 1): number {
    const tenant = this.touch(this.tenants, tenantId, nowMs);
    const conversation = this.touch(this.conversations, conversationId, nowMs);
    const tenantLimits = sharers <= 1 ? this.tenants.limits : this.tenants.limits.flatMap((l) => shareOf(l, sharers));
    const waitMs = Math.max(
      waitFor(tenant, tenantLimits, nowMs),
      waitFor(conversation, this.conversations.limits, nowMs),
    );
    if (waitMs === 0) {
      record(tenant.sends, nowMs);
      record(conversation.sends, nowMs);
    }
    return waitMs;
  }

  /** Nothing is sent to the conversation before `untilMs` (a 429's Retry-After). */
  penalise(conversationId: string, untilMs: number): void {
    const held = entry(this.conversations.keys, conversationId);
    held.holdUntil = Math.max(held.holdUntil, untilMs);
  }

  /** Nothing is sent anywhere in the tenant before `untilMs`. */
  penaliseTenant(tenantId: string, untilMs: number): void {
    const held = entry(this.tenants.keys, tenantId);
    held.holdUntil = Math.max(held.holdUntil, untilMs);
  }

  /** Keys held in memory (for tests and metrics). */
  get size(): number {
    return this.tenants.keys.size + this.conversations.keys.size;
  }

  /** The key's sends, without those that left its largest window; now and then, idle keys are forgotten. */
  private touch(scope: Scope, key: string, nowMs: number): Windowed {
    if (nowMs - scope.lastSweep >= scope.horizonMs) {
      scope.lastSweep = nowMs;
      for (const [idle, windowed] of scope.keys) {
        prune(windowed.sends, nowMs - scope.horizonMs);
        if (windowed.sends.length === 0 && windowed.holdUntil <= nowMs) scope.keys.delete(idle);
      }
    }
    const windowed = entry(scope.keys, key);
    prune(windowed.sends, nowMs - scope.horizonMs);
    return windowed;
  }
}

/**
 * One instance's part of a tenant window shared by `sharers`: floor(max / sharers), evenly spaced (one per
 * windowMs / share): the instances' sends reach Teams interleaved, not in bursts that a late request could stack.
 */
function shareOf({ windowMs, max }: WindowLimit, sharers: number): WindowLimit[] {
  const share = Math.max(1, Math.floor(max / sharers));
  return [{ windowMs, max: share }, { windowMs: Math.floor(windowMs / share), max: 1 }];
}

function scope(limits: WindowLimit[]): Scope {
  return { keys: new Map(), limits, horizonMs: Math.max(0, ...limits.map((l) => l.windowMs)), lastSweep: Number.NEGATIVE_INFINITY };
}

function entry(map: Map<string, Windowed>, key: string): Windowed {
  let windowed = map.get(key);
  if (!windowed) map.set(key, (windowed = { sends: [], holdUntil: Number.NEGATIVE_INFINITY }));
  return windowed;
}

/**
 * How long until one more send fits every window. A send at `t` counts in the window ending at `now`
 * while now - t < windowMs; with n ≥ max sends in the window, the (n - max + 1)-th oldest must leave first.
 */
function waitFor(windowed: Windowed, limits: WindowLimit[], nowMs: number): number {
  let waitMs = Math.max(0, windowed.holdUntil - nowMs);
  const { sends } = windowed;
  for (const { windowMs, max } of limits) {
    const first = firstAfter(sends, nowMs - windowMs);
    const inWindow = sends.length - first;
    if (inWindow >= max) waitMs = Math.max(waitMs, sends[first + inWindow - max]! + windowMs - nowMs);
  }
  return waitMs;
}

/** Index of the first send later than `t` (sends are sorted). */
function firstAfter(sends: number[], t: number): number {
  let lo = 0;
  let hi = sends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sends[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps the sends sorted even when callers' clocks are slightly out of order. */
function record(sends: number[], nowMs: number): void {
  let i = sends.length;
  while (i > 0 && sends[i - 1]! > nowMs) i--;
  sends.splice(i, 0, nowMs);
}

function prune(sends: number[], olderThanOrAt: number): void {
  sends.splice(0, firstAfter(sends, olderThanOrAt));
}
