import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createChatDeps } from './app-deps';
import { loadConfig } from './config';
import { importOpportunities } from './crm/dataverse/import-opportunities';
import { openDataverse } from './crm/dataverse/open-dataverse';
import { createLogger } from './logger';
import { openStore } from './open-store';
import { systemClock } from './ports/clock.port';

/**
 * `npm run crm:import [-- --page-size N]` (in the built artifact: `node dist/crm-import.js`): brings the Dynamics 365
 * environment's open opportunities into DealDesk as deals (crm/dataverse/import-opportunities.ts), with the deployment's
 * settings (DATAVERSE_URL, the bot's identity, the store); prints the counts after each page and at the end, and exits
 * 0, or prints one line and exits 1. Run again after a failure, it resumes from the last page it finished.
 */
async function crmImport(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = process.argv.slice(2);
  const given = args.length === 2 && args[0] === '--page-size' ? Number(args[1]) : args.length === 0 ? 100 : NaN;
  if (!Number.isInteger(given) || given < 1 || given > 5000) throw new Error('usage: npm run crm:import [-- --page-size 1…5000]');
  const pageSize = given;
  const config = loadConfig();
  const client = openDataverse(config);
  if (!client || !config.dataverse) throw new Error('DATAVERSE_URL is not set (and the bot\'s identity with it): there is no Dynamics 365 environment to import from');
  const logger = createLogger(config.logLevel);
  const store = await openStore(config, logger, systemClock);
  try {
    if (!store.crmPolls) throw new Error('this store keeps no poll state');
    console.log(`Importing the open opportunities of ${config.dataverse.url} into tenant ${config.dataverse.tenantId}, ${pageSize} per page.`);
    const deps = createChatDeps(store, systemClock, logger, config.settings);
    const done = await importOpportunities({
      client,
      deps,
      polls: store.crmPolls,
      tenantId: config.dataverse.tenantId,
      instanceId: `crm-import-${randomUUID()}`,
      ownership: config.dataverse.fieldOwnership,
      leaseMs: config.dataverse.pollLeaseMs,
      pageSize,
      onPage: (p) => console.log(`Page ${p.pages}: ${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged, ${p.refused} refused so far.`),
    });
    console.log(`Imported: ${done.created} deals created, ${done.updated} updated, ${done.unchanged} unchanged, ${done.refused} refused, in ${done.pages} pages.`);
  } finally {
    await store.close();
  }
}

crmImport().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`DealDesk could not import from Dynamics 365: ${oneLine(e)}`);
    process.exit(1);
  },
);

const oneLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];
