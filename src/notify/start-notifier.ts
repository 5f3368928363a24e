import { pickLocale, translator } from '../i18n/locale';
import { alertCard } from '../cards/alert-card';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Messenger } from '../ports/messenger.port';
import type { Store } from '../ports/store.port';
import { createAlertDispatcher } from './alert-dispatcher';
import type { Delivery } from './delivery';
import { createDeliveryWorker } from './delivery-worker';
import type { NotifyConfig } from './notify-config';
import { startLoop } from './wake-loop';

export interface Notifier {
  /** A change queued an alert: look for due work now rather than at the next poll. */
  wake(): void;
  /** Stops both loops and hands this instance's claimed deliveries back at once. */
  stop(): Promise<void>;
  /** For tests and benchmarks: one dispatch round and one delivery round, now. */
  runOnce(): Promise<void>;
}

/** The alert card in the recipient's language. */
const renderDelivery = (delivery: Delivery) => {
  const locale = pickLocale(delivery.recipient.locale);
  return alertCard(translator(locale), locale, delivery.alert);
};

/**
 * Proactive delivery: a dispatcher loop moves due alerts from deal outboxes into deliveries, and a
 * worker loop sends them under Teams's rate limits. Both poll (several instances may share the store)
 * and are woken early by this instance's own changes.
 */
export function startNotifier(deps: { store: Store; clock: Clock; logger: Logger; messenger: Messenger; config: NotifyConfig }): Notifier {
  const { store, clock, logger, messenger, config } = deps;
  const worker = createDeliveryWorker({ deliveries: store.deliveries, conversations: store.conversations, people: store.people, messenger, clock, logger, config, render: renderDelivery });
  const sending = startLoop(async () => {
    // Keep going while rounds finish work, so a big fan-out does not wait a poll between batches.
    while ((await worker.runOnce()) > 0);
  }, { intervalMs: config.pollMs, logger, name: 'delivery' });
  const dispatcher = createAlertDispatcher({ store, clock, logger, onDeliveries: () => sending.wake() });
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
    },
  };
}
