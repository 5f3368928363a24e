import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { allowedValues, bracketsBalance, entriesOf, INFRA, paramsOf, readInfra, resourceBody, resourcesOf, varObject, withoutComments } from './bicep-text';

const bicepFiles = (): string[] => ['main.bicep', ...readdirSync(path.join(INFRA, 'modules')).filter((f) => f.endsWith('.bicep')).map((f) => `modules/${f}`)];

/** Every resource type declared anywhere in infra/, with the file declaring it. */
function allResources(): Map<string, { file: string; name: string }> {
  const found = new Map<string, { file: string; name: string }>();
  for (const file of bicepFiles()) for (const [name, type] of resourcesOf(readInfra(file))) found.set(type, { file, name });
  return found;
}

/** The body of the (single) resource of a type, from whichever file declares it. */
function bodyOf(type: string): string {
  const where = allResources().get(type);
  assert.ok(where, `no ${type} resource in infra/`);
  return resourceBody(readInfra(where.file), where.name);
}

/** `key: value` somewhere in a resource body (a property, at any depth). */
const hasProperty = (body: string, key: string, value: string) => new RegExp(`^\\s*${key}: ${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`, 'm').test(body);

describe('infra: main.bicep and its modules declare what DealDesk needs', () => {
  it('every Bicep file has balanced brackets, and every module main.bicep uses exists', () => {
    for (const file of bicepFiles()) assert.ok(bracketsBalance(readInfra(file)), `${file}: unbalanced brackets`);
    const modules = [...withoutComments(readInfra('main.bicep')).matchAll(/^module \w+ '([^']+)'/gm)].map((m) => m[1]);
    assert.ok(modules.length >= 5);
    for (const module of modules) assert.ok(existsSync(path.join(INFRA, module)), `${module} is missing`);
  });

  it('declares every resource DealDesk runs on', () => {
    const types = [...allResources().keys()];
    for (const type of [
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers',
      'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
    ]) {
      assert.ok(types.includes(type), `no ${type}`);
    }
  });

  it('the web app: Linux, Node 22 LTS, health check on /readyz, always on, HTTPS only, TLS 1.2, no FTP, runs as the identity', () => {
    const site = bodyOf('Microsoft.Web/sites');
    assert.ok(hasProperty(site, 'kind', "'app,linux'"));
    assert.ok(hasProperty(site, 'linuxFxVersion', "'NODE|22-lts'"));
    assert.ok(hasProperty(site, 'healthCheckPath', "'/readyz'"));
    assert.ok(hasProperty(site, 'alwaysOn', 'true'));
    assert.ok(hasProperty(site, 'httpsOnly', 'true'));
    assert.ok(hasProperty(site, 'minTlsVersion', "'1.2'"));
    assert.ok(hasProperty(site, 'ftpsState', "'Disabled'"));
    assert.ok(hasProperty(site, 'type', "'UserAssigned'"));
    assert.ok(hasProperty(site, 'keyVaultReferenceIdentity', 'identityId'));
    assert.match(site, /appSettings: \[for (\w+) in items\(appSettings\): \{ name: \1\.key, value: \1\.value \}\]/, 'every app setting reaches the site');
    assert.ok(hasProperty(bodyOf('Microsoft.Web/serverfarms'), 'properties', '{ reserved: true }'), 'a Linux plan');
    assert.match(readInfra('main.bicep'), /appSettings: union\(appSettings, appSettingsOverrides\)/);
  });

  it('Cosmos DB: keys off, serverless by default, autoscale as a parameter', () => {
    const account = bodyOf('Microsoft.DocumentDB/databaseAccounts');
    assert.ok(hasProperty(account, 'disableLocalAuth', 'true'));
    assert.ok(hasProperty(account, 'capabilities', "capacityMode == 'serverless' ? [ { name: 'EnableServerless' } ] : []"));
    const database = bodyOf('Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    assert.match(database, /autoscaleSettings: \{ maxThroughput: autoscaleMaxThroughput \}/);
    const main = paramsOf(readInfra('main.bicep'));
    assert.match(withoutComments(readInfra('main.bicep')), /^param cosmosCapacityMode string = 'serverless'$/m);
    assert.deepEqual(allowedValues(main.find((p) => p.name === 'cosmosCapacityMode')!.decorators), ['serverless', 'autoscale']);
  });

  it('the managed identity gets Cosmos DB Built-in Data Contributor on the account', () => {
    const assignment = bodyOf('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    assert.match(readInfra('modules/cosmos.bicep'), /^var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'$/m);
    assert.ok(hasProperty(assignment, 'roleDefinitionId', "'${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'"));
    assert.ok(hasProperty(assignment, 'principalId', 'dataContributorPrincipalId'));
    assert.ok(hasProperty(assignment, 'scope', 'account.id'));
    assert.match(readInfra('main.bicep'), /dataContributorPrincipalId: identity\.outputs\.principalId/);
  });

  it('the app reaches Cosmos DB through the identity: endpoint and client id set, no key', () => {
    const settings = entriesOf(varObject(readInfra('main.bicep'), 'appSettings'));
    assert.equal(settings.get('COSMOS_ENDPOINT'), 'cosmos.outputs.endpoint');
    assert.equal(settings.get('AZURE_CLIENT_ID'), 'identity.outputs.clientId');
    assert.equal(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING'), 'monitoring.outputs.connectionString');
    assert.ok(!settings.has('COSMOS_KEY'));
  });

  it('the Azure Bot: SingleTenant or UserAssignedMSI, Teams on, messages to the web app', () => {
    const bot = bodyOf('Microsoft.BotService/botServices');
    assert.ok(hasProperty(bot, 'msaAppType', 'appType'));
    assert.ok(hasProperty(bot, 'msaAppMSIResourceId', "appType == 'UserAssignedMSI' ? identityId : null"));
    assert.deepEqual(allowedValues(paramsOf(readInfra('main.bicep')).find((p) => p.name === 'botAppType')!.decorators), ['SingleTenant', 'UserAssignedMSI']);
    assert.match(readInfra('main.bicep'), /endpoint: 'https:\/\/\$\{web\.outputs\.hostName\}\/api\/messages'/);
    const teams = bodyOf('Microsoft.BotService/botServices/channels');
    assert.ok(hasProperty(teams, 'name', "'MsTeamsChannel'"));
    assert.ok(hasProperty(teams, 'isEnabled', 'true'));
  });

  it('Application Insights is workspace-based', () => {
    assert.ok(hasProperty(bodyOf('Microsoft.Insights/components'), 'WorkspaceResourceId', 'workspace.id'));
  });

  it('Key Vault only while a secret remains, read by the identity through references', () => {
    const main = withoutComments(readInfra('main.bicep'));
    assert.match(main, /^var needsKeyVault = botAppType == 'SingleTenant' \|\| webhookEnabled \|\| !empty\(crmWebhookUrl\)$/m);
    assert.match(main, /^module keyVault '[^']+' = if \(needsKeyVault\)/m);
    const settings = entriesOf(varObject(readInfra('main.bicep'), 'appSettings'));
    assert.equal(settings.get('WEBHOOK_SECRET'), "webhookEnabled ? webhookSecretReference : ''");
    assert.equal(settings.get('CRM_WEBHOOK_SECRET'), "empty(crmWebhookUrl) ? '' : crmWebhookSecretReference");
    assert.equal(settings.get('MicrosoftAppPassword'), "botAppType == 'SingleTenant' ? botPasswordReference : ''");
    assert.ok(hasProperty(bodyOf('Microsoft.KeyVault/vaults'), 'enableRbacAuthorization', 'true'));
    assert.match(readInfra('modules/key-vault.bicep'), /^var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'$/m);
    for (const name of ['botAppPassword', 'webhookSecret', 'crmWebhookSecret']) {
      const param = paramsOf(readInfra('main.bicep')).find((p) => p.name === name)!;
      assert.match(param.decorators, /@secure\(\)/, `${name} is @secure()`);
    }
  });

  for (const env of ['dev', 'prod']) {
    it(`parameters/${env}.bicepparam uses main.bicep, sets only its parameters and every required one`, () => {
      const file = `parameters/${env}.bicepparam`;
      const text = withoutComments(readInfra(file));
      assert.ok(bracketsBalance(text), `${file}: unbalanced brackets`);
      assert.match(text, /^using '\.\.\/main\.bicep'$/m);
      const declared = paramsOf(readInfra('main.bicep'));
      const set = [...text.matchAll(/^param (\w+) =/gm)].map((m) => m[1]);
      for (const name of set) assert.ok(declared.some((p) => p.name === name), `${file} sets ${name}, which main.bicep does not declare`);
      for (const p of declared.filter((d) => !d.hasDefault)) assert.ok(set.includes(p.name), `${file} must set ${p.name}`);
      assert.match(text, new RegExp(`^param environmentName = '${env}'$`, 'm'));
      for (const secret of ['botAppPassword', 'webhookSecret']) {
        const line = new RegExp(`^param ${secret} = (.*)$`, 'm').exec(text)?.[1];
        if (line) assert.match(line, /^readEnvironmentVariable\('\w+', ''\)$/, `${file}: ${secret} comes from the environment, never from the file`);
      }
    });
  }
});
