import { pickLocale } from '../domain/locale';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Messenger } from '../ports/messenger.port';
import type { Directory } from '../ports/directory.port';
import type { AdminDeps } from '../app/authorise';
import { installNotice } from './install-notice';
import type { Store } from '../ports/store.port';
import { createAlertDispatcher } from './alert-dispatcher';
import { type OutgoingMessage, payloadOf, UnsendableError } from '../domain/outgoing-message';
import type { RenderProactive } from '../ports/proactive-card-renderer.port';
import { createSendWorker } from './send-worker';
import type { NotifyConfig } from './notify-config';
import { startSharedBudget, WHOLE_BUDGET } from './shared-budget';
import { startLoop } from './wake-loop';
import { heartbeat } from '../metrics/liveness';

export interface Notifier {
  /** A change queued an alert or a notice: look for due work now rather than at the next poll. */
  wake(): void;
  /** Stops both loops and hands this instance's claimed deliveries back at once. */
  stop(): Promise<void>;
  /** For tests and benchmarks: one dispatch round and one delivery round, now. */
  runOnce(): Promise<void>;
}

export interface NotifierDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  messenger: Messenger;
  config: NotifyConfig;
  /** Draws every proactive card from the data its message holds (cards/render-proactive.ts, given by the composition root). */
  renderProactive: RenderProactive;
  /** Who is an admin (ADMINS, ADMIN_GROUP_ID with the directory): an admin's follows deliver every deal's alerts. */
  adminSettings?: AdminDeps['settings'];
  /** Entra ID (GRAPH=on): installs for people who never installed DealDesk, and the admin group. */
  directory?: Directory;
  /** TEAMS_APP_ID: what an owner is asked to share when DealDesk may not install itself for someone. */
  teamsAppId?: string;
}

/**
 * The card a message sends, drawn by `render` from the data the message holds, in its recipient's language
 * (`recipient.locale`). A notice is drawn from its deal AS IT IS NOW (read here, when it is sent): for the approval
 * card (post and updates alike) that is the whole current approval state, so the last update sent always shows the
 * truth. A missing deal or card is final (UnsendableError: failed without a send); a store error is thrown as it
 * is and retried.
 */
export function deliveryRenderer(store: Store, render: RenderProactive): (delivery: OutgoingMessage) => Promise<object> {
  return async (delivery) => {
    const intent = payloadOf(delivery);
    const locale = pickLocale(delivery.recipient.locale);
    if (intent.type !== 'notice') {
      const card = render(intent, locale);
      if (!card) throw new UnsendableError('NoCard', `nothing to send for ${intent.type} message ${delivery.id}`);
      return card;
    }
    const { dealId, notice } = intent;
    const stored = await store.deals.get(delivery.tenantId, dealId);
    if (!stored) throw new UnsendableError('DealNotFound', `deal ${dealId} no longer exists (notice ${notice.id})`);
    const card = render(intent, locale, stored.deal);
    if (!card) throw new UnsendableError('NoCard', `nothing to send for ${notice.kind} notice ${notice.id}: ${dealId} has no card for it now`);
    return card;
  };
}

/**
 * Proactive delivery: a dispatcher loop moves due alerts from deal outboxes, and approval notices, into
 * deliveries, and a worker loop sends them under Teams's rate limits. Both poll (several instances may
 * share the store) and are woken early by this instance's own changes.
 */
/** Leases between instances run on wall time (shared-budget.ts says why). */
const WALL_CLOCK = { now: () => new Date() };

export function startNotifier(deps: NotifierDeps): Notifier {
  const { store, clock, logger, messenger, config } = deps;
  const render = deliveryRenderer(store, deps.renderProactive);
  let wakeSending = () => {};
  const appNotInstalled = deps.directory && deps.teamsAppId ? installNotice({ store, clock, logger, teamsAppId: deps.teamsAppId, queued: () => wakeSending() }) : undefined;
  // Several instances on one store share each tenant's Teams budget; a store of its own (in memory) has it whole.
  const budget = store.sendBudgets
    ? startSharedBudget({ repository: store.sendBudgets, instanceId: config.instanceId, clock, leaseClock: WALL_CLOCK, logger, leaseMs: config.budgetLeaseMs, tenantRps: Math.min(...config.tenantLimits.map((l) => (l.max * 1000) / l.windowMs)), onChange: () => wakeSending() })
    : WHOLE_BUDGET;
  const worker = createSendWorker({ deliveries: store.deliveries, conversations: store.conversations, people: store.people, messenger, clock, logger, config, render, directory: deps.directory, appNotInstalled, budget });
  const sending = startLoop(async () => {
    // Keep going while rounds finish work, so a big fan-out does not wait a poll between batches.
    while ((await worker.runOnce()) > 0) heartbeat('delivery'); // a long fan-out is alive, for /readyz
  }, { intervalMs: config.pollMs, logger, name: 'delivery' });
  wakeSending = () => sending.wake();
  const dispatcher = createAlertDispatcher({ store, clock, logger, adminSettings: deps.adminSettings, directory: deps.directory, onDeliveries: () => sending.wake() });
  const dispatching = startLoop(async () => {
    await dispatcher.runOnce();
  }, { intervalMs: config.pollMs, logger, name: 'alert dispatch' });

  return {
    wake: () => dispatching.wake(),
    runOnce: async () => {
      await dispatcher.runOnce();
      await worker.runOnce();
    },
    stop: async () => {
      // Release first: it stops the worker and frees sends waiting on the limiter, so stopping is quick.
      const released = worker.releaseLeases().catch((e) => logger.error({ err: e }, 'could not release delivery leases'));
      await dispatching.stop();
      await sending.stop();
      await released;
      await budget.stop(); // after the last send: the others take this instance's conversations over

    },
  };
}
