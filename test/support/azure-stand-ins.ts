import { entriesOf, literal, readInfra, varObject, withoutComments } from '../infra/bicep-text';
import { startTestStore, type TestStore } from './embedded-store';
import { BOT_APP_ID, BOT_TENANT, FakeOpenId } from './fake-openid';
import { FakeTeams } from './fake-teams';
import { FakeIngestion } from './fake-ingestion';
import { FakeManagedIdentity } from './stand-in-servers';

const IDENTITY_CLIENT_ID = BOT_APP_ID;

/**
 * What DealDesk talks to in Azure, each stood in for on loopback: Cosmos DB (the embedded server, its database and
 * containers created beforehand as the deployment does), the Bot Framework's token keys (FakeOpenId), App Service's
 * managed identity endpoint, Application Insights' ingestion endpoint, and Teams's connector (FakeTeams).
 */
export class AzureStandIns {
  readonly openId = new FakeOpenId();
  readonly identity = new FakeManagedIdentity(IDENTITY_CLIENT_ID);
  readonly ingestion = new FakeIngestion();
  readonly teams = new FakeTeams({ limits: false });
  cosmos!: TestStore;

  async start(): Promise<this> {
    await Promise.all([this.openId.start(), this.identity.start(), this.ingestion.start(), this.teams.start()]);
    this.cosmos = await startTestStore();
    return this;
  }

  async stop(): Promise<void> {
    await this.cosmos?.stop();
    await Promise.all([this.openId.stop(), this.identity.stop(), this.ingestion.stop(), this.teams.stop()]);
  }

  /**
   * The app settings infra/main.bicep gives the web app (with the parameters' defaults: a UserAssignedMSI bot,
   * Cosmos DB through the managed identity), each Azure resource replaced by its stand-in, plus what App Service
   * itself adds (the managed identity endpoint) and what the stand-ins need: COSMOS_EMULATOR=on (the embedded
   * server's certificate is self-signed), BOT_OPENID_METADATA_URL, and NODE_EXTRA_CA_CERTS (the ingestion stand-in's
   * certificate). `port` replaces 8080.
   */
  appServiceSettings(port: number): NodeJS.ProcessEnv {
    const deployed: Record<string, string> = {
      MicrosoftAppId: IDENTITY_CLIENT_ID,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: BOT_TENANT,
      MicrosoftAppPassword: '',
      AZURE_CLIENT_ID: IDENTITY_CLIENT_ID,
      COSMOS_ENDPOINT: this.cosmos.endpoint,
      COSMOS_DATABASE: this.cosmos.database.id,
      APPLICATIONINSIGHTS_CONNECTION_STRING: this.ingestion.connectionString,
      ALLOWED_TENANTS: BOT_TENANT,
      WEBHOOK_SECRET: '',
      WEBHOOK_TENANT_ID: '',
      GRAPH: 'off',
      GRAPH_URL: '',
      GRAPH_DEADLINE_MS: '',
      ADMIN_GROUP_ID: '',
      TEAMS_CATALOG_APP_ID: '',
      // The CRM webhook is off (no crmWebhookUrl): its secret's Key Vault reference is not set either.
      CRM_WEBHOOK_SECRET: '',
      // No Azure OpenAI (the parameters' default): updates are read offline.
      AZURE_OPENAI_DEPLOYMENT: '',
      AZURE_OPENAI_AUTH: '',
      AZURE_OPENAI_DEADLINE_MS: '',
      DEALDESK_PUBLIC_URL: 'https://app-dealdesk-test-abc123.azurewebsites.net',
    };
    const env: NodeJS.ProcessEnv = {};
    for (const [name, expression] of bicepAppSettings()) {
      const value = deployed[name] ?? literal(expression) ?? parameterDefault(expression) ?? offByDefault(expression);
      if (value === undefined) throw new Error(`infra/main.bicep sets ${name} to ${expression}: give the shipped-artifact tests a stand-in for it (test/support/azure-stand-ins.ts)`);
      env[name] = value;
    }
    return { ...env, PORT: String(port), ...this.identity.env(), COSMOS_EMULATOR: 'on', BOT_OPENID_METADATA_URL: this.openId.metadataUrl, NODE_EXTRA_CA_CERTS: this.ingestion.caFile };
  }
}

/** `var appSettings = { … }` of infra/main.bicep: name → Bicep expression. */
export const bicepAppSettings = () => entriesOf(varObject(readInfra('main.bicep'), 'appSettings'));

/**
 * `empty(p) ? '' : …`: a setting that only applies when an optional feature's parameter is set; with that parameter at
 * its default (empty), the setting is empty too (Dynamics 365, the outbound CRM webhook, Azure OpenAI are off here).
 */
function offByDefault(expression: string): string | undefined {
  const m = /^empty\((\w+)\) \? '' : /.exec(expression);
  return m && parameterDefault(m[1]) === '' ? '' : undefined;
}

/** A bare parameter name stands for the parameter's default when that is a string literal. */
function parameterDefault(expression: string): string | undefined {
  if (!/^\w+$/.test(expression)) return undefined;
  const m = new RegExp(`^param ${expression} \\w+ = ('.*')$`, 'm').exec(withoutComments(readInfra('main.bicep')));
  return m ? literal(m[1]) : undefined;
}
