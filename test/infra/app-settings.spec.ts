import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { allowedValues, entriesOf, literal, paramsOf, readInfra, varObject, withoutComments } from './bicep-text';

/**
 * Read by the code but never set in Azure, each for a reason; setting one there would be a mistake
 * (a key next to disableLocalAuth, an emulator's certificate bypass, the playground).
 */
const LOCAL_ONLY: Record<string, string> = {
  COSMOS_KEY: 'Cosmos DB is reached with the managed identity; the account has no keys',
  COSMOS_EMULATOR: 'only for an emulator on the same machine; skips certificate checks',
  DATA_DIR: 'the embedded store\'s data file, local mode only',
  PLAYGROUND: 'never started with authentication on',
  PLAYGROUND_PORT: 'never started with authentication on',
  PLAYGROUND_USERS: 'never started with authentication on',
  DEMO: 'seeds the embedded local store only',
  DEALDESK_CLOCK: 'the manual clock is refused with authentication on',
  BOT_OPENID_METADATA_URL: 'tests only: a loopback OpenID metadata server; in Azure the Bot Framework\'s own is used',
  AZURE_AUTHORITY_HOST: '@azure/identity\'s own setting, for another cloud or a test token endpoint; the public cloud needs none',
  AZURE_OPENAI_API_KEY: 'Azure OpenAI is reached with the managed identity (AZURE_OPENAI_AUTH=managed-identity); a key is for local mode',
};

/** Variables read straight from process.env anywhere in src (besides config.ts's schema). */
function directlyRead(dir = path.join(__dirname, '..', '..', 'src')): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) names.push(...directlyRead(full));
    else if (entry.endsWith('.ts')) {
      const source = readFileSync(full, 'utf8');
      for (const m of source.matchAll(/process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])/g)) names.push(m[1] ?? m[2]);
    }
  }
  return names;
}

const appSettings = () => entriesOf(varObject(readInfra('main.bicep'), 'appSettings'));

/** An Azure-mode environment from main.bicep: literal settings as written, the others as a deployment would give them. */
function azureEnvironment(): Record<string, string> {
  const sample: Record<string, string> = {
    MicrosoftAppId: '11111111-1111-1111-1111-111111111111',
    MicrosoftAppType: 'UserAssignedMSI',
    MicrosoftAppTenantId: '22222222-2222-2222-2222-222222222222',
    MicrosoftAppPassword: '',
    COSMOS_ENDPOINT: 'https://cosmos-dealdesk-prod-abc123.documents.azure.com:443/',
    AZURE_CLIENT_ID: '11111111-1111-1111-1111-111111111111',
    WEBHOOK_SECRET: '',
    WEBHOOK_TENANT_ID: '',
    GRAPH: 'off',
    GRAPH_URL: '',
    GRAPH_DEADLINE_MS: '',
    ADMIN_GROUP_ID: '',
    TEAMS_CATALOG_APP_ID: '',
    CRM_WEBHOOK_SECRET: '',
    DATAVERSE_TIMEOUT_MS: '',
    DATAVERSE_CREATE_ACCOUNTS: '',
    CRM_FIELD_OWNERS: '',
    DATAVERSE_POLL_MS: '',
    DATAVERSE_POLL_LEASE_MS: '',
    AZURE_OPENAI_DEPLOYMENT: '',
    AZURE_OPENAI_AUTH: '',
    AZURE_OPENAI_DEADLINE_MS: '',
  };
  const main = withoutComments(readInfra('main.bicep'));
  /** A bare parameter name stands for its default, when that is a string literal. */
  const paramDefault = (expression: string) => literal(new RegExp(`^param ${expression} \\w+ = ('.*')$`, 'm').exec(main)?.[1] ?? '');
  const env: Record<string, string> = {};
  for (const [name, expression] of appSettings()) env[name] = literal(expression) ?? sample[name] ?? (/^\w+$/.test(expression) ? paramDefault(expression) : undefined) ?? 'set-by-deployment';
  return env;
}

describe('infra: the web app is given every setting DealDesk reads', () => {
  it('finds the settings in main.bicep', () => {
    const names = [...appSettings().keys()];
    assert.ok(names.includes('COSMOS_ENDPOINT') && names.includes('NOTIFY_POLL_MS'), names.join(', '));
  });

  it('sets every variable src/config.ts reads, except the local-only ones', () => {
    const set = new Set(appSettings().keys());
    const missing = CONFIG_VARIABLES.filter((name) => !set.has(name) && !(name in LOCAL_ONLY));
    assert.deepEqual(missing, [], `main.bicep's appSettings lacks ${missing.join(', ')} (or list it in LOCAL_ONLY with the reason)`);
  });

  it('sets every variable read directly from process.env in src', () => {
    const set = new Set(appSettings().keys());
    const missing = directlyRead().filter((name) => !set.has(name) && !(name in LOCAL_ONLY));
    assert.deepEqual(missing, []);
  });

  it('sets none of the local-only variables, and each of them is one the code reads', () => {
    const set = new Set(appSettings().keys());
    for (const name of Object.keys(LOCAL_ONLY)) {
      assert.ok(!set.has(name), `${name} must not be set in Azure: ${LOCAL_ONLY[name]}`);
      assert.ok((CONFIG_VARIABLES as readonly string[]).includes(name), `${name} is not read any more: drop it from LOCAL_ONLY`);
    }
  });

  it('the settings load as a valid Azure-mode configuration', () => {
    const config = loadConfig(azureEnvironment());
    assert.ok(config.auth, 'authentication on');
    assert.ok(!('embedded' in config.cosmos), 'Azure Cosmos DB, not the embedded store');
    assert.equal(config.cosmos.database, 'dealdesk');
    assert.equal(config.playground.enabled, false);
    assert.equal(config.host, '0.0.0.0', 'App Service reaches the app on the container\'s address, not loopback');
  });

  it('the tuning values written in main.bicep are the code\'s own defaults', () => {
    const env = azureEnvironment();
    const written = loadConfig(env);
    const tuning = [...appSettings()].filter(([, expression]) => literal(expression) !== undefined).map(([name]) => name);
    const withDefaults = loadConfig(Object.fromEntries(Object.entries(env).filter(([name]) => !tuning.includes(name) || ['HOST', 'PORT'].includes(name))));
    assert.deepEqual(
      written,
      withDefaults,
      'a tuning value in main.bicep differs from the default in src/config.ts: change it per environment with appSettingsOverrides instead',
    );
  });

  it('every log level main.bicep allows is one the code accepts', () => {
    const logLevel = paramsOf(readInfra('main.bicep')).find((p) => p.name === 'logLevel')!;
    const allowed = allowedValues(logLevel.decorators)!;
    assert.ok(allowed.length > 0);
    for (const level of allowed) assert.equal(loadConfig({ ...azureEnvironment(), LOG_LEVEL: level }).logLevel, level);
  });
});
