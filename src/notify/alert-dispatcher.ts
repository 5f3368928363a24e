import { dueAlerts, markAlertDispatched } from '../domain/alert-outbox';
import type { Deal } from '../domain/deal';
import type { Clock } from '../ports/clock.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import type { AdminDeps } from '../app/authorise';
import { atMost } from './at-most';
import { type AlertMessage, alertMessageId } from '../domain/outgoing-message';
import { fanOutNotices } from './notice-dispatch';
import { candidatesOf, recipientOf } from './recipients';
import { tracing } from '../telemetry/tracing';

const MAX_ATTEMPTS = 4;
const DEALS_PER_ROUND = 50;
/** Store calls in flight at once while one alert is fanned out (a read and a create per recipient). */
const FAN_OUT_CONCURRENCY = 16;

/**
 * Moves due alerts from deal outboxes, and approval notices from `deal.notices`, into per-recipient
 * deliveries. Deliveries are created first, each with its idempotency key as id (a repeat is a no-op);
 * only then are the alert taken out of the outbox and the notices out of `notices`, by one conditional
 * write. A crash in between just repeats the (idempotent) fan-out: nothing lost, nothing doubled.
 *
 * An alert's recipients are read and their deliveries created `concurrency` at a time (each recipient's
 * create right after its read, so the first send need not wait for the last read), and the worker is
 * woken by the first delivery created: it sends while the rest are still being created.
 */
export function createAlertDispatcher(deps: { store: Store; clock: Clock; logger: Logger; onDeliveries?: () => void; concurrency?: number } & Partial<Pick<AdminDeps, 'directory'>> & { adminSettings?: AdminDeps['settings'] }) {
  const { store, clock, logger } = deps;
  /** Whether a follow may deliver (is its follower an admin?) is decided as everywhere else: app/authorise.ts. */
  const followDeps: AdminDeps & { store: Store } = { store, settings: deps.adminSettings ?? { admins: [] }, directory: deps.directory, logger };
  const concurrency = deps.concurrency ?? FAN_OUT_CONCURRENCY;

  async function fanOut(deal: Deal, now: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let woken = false;
    for (const alert of dueAlerts(deal, now)) {
      const snapshot = { id: alert.id, tenantId: deal.tenantId, dealId: deal.id, title: deal.title, account: deal.account, changes: alert.changes, actors: alert.actors, at: alert.firstAt };
      const reached = await atMost(concurrency, await candidatesOf(followDeps, deal, alert), async (candidate) => {
        const recipient = await recipientOf(store, deal.tenantId, candidate);
        if (!recipient) return false;
        const delivery: AlertMessage = {
          id: alertMessageId(alert.id, recipient.key),
          tenantId: deal.tenantId,
          alert: snapshot,
          recipient,
          state: 'queued',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        };
        if ((await store.deliveries.createIfAbsent(delivery)) && !woken) {
          woken = true;
          deps.onDeliveries?.();
        }
        return true;
      });
      counts.set(alert.id, reached.filter(Boolean).length);
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
        // One operation per deal: its fan-out's store calls together, apart from the poll that found it.
        dispatched += await tracing.run('dispatch alerts', 'consumer', {}, async (span) => {
          const count = await dispatchDeal(tenantId, id);
          span.set({ 'dealdesk.dispatched': count });
          return count;
        });
      } catch (e) {
        logger.error({ err: e, dealId: id }, 'could not dispatch the alerts and notices of a deal');
      }
    }
    if (dispatched > 0) deps.onDeliveries?.();
    return dispatched;
  }

  return { runOnce, dispatchDeal };
}
