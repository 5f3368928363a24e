import { existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startDealDesk } from './start-dealdesk';
import { startArgs } from './start-args';

/** `npm start [-- --demo]`: DealDesk with the configured store, plus one Agents Playground per local user in local mode. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(startArgs(process.argv.slice(2), process.env));
  const logger = createLogger(config.logLevel);
  const playgrounds = config.playground.enabled ? loadPlaygrounds() : undefined;
  // Before anything starts: a demo on a data directory holding other data, or a playground port in use, stops here.
  const demo = config.demo ? (require('./demo/demo-data-dir') as typeof import('./demo/demo-data-dir')) : undefined;
  const demoState = await demo?.demoDataDirState(config.dataDir);
  await playgrounds?.assertPortsFree(config.playground.port, config.playground.users);
  // A plain local start on a fresh store gives the local users their roles (local/local-roles.ts); the demo has its own.
  const localRoles = config.demo || 'endpoint' in config.cosmos ? undefined : (require('./local/local-roles') as typeof import('./local/local-roles'));
  const freshLocal = (await localRoles?.isFreshDataDir(config.dataDir)) === true;

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops) await stop().catch((e) => logger.error({ err: e }, 'error while stopping'));
  };
  const auth = config.auth ? 'authentication on' : 'authentication off, loopback only';
  const dealdesk = await startDealDesk(config, logger, {
    // SIGINT and SIGTERM stop DealDesk gracefully from the moment it listens (its data may move for minutes first).
    onListening: ({ stop }) => {
      stops.push(stop);
      stopOnSignals(stopAll);
    },
    whileMoving: (url) => {
      console.log(`DealDesk is listening on ${url}/api/messages (${auth}), and serves once its data has moved to the partitioned layout: until then ${url}/readyz answers 503 with the progress, and Teams is asked to retry (503). Ctrl-C stops it.`);
    },
  });
  let seeded = 0;
  if (demo && demoState === 'fresh') {
    const { seedDemo } = require('./demo/seed-demo') as typeof import('./demo/seed-demo');
    const now = new Date();
    seeded = (await seedDemo({ store: dealdesk.store, logger, settings: config.settings, alertQueued: () => dealdesk.notifier.wake() }, now, () => dealdesk.notifier.runOnce())).deals;
    await demo.markDemoSeeded(config.dataDir, now);
    dealdesk.scheduler.wake(); // what the demo made due (a CSAT follow-up) is asked at once
  }

  const roleDeps = { store: dealdesk.store, logger, settings: config.settings, clock: { now: () => new Date() } };
  if (localRoles && freshLocal && dealdesk.localData) await localRoles.giveLocalRoles(roleDeps);
  const facts = localRoles && dealdesk.localData ? await localRoles.localRoleFacts(roleDeps) : undefined;

  console.log(`DealDesk is listening on ${dealdesk.url}/api/messages (${auth})`);
  const loaded = dealdesk.localData;
  const deals = (n: number) => `${n} deal${n === 1 ? '' : 's'}`;
  const demoNote = !config.demo ? '' : seeded ? ': the demo tenant, seeded just now' : ': the demo tenant';
  console.log(`Store: ${loaded ? `embedded Cosmos-compatible server, ${deals(loaded.deals + seeded)} ${seeded ? 'in' : 'loaded from'} ${loaded.dir.replace(/\/?$/, '/')}${demoNote}` : storeName(config.cosmos)}`);
  console.log(`Probes: ${dealdesk.url}/healthz, ${dealdesk.url}/readyz${config.metrics.prometheus ? `; metrics: ${dealdesk.url}/metrics` : ''}${config.metrics.applicationInsights ? '; requests, dependencies, logs and metrics go to Application Insights' : ''}`);

  if (config.playground.enabled && !playgrounds) {
    console.log('Agents Playground: not installed (a dev dependency: npm ci without --omit=dev); skipped');
  } else if (playgrounds) {
    const { port, users } = config.playground;
    const started = await playgrounds
      .startPlaygrounds({ botEndpoint: `${dealdesk.url}/api/messages`, port, users, log: (user, line) => logger.debug({ playground: user, line }) })
      .catch(async (e: unknown) => {
        await stopAll();
        throw e;
      });
    stops.unshift(...started.map((p) => p.stop));
    console.log(`Agents Playground, one per user, each showing only that user (PLAYGROUND_USERS=${users.join(',')}; PLAYGROUND=off to skip):`);
    for (const p of started) console.log(`  ${p.url}  ${playgrounds.describeLocalUser(p.user, p.currentUser.name, config.demo, facts?.[p.user])}`);
  }
  // Only now: whoever reads this line may press Ctrl-C (or send SIGTERM) at once.
  console.log('Press Ctrl-C to stop.');
}

/** Set once a signal asked DealDesk to stop: start-up failing after that (its move aborted) is no failure to report. */
let stopping = false;
let listening = false;

/** SIGINT and SIGTERM stop DealDesk gracefully (once registered; a second call changes nothing). */
function stopOnSignals(stopAll: () => Promise<void>): void {
  if (listening) return;
  listening = true;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DealDesk…`);
    // Stop taking requests, let turns in flight finish, hand claimed deliveries and jobs back, close the store:
    // all within 10 s (App Service and container runtimes kill soon after), or exit anyway.
    const force = setTimeout(() => {
      console.error('DealDesk did not stop within 10 s: exiting; its remaining claims are taken over when their leases expire.');
      process.exit(1);
    }, 10_000);
    force.unref();
    await stopAll();
    console.log('DealDesk stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Azure Cosmos DB, or an emulator on this machine (COSMOS_EMULATOR: a trial in a real tenant, several local instances). */
const storeName = (cosmos: Config['cosmos']): string => ('emulator' in cosmos && cosmos.emulator ? `a Cosmos DB emulator at ${cosmos.endpoint}` : 'Azure Cosmos DB');

/** The playground is a dev dependency: a production install (npm ci --omit=dev) runs without it. */
function loadPlaygrounds() {
  try {
    const local = require('./local/start-playgrounds') as typeof import('./local/start-playgrounds');
    const users = require('./local/local-users') as typeof import('./local/local-users');
    require.resolve('@microsoft/m365agentsplayground/package.json');
    return { ...local, ...users };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

main().catch((e) => {
  if (stopping) return; // stopped by a signal while the data was moving: the shutdown exits
  console.error(e instanceof ConfigError ? `DealDesk cannot start: ${e.message}` : `DealDesk cannot start: ${(e as Error).message ?? e}`);
  process.exit(1);
});
