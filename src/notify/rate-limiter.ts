import type { WindowLimit } from './notify-config';

export interface RateLimits {
  /** Per app per tenant, every conversation together. */
  tenantLimits: WindowLimit[];
  /** Per conversation. */
  conversationLimits: WindowLimit[];
  /**
   * Added to every window (ms). Teams counts a send when it arrives, this limiter when it grants it, and
   * the time in between varies (tens of ms under load): without a margin, sends granted exactly at the
   * limit arrive bunched and some get a 429. Default 0 (the windows exactly as given).
   */
  sendMarginMs?: number;
  /**
   * At most this many sends of a tenant in any `windowMs × tenantBurst / max` of each tenant limit (5 of
   * 50/s: 5 per 100 ms), so a tenant's sends are spread over its window rather than granted in a burst.
   * Default: no such bound.
   */
  tenantBurst?: number;
  /**
   * Teams does not say which limit a 429 is for. When 429s come from this many different conversations of
   * one tenant within `withinMs`, the tenant's limit is taken to be the one hit (another instance or app
   * sends there too, or Teams lowered it): the whole tenant is held until their Retry-After. Default: never.
   */
  tenantHold?: { conversations: number; withinMs: number };
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
  private readonly tenantHold: RateLimits['tenantHold'];
  /** Per tenant, its latest 429s (one per conversation, newest last), while not held. */
  private readonly throttles = new Map<string, Array<{ conversationId: string; at: number; untilMs: number }>>();

  constructor(limits: RateLimits) {
    const margin = limits.sendMarginMs ?? 0;
    const widened = (l: WindowLimit): WindowLimit => ({ windowMs: l.windowMs + margin, max: l.max });
    const burst = limits.tenantBurst;
    const spread = burst && burst > 0
      ? limits.tenantLimits.filter((l) => l.max > burst).map((l): WindowLimit => ({ windowMs: (l.windowMs * burst) / l.max, max: burst }))
      : [];
    this.tenants = scope([...limits.tenantLimits.map(widened), ...spread]);
    this.conversations = scope(limits.conversationLimits.map(widened));
    this.tenantHold = limits.tenantHold;
  }

  reserve(tenantId: string, conversationId: string, nowMs: number): number {
    const tenant = this.touch(this.tenants, tenantId, nowMs);
    const conversation = this.touch(this.conversations, conversationId, nowMs);
    const waitMs = Math.max(
      waitFor(tenant, this.tenants.limits, nowMs),
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

  /**
   * A 429 for a send to the conversation: holds it until `untilMs` (its Retry-After); and when 429s
   * came from `tenantHold.conversations` different conversations of the tenant within `tenantHold.withinMs`,
   * holds the whole tenant until the latest of their Retry-Afters. 429s while the tenant is held are for
   * sends granted before the hold and do not count towards another. True when this 429 held the tenant.
   */
  throttled(tenantId: string, conversationId: string, untilMs: number, nowMs: number): boolean {
    this.penalise(conversationId, untilMs);
    const hold = this.tenantHold;
    if (!hold || hold.conversations < 1) return false;
    if ((this.tenants.keys.get(tenantId)?.holdUntil ?? Number.NEGATIVE_INFINITY) > nowMs) return false;
    const recent = (this.throttles.get(tenantId) ?? []).filter((t) => t.conversationId !== conversationId && t.at > nowMs - hold.withinMs);
    recent.push({ conversationId, at: nowMs, untilMs });
    if (recent.length < hold.conversations) {
      this.throttles.set(tenantId, recent);
      return false;
    }
    this.throttles.delete(tenantId);
    this.penaliseTenant(tenantId, Math.max(...recent.map((t) => t.untilMs)));
    return true;
  }

  /** Keys held in memory (for tests and metrics). */
  get size(): number {
    return this.tenants.keys.size + this.conversations.keys.size + this.throttles.size;
  }

  /** The key's sends, without those that left its largest window; now and then, idle keys are forgotten. */
  private touch(scope: Scope, key: string, nowMs: number): Windowed {
    if (nowMs - scope.lastSweep >= scope.horizonMs) {
      scope.lastSweep = nowMs;
      for (const [idle, windowed] of scope.keys) {
        prune(windowed.sends, nowMs - scope.horizonMs);
        if (windowed.sends.length === 0 && windowed.holdUntil <= nowMs) scope.keys.delete(idle);
      }
      const withinMs = this.tenantHold?.withinMs ?? 0;
      if (scope === this.tenants) for (const [tenantId, recent] of this.throttles) if (recent.every((t) => t.at <= nowMs - withinMs)) this.throttles.delete(tenantId);
    }
    const windowed = entry(scope.keys, key);
    prune(windowed.sends, nowMs - scope.horizonMs);
    return windowed;
  }
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
