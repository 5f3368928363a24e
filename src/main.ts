import { existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startDealDesk } from './start-dealdesk';

/** `npm start`: DealDesk with the configured store, plus the Agents Playground in local mode. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dealdesk = await startDealDesk(config, logger);
  const stops: Array<() => Promise<void>> = [dealdesk.stop];

  console.log(`DealDesk is listening on ${dealdesk.url}/api/messages (${config.auth ? 'authentication on' : 'authentication off, loopback only'})`);
  const loaded = dealdesk.localData;
  console.log(`Store: ${loaded ? `embedded Cosmos-compatible server, ${loaded.deals} deal${loaded.deals === 1 ? '' : 's'} loaded from ${loaded.dir.replace(/\/?$/, '/')}` : storeName(config.cosmos)}`);
  console.log(`Probes: ${dealdesk.url}/healthz, ${dealdesk.url}/readyz${config.metrics.prometheus ? `; metrics: ${dealdesk.url}/metrics` : ''}${config.metrics.applicationInsights ? '; requests, dependencies, logs and metrics go to Application Insights' : ''}`);

  if (config.playground.enabled) {
    const playground = await startPlaygroundIfInstalled(dealdesk.url, config.playground.port, logger);
    if (playground) {
      stops.unshift(playground.stop);
      console.log(`Agents Playground: open ${playground.url} in a browser to chat with DealDesk (PLAYGROUND=off to skip)`);
    } else {
      console.log('Agents Playground: not installed (a dev dependency: npm ci without --omit=dev); skipped');
    }
  }
  let stopping = false;
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
    for (const stop of stops) await stop().catch((e) => logger.error({ err: e }, 'error while stopping'));
    console.log('DealDesk stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Only now: whoever reads this line may press Ctrl-C (or send SIGTERM) at once.
  console.log('Press Ctrl-C to stop.');
}

/** Azure Cosmos DB, or an emulator on this machine (COSMOS_EMULATOR: a trial in a real tenant, several local instances). */
const storeName = (cosmos: Config['cosmos']): string => ('emulator' in cosmos && cosmos.emulator ? `a Cosmos DB emulator at ${cosmos.endpoint}` : 'Azure Cosmos DB');

/** The playground is a dev dependency: a production install (npm ci --omit=dev) runs without it. */
async function startPlaygroundIfInstalled(url: string, port: number, logger: ReturnType<typeof createLogger>) {
  let playground: typeof import('./local/playground');
  try {
    playground = require('./local/playground') as typeof import('./local/playground');
    require.resolve('@microsoft/m365agentsplayground/package.json');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return playground.startPlayground({ botEndpoint: `${url}/api/messages`, port, log: (line) => logger.debug({ playground: line }) });
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `DealDesk cannot start: ${e.message}` : `DealDesk cannot start: ${(e as Error).message ?? e}`);
  process.exit(1);
});
