import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startDealDesk } from './start-dealdesk';

/** `npm start`: DealDesk with the configured store, plus the Agents Playground in local mode. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dealdesk = await startDealDesk(config, logger);
  const stops: Array<() => Promise<void>> = [dealdesk.stop];
  const local = 'embedded' in config.cosmos;

  console.log(`DealDesk is listening on ${dealdesk.url}/api/messages (${config.auth ? 'authentication on' : 'authentication off, loopback only'})`);
  console.log(`Store: ${local ? `embedded Cosmos-compatible server, data kept in ${config.dataDir}/cosmos.json` : 'Azure Cosmos DB'}`);

  if (config.playground.enabled) {
    const { startPlayground } = require('./local/playground') as typeof import('./local/playground');
    const playground = await startPlayground({ botEndpoint: `${dealdesk.url}/api/messages`, port: config.playground.port, log: (line) => logger.debug({ playground: line }) });
    stops.unshift(playground.stop);
    console.log(`Agents Playground: open ${playground.url} in a browser to chat with DealDesk (PLAYGROUND=off to skip)`);
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DealDesk…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    for (const stop of stops) await stop().catch((e) => logger.error({ err: e }, 'error while stopping'));
    console.log('DealDesk stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `DealDesk cannot start: ${e.message}` : `DealDesk cannot start: ${(e as Error).message ?? e}`);
  process.exit(1);
});
