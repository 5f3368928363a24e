import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration is parsed once and a mistake names the variable', () => {
  it('with nothing set it is local mode: embedded store, authentication off, loopback, playground on', () => {
    const config = loadConfig({});
    assert.deepEqual(config.cosmos, { embedded: true, database: 'dealdesk' });
    assert.equal(config.auth, undefined);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
    assert.deepEqual(config.playground, { enabled: true, port: 56150 });
    assert.ok(Object.isFrozen(config));
  });

  it('Azure settings turn on the real store and inbound authentication, and the playground off', () => {
    const config = loadConfig({
      COSMOS_ENDPOINT: 'https://dd.documents.azure.com:443/', MicrosoftAppId: 'app', MicrosoftAppTenantId: 'tenant', MicrosoftAppPassword: 'secret', HOST: '0.0.0.0',
    });
    assert.deepEqual(config.cosmos, { endpoint: 'https://dd.documents.azure.com:443/', key: undefined, managedIdentityClientId: undefined, database: 'dealdesk', emulator: false });
    assert.equal(config.auth?.appId, 'app');
    assert.equal(config.playground.enabled, false);
  });

  const mistakes: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['a non-loopback HOST with authentication off', { HOST: '0.0.0.0' }, /^HOST: 0\.0\.0\.0 is not a loopback address/],
    ['a PORT that is not a number', { PORT: 'eighty' }, /^PORT: /],
    ['an app id without its secret', { MicrosoftAppId: 'app', MicrosoftAppTenantId: 't' }, /^MicrosoftAppPassword: required/],
    ['a single-tenant app without its tenant', { MicrosoftAppId: 'app', MicrosoftAppPassword: 's' }, /^MicrosoftAppTenantId: required/],
    ['an unknown app type', { MicrosoftAppType: 'Anonymous' }, /^MicrosoftAppType: /],
    ['a Cosmos endpoint that is not a URL', { COSMOS_ENDPOINT: 'cosmos' }, /^COSMOS_ENDPOINT: /],
    ['a bad PLAYGROUND flag', { PLAYGROUND: 'maybe' }, /^PLAYGROUND: /],
  ];
  for (const [what, env, message] of mistakes) {
    it(`refuses ${what}`, () => {
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    });
  }

  it('a managed identity needs no secret', () => {
    const config = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' });
    assert.equal(config.auth?.appType, 'UserAssignedMSI');
  });
});

describe('.env.example', () => {
  it('documents every variable DealDesk reads, and nothing it does not', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const { CONFIG_VARIABLES } = require('../src/config') as typeof import('../src/config');
    const text = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
    const documented = [...text.matchAll(/^#?\s*([A-Za-z][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);
    assert.deepEqual([...CONFIG_VARIABLES].filter((v) => !documented.includes(v)), [], 'read by src/config.ts but missing from .env.example');
    assert.deepEqual(documented.filter((v) => !(CONFIG_VARIABLES as readonly string[]).includes(v)), [], 'in .env.example but not read');
  });
});
