import { dueAlerts, markAlertDispatched } from '../domain/alert-outbox';
import type { Deal } from '../domain/deal';
import type { Clock } from '../ports/clock.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { type Delivery, deliveryId } from './delivery';
import { fanOutNotices } from './notice-dispatch';
import { recipientsOf } from './recipients';

const MAX_ATTEMPTS = 4;
const DEALS_PER_ROUND = 50;

/**
 * Moves due alerts from deal outboxes, and approval notices from `deal.notices`, into per-recipient
 * deliveries. Deliveries are created first, each with its idempotency key as id (a repeat is a no-op);
 * only then are the alert taken out of the outbox and the notices out of `notices`, by one conditional
 * write. A crash in between just repeats the (idempotent) fan-out: nothing lost, nothing doubled.
 */
export function createAlertDispatcher(deps: { store: Store; clock: Clock; logger: Logger; onDeliveries?: () => void }) {
  const { store, clock, logger } = deps;

  async function fanOut(deal: Deal, now: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const alert of dueAlerts(deal, now)) {
      const recipients = await recipientsOf(store, deal, alert);
      for (const recipient of recipients) {
        const delivery: Delivery = {
          id: deliveryId(alert.id, recipient.key),
          tenantId: deal.tenantId,
          alert: { id: alert.id, tenantId: deal.tenantId, dealId: deal.id, title: deal.title, account: deal.account, changes: alert.changes, actors: alert.actors, at: alert.firstAt },
          recipient,
          state: 'queued',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        };
        await store.deliveries.createIfAbsent(delivery);
      }
      counts.set(alert.id, recipients.length);
    }
    return counts;
  }

  /** Dispatches a deal's due alerts and pending notices; returns how many of them. */
  async function dispatchDeal(tenantId: string, dealId: string): Promise<number> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await store.deals.get(tenantId, dealId);
      const now = clock.now().toISOString();
      if (!stored) return 0;
      const pendingNotices = stored.deal.notices.length > 0;
      if (dueAlerts(stored.deal, now).length === 0 && !pendingNotices) return 0;
      const counts = await fanOut(stored.deal, now);
      const notices = pendingNotices ? new Set(await fanOutNotices(store, logger, stored.deal, now)) : new Set<string>();
      let next = stored.deal;
      for (const [alertId, recipients] of counts) next = markAlertDispatched(next, alertId, recipients, now);
      if (notices.size > 0) next = { ...next, notices: next.notices.filter((n) => !notices.has(n.id)) };
      try {
        await store.deals.replace(next, stored.etag);
        return counts.size + notices.size;
      } catch (e) {
        if (!(e instanceof ConcurrentUpdateError)) throw e;
      }
    }
    logger.warn({ dealId }, 'deal kept changing while its alerts and notices were dispatched; next round will finish');
    return 0;
  }

  /** One round: every deal with a due alert or a pending notice, at most 50 deals. Returns the number of alerts and notices dispatched. */
  async function runOnce(): Promise<number> {
    const due = await store.deals.findWithDueAlerts(clock.now().toISOString(), DEALS_PER_ROUND);
    let dispatched = 0;
    for (const { tenantId, id } of due) {
      try {
        dispatched += await dispatchDeal(tenantId, id);
      } catch (e) {
        logger.error({ err: e, dealId: id }, 'could not dispatch the alerts and notices of a deal');
      }
    }
    if (dispatched > 0) deps.onDeliveries?.();
    return dispatched;
  }

  return { runOnce, dispatchDeal };
}
