import { randomUUID } from 'node:crypto';
import type { Config } from './config';
import { renderProactive } from './cards/render-proactive';
import { TeamsMessenger } from './bot/teams-messenger';
import { mountDealPage } from './http/deal-page';
import { mountDealsWebhook } from './http/deals-webhook';
import { startNotifier, type Notifier } from './notify/start-notifier';
import { mountDevClock } from './http/dev-clock';
import { JOB_HANDLERS } from './scheduler/job-handlers';
import { ManualClock } from './scheduler/manual-clock';
import { startScheduler, type RunningScheduler } from './scheduler/start-scheduler';
import { createChatDeps } from './app-deps';
import { offlineAssistant } from './assistant/offline-assistant';
import { assistantOf } from './bot/assistant/assistant-of';
import { createAdapter } from './bot/create-adapter';
import { teamsApp } from './bot/teams-app';
import { createHttpServer, listen } from './http/server';
import type { Starting } from './http/while-starting';
import { closeServer } from './http/close-server';
import { registry } from './metrics/metrics';
import { readinessCheck } from './metrics/readiness';
import { systemClock, type Clock } from './ports/clock.port';
import type { TraceWork } from './ports/work-tracer.port';
import type { Logger } from './ports/logger.port';
import type { Store } from './ports/store.port';
import { openDirectory } from './graph/open-directory';
import { openStore } from './open-store';
import { openDataverse } from './crm/dataverse/open-dataverse';
import { startChangePoller, type RunningChangePoller } from './crm/dataverse/start-change-poller';
import { tracing } from './telemetry/tracing';
import { crmTargetOf } from './crm/crm-target-of';
import { CRM_LOOP, type CrmSync, startCrmSync } from './crm/start-crm-sync';

/** A unit of background work the use cases mark (one deal's timers firing) is an operation of its own. */
const traceWork: TraceWork = (name, work) => tracing.run(name, 'consumer', {}, () => work());

export interface DealDesk {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  store: Store;
  /** Local mode: how many deals the store loaded from its data directory at start. */
  localData?: { deals: number; dir: string };
  notifier: Notifier;
  scheduler: RunningScheduler;
  /** Outbound CRM sync, when a CRM target is configured. */
  crm?: CrmSync;
  stop(): Promise<void>;
}

export interface StartHooks {
  /** Told as soon as the server listens (before the data has moved and the loops run): from then on `stop` stops it. */
  onListening?: (listening: { url: string; stop: () => Promise<void> }) => void;
  /** Told once, when the data must move first (or another instance is moving it): DealDesk serves only after. */
  whileMoving?: (url: string) => void;
}

/**
 * The composition root: builds every adapter once and injects it. Tests pass their own store and
 * clock; `npm start` passes nothing. Resolves once DealDesk serves. It listens before that: while data still in the
 * layout before partitioned keys moves (or another instance moving it is waited for), /healthz answers 200, /readyz
 * 503 with the progress and every POST 503 with Retry-After (http/while-starting.ts), and `whileMoving` is told.
 * `onListening` gets `stop` at once, so a signal during the move (or right after it) stops DealDesk gracefully.
 */
export async function startDealDesk(config: Config, appLogger: Logger, overrides: { store?: Store; clock?: Clock } & StartHooks = {}): Promise<DealDesk> {
  // Application Insights: loaded only when configured (the SDK is big, and start-up is module loading). From here on
  // every log line also goes there, correlated with the turn, delivery or job it was logged in.
  const telemetry = config.metrics.applicationInsights
    ? (require('./telemetry/azure-monitor') as typeof import('./telemetry/azure-monitor')).startAzureMonitor({ connectionString: config.metrics.applicationInsights, logger: appLogger, logLevel: config.logLevel })
    : undefined;
  const logger = telemetry?.logger ?? appLogger;
  const manualClock = !overrides.clock && config.scheduler.manualClock ? new ManualClock() : undefined;
  const clock = overrides.clock ?? manualClock ?? systemClock;
  const opened = overrides.store ? undefined : await openStore(config, logger, clock).catch(async (e: unknown) => {
    await telemetry?.stop();
    throw e;
  });
  const store = overrides.store ?? opened!;
  const instanceId = randomUUID();
  const adapter = createAdapter(config);
  // A send starts in the first half of its delivery's lease; timing it out by the end of the lease means no
  // other instance can take the delivery over while the send may still be on its way to Teams.
  const messenger = new TeamsMessenger(adapter, config.auth?.appId ?? '', { timeoutMs: Math.min(15_000, config.notify.leaseMs / 2) });
  const directory = openDirectory(config, logger);
  // The loops start once the data has moved (nothing reads a container half filled); until then nothing wakes them
  // either, as every POST is refused.
  let notifier: Notifier | undefined;
  let scheduler: RunningScheduler | undefined;
  let crm: CrmSync | undefined;
  let changePoll: RunningChangePoller | undefined;
  const alertQueued = () => notifier?.wake();
  const crmTarget = crmTargetOf(config, { clock, logger });
  // The assistant (issue 21): offline by default; the language model when the tenant configured Azure OpenAI.
  const offline = offlineAssistant();
  const model = assistantOf(config, { log: logger, summaryFallback: offline.summaryWriter });
  const assistant = model ? { updateReader: model.reader, summaryWriter: model.summaries } : offline;
  const deps = { ...createChatDeps(store, clock, logger, config.settings, alertQueued, () => crm?.wake(), assistant), directory, timersDue: () => scheduler?.wake(), traceWork };
  const bot = teamsApp(adapter, deps);
  let stopping = false;
  let starting: Starting | undefined = {};
  const ready = readinessCheck({
    ping: () => store.ping(),
    stopping: () => stopping,
    loops: [
      { name: 'scheduler', intervalMs: config.scheduler.pollMs },
      { name: 'alert dispatch', intervalMs: config.notify.pollMs },
      { name: 'delivery', intervalMs: config.notify.pollMs },
      ...(crmTarget ? [{ name: CRM_LOOP, intervalMs: config.notify.pollMs }] : []),
    ],
  });
  const server = createHttpServer({ adapter, bot, logger, maxBodyBytes: config.maxBodyBytes, timeouts: config.httpTimeouts, allowedTenants: config.settings.allowedTenants, ready, starting: () => starting, metricsText: config.metrics.prometheus ? () => registry.prometheusText() : undefined });
  if (manualClock) {
    mountDevClock(server, {
      clock: manualClock,
      logger,
      runDue: async () => {
        await scheduler?.runOnce();
        await notifier?.runOnce();
      },
    });
  }
  mountDealPage(server, { botAppId: config.auth?.appId });
  mountDealsWebhook(server, { store, clock, logger, settings: config.settings, alertQueued, secret: config.webhook.secret, defaultTenantId: config.webhook.defaultTenantId });
  const port = await listen(server, config.port, config.host).catch(async (e: unknown) => {
    if (opened) await opened.close().catch(() => undefined);
    await telemetry?.stop();
    throw e;
  });
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const moveStopped = new AbortController();

  /**
   * Graceful: /readyz turns 503, the server takes no new connections and waits for the requests in flight
   * (their turns finish), while the loops stop and hand their claimed deliveries and jobs back at once, so
   * another instance takes them without waiting for the leases; then the store is closed. A move still running
   * stops (its lease runs out within 30 s; the next instance resumes from the last checkpoint).
   */
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    moveStopped.abort(new Error('DealDesk stopped while its data was moving'));
    logger.debug({}, 'closing the HTTP server');
    const serverClosed = closeServer(server);
    // A move is not waited for: its requests in flight may be slow (the reason to stop), and an item created or not
    // is the same to the next run (a 409 is counted as copied before).
    await Promise.all([serverClosed, scheduler?.stop(), notifier?.stop(), crm?.stop(), changePoll?.stop()]);
    await telemetry?.stop();
    logger.debug({}, 'closing the store');
    if (!overrides.store) await store.close();
    logger.debug({}, 'store closed');
  };

  overrides.onListening?.({ url, stop });

  // Data still in the layout before partitioned keys moves first (or another instance moving it is waited for),
  // with the server already answering: a large installation takes minutes, longer than App Service waits for a
  // container to answer HTTP at all.
  let told = false;
  const moving = store.migrateLayout?.({
    instanceId,
    logger,
    signal: moveStopped.signal,
    onProgress: (progress) => {
      if (stopping) return;
      starting = { moving: progress };
      if (!told) {
        told = true;
        overrides.whileMoving?.(url);
      }
    },
  }) ?? Promise.resolve();
  try {
    await moving;
  } catch (e) {
    await stop();
    throw e;
  }
  if (stopping) throw new Error('DealDesk stopped before it served');
  notifier = startNotifier({ store, clock, logger, messenger, renderProactive, adminSettings: config.settings, directory, teamsAppId: config.graph?.teamsAppId, config: { ...config.notify, instanceId } });
  scheduler = startScheduler(deps, JOB_HANDLERS, { instanceId, leaseMs: config.scheduler.leaseMs, retryAfterMs: 5 * 60_000, intervalMs: config.scheduler.pollMs });
  if (crmTarget) {
    crm = startCrmSync({ store, clock, logger, target: crmTarget, instanceId, config: config.crm, pollMs: config.notify.pollMs, onNotices: alertQueued });
  }
  // Dynamics 365's changes come in by polling (every instance runs the loop; the poll lease picks the one that polls).
  // Not watched by /readyz: a round may wait minutes on Dataverse's service protection limits, which is no reason to
  // take this instance out of the load balancer.
  const dataverse = config.dataverse;
  const client = dataverse && store.crmPolls ? openDataverse(config) : undefined;
  if (dataverse && client && store.crmPolls) {
    changePoll = startChangePoller({ client, deps, polls: store.crmPolls, tenantId: dataverse.tenantId, instanceId, ownership: dataverse.fieldOwnership, pollMs: dataverse.pollMs, leaseMs: dataverse.pollLeaseMs });
  }
  starting = undefined;
  return { url, store, localData: opened?.loaded, notifier, scheduler, crm, stop };
}
