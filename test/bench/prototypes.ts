import type { ConversationRecord } from '../../src/ports/conversation-repository.port';
import type { Store } from '../../src/ports/store.port';
import type { DealDesk } from '../../src/start-dealdesk';

/**
 * Bench-only prototypes of proposed fixes, to measure their effect before anyone changes src/ (`--try=<name>`).
 * None of them is used unless asked for, and none changes a file in src/.
 *
 *   intl-cache      F2: reuse Intl.NumberFormat / Intl.DateTimeFormat objects per (locale, options) instead of
 *                   building one per formatted value (src/i18n/format.ts builds a new one on every call).
 *   remember-once   F3: do not rewrite a conversation reference that only differs in `activityId` (src/bot/
 *                   conversation-of.ts keeps the incoming activity's id in the reference, so the fingerprint in
 *                   src/app/remember-conversation.ts changes on every message and every turn upserts it).
 *   no-early-wake   F5: a change whose alert is due later (ALERT_COALESCE_MS, a minute by default) does not wake the
 *                   dispatcher at once (src/app/change-deal.ts calls alertQueued for any non-empty outbox, and every
 *                   wake runs the dispatcher's two cross-partition sweeps); the poll picks the alert up when due.
 *                   Emulated by ignoring wakes (right for the turn benchmark, which has no approval notices).
 *   pacing          F6b: see fan-out.ts.
 */
export type Prototype = 'intl-cache' | 'remember-once' | 'no-early-wake' | 'pacing';

/** F5 (emulation): `alertQueued` calls `notifier.wake()` on the object startDealDesk returns, so this reaches it. */
export function noEarlyWake(app: DealDesk): void {
  app.notifier.wake = () => undefined;
}

/** F2, process-wide: the same formatting, from cached formatter objects (results are identical). */
export function cacheIntlFormatters(): void {
  for (const name of ['NumberFormat', 'DateTimeFormat'] as const) {
    const Original = Intl[name] as unknown as new (locales?: unknown, options?: unknown) => object;
    const cache = new Map<string, object>();
    const Cached = function (locales?: unknown, options?: unknown) {
      const key = JSON.stringify([locales, options]);
      let formatter = cache.get(key);
      if (!formatter) {
        formatter = new Original(locales, options);
        cache.set(key, formatter);
      }
      return formatter;
    } as unknown as typeof Intl.NumberFormat;
    Object.defineProperty(Cached, 'prototype', { value: Original.prototype });
    Object.defineProperty(Cached, 'supportedLocalesOf', { value: (Original as unknown as typeof Intl.NumberFormat).supportedLocalesOf });
    (Intl as unknown as Record<string, unknown>)[name] = Cached;
  }
}

/** F3, on one store: a save that only changes `reference.activityId` (or `updatedAt`) within 10 minutes is skipped. */
export function rememberOnce(store: Store): Store {
  const seen = new Map<string, { key: string; at: number }>();
  const { conversations } = store;
  const stable = (r: ConversationRecord) => {
    const { activityId: _activityId, ...reference } = r.reference as Record<string, unknown>;
    return JSON.stringify([reference, r.installed, r.userId, r.locale, r.blocked, r.conversationType]);
  };
  return {
    ...store,
    conversations: {
      get: (...a) => conversations.get(...a),
      findPersonalChat: (...a) => conversations.findPersonalChat(...a),
      setStatus: (...a) => conversations.setStatus(...a),
      claimGreeting: (...a) => conversations.claimGreeting(...a),
      save: async (record) => {
        const id = `${record.tenantId}|${record.conversationId}`;
        const key = stable(record);
        const last = seen.get(id);
        if (last && last.key === key && Date.now() - last.at < 10 * 60_000) return;
        await conversations.save(record);
        seen.set(id, { key, at: Date.now() });
      },
    },
  };
}
